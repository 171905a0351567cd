"""Every operation and every error code, through zeep against the live WSDL."""

from __future__ import annotations

from decimal import Decimal

import requests

from tests.soap.conftest import SoapWorld
from tests.support import FakeClock


def ok(result: object) -> object:
    assert result.Status == "Success", (result.ErrorCode, result.ErrorMessage)
    return result.Result


def failed(result: object, code: str) -> None:
    assert result.Status == "Failure"
    assert result.ErrorCode == code, (result.ErrorCode, result.ErrorMessage)
    assert result.Result is None


def test_the_wsdl_names_every_operation(soap_world: SoapWorld) -> None:
    wsdl = requests.get(f"{soap_world.server.url}/soap?wsdl", timeout=30)
    assert wsdl.status_code == 200
    for operation in (
        "GetEntitiesByToken",
        "GetCompanyInformation",
        "GetGLAccountList",
        "GetCustomerList",
        "GetCustomer",
        "UpdateCustomer",
        "AiqSoapHeader",
    ):
        assert operation in wsdl.text


def test_reads(soap_world: SoapWorld) -> None:
    soap = soap_world.client(soap_world.writer_token)
    entities = ok(soap.call("GetEntitiesByToken")).Entity
    assert sorted((e.Code, e.Name) for e in entities) == [("A1", "Alpha Ltd"), ("A2", "Beta Ltd")]
    company = ok(soap.call("GetCompanyInformation", entity="a2"))
    assert (company.Code, company.Name, company.BaseCurrency) == ("A2", "Beta Ltd", "EUR")
    accounts = ok(soap.call("GetGLAccountList", entity="A1")).GLAccount
    assert len(accounts) == 8 and accounts[0].Code == "1000"
    assert {a.AccountType for a in accounts} == {
        "Asset",
        "Liability",
        "Equity",
        "Income",
        "Expense",
    }
    assert ok(soap.call("GetCustomerList", entity="A1")) is None  # no customers yet


def test_customers_are_written_as_events_and_read_back(soap_world: SoapWorld) -> None:
    soap = soap_world.client(soap_world.writer_token)
    created = ok(
        soap.call(
            "UpdateCustomer",
            {
                "Code": "ACME",
                "Name": "Acme Ltd",
                "Email": "ap@acme.example",
                "CreditLimit": Decimal("2500.5"),
                "Currency": "EUR",
            },
            True,
            entity="A1",
        )
    )
    assert created.Code == "ACME" and created.CreditLimit == Decimal("2500.50")
    updated = ok(
        soap.call("UpdateCustomer", {"Code": "acme", "City": "Dublin"}, False, entity="A1")
    )
    assert (updated.Name, updated.City) == ("Acme Ltd", "Dublin")
    fetched = ok(soap.call("GetCustomer", "ACME", entity="A1"))
    assert fetched.City == "Dublin"
    listed = ok(soap.call("GetCustomerList", entity="A1")).Customer
    assert [c.Code for c in listed] == ["ACME"]
    assert ok(soap.call("GetCustomerList", entity="A2")) is None  # per entity
    events = [r["event"] for r in soap_world.activity(soap_world.writer.app_id)]
    assert events[-2:] == ["customer_created", "customer_updated"]
    row = soap_world.activity(soap_world.writer.app_id)[-1]
    assert row["actor_type"] == "client" and row["actor"] == soap_world.writer.client_id
    assert "UpdateCustomer on A1" in row["details"]


def test_write_errors(soap_world: SoapWorld) -> None:
    soap = soap_world.client(soap_world.writer_token)
    failed(soap.call("GetCustomer", "NOPE", entity="A1"), "NOT_FOUND")
    failed(
        soap.call("UpdateCustomer", {"Code": "NOPE", "Name": "x"}, False, entity="A1"), "NOT_FOUND"
    )
    failed(soap.call("UpdateCustomer", {"Code": "C1"}, True, entity="A1"), "VALIDATION_FAILED")
    bad_email = soap.call(
        "UpdateCustomer", {"Code": "C1", "Name": "x", "Email": "not-mail"}, True, entity="A1"
    )
    failed(bad_email, "VALIDATION_FAILED")
    assert "email" in bad_email.ErrorMessage
    failed(
        soap.call("UpdateCustomer", {"Code": "bad code!", "Name": "x"}, True, entity="A1"),
        "VALIDATION_FAILED",
    )
    failed(
        soap.call(
            "UpdateCustomer",
            {"Code": "C2", "Name": "x", "CreditLimit": Decimal(-1)},
            True,
            entity="A1",
        ),
        "VALIDATION_FAILED",
    )
    ok(soap.call("UpdateCustomer", {"Code": "C3", "Name": "x"}, True, entity="A1"))
    duplicate = soap.call("UpdateCustomer", {"Code": "c3", "Name": "y"}, True, entity="A1")
    failed(duplicate, "VALIDATION_FAILED")
    assert "already exists" in duplicate.ErrorMessage


def test_read_only_apps_cannot_write_and_the_refusal_is_logged(soap_world: SoapWorld) -> None:
    soap = soap_world.client(soap_world.reader_token)
    ok(soap.call("GetCustomerList", entity="A1"))
    failed(soap.call("UpdateCustomer", {"Code": "C9", "Name": "x"}, True, entity="A1"), "READ_ONLY")
    last = soap_world.activity(soap_world.reader.app_id)[-1]
    assert last["event"] == "call_denied"
    assert last["details"] == "UpdateCustomer on A1: READ_ONLY"


def test_token_errors(soap_world: SoapWorld, clock: FakeClock) -> None:
    failed(soap_world.client(None).call("GetEntitiesByToken"), "INVALID_TOKEN")
    failed(soap_world.client("garbage").call("GetEntitiesByToken"), "INVALID_TOKEN")
    # The token may also travel in the SOAP header.
    headerless = soap_world.client(None)
    ok(headerless.call("GetEntitiesByToken", header_token=soap_world.writer_token))
    clock.advance(seconds=3601)
    expired = soap_world.client(soap_world.writer_token).call("GetEntitiesByToken")
    failed(expired, "TOKEN_EXPIRED")
    assert expired.HasExpired is True
    assert soap_world.activity(soap_world.writer.app_id)[-1]["details"] == (
        "GetEntitiesByToken on -: TOKEN_EXPIRED"
    )


def test_revoked_tokens_are_refused(soap_world: SoapWorld) -> None:
    revoked = requests.post(
        f"{soap_world.server.url}/oauth/revoke",
        data={"token": soap_world.writer_token},
        auth=(soap_world.writer.client_id, soap_world.writer.client_secret),
        timeout=30,
    )
    assert revoked.status_code == 200
    failed(soap_world.client(soap_world.writer_token).call("GetEntitiesByToken"), "INVALID_TOKEN")


def test_entity_scope(soap_world: SoapWorld) -> None:
    soap = soap_world.client(soap_world.writer_token)
    failed(soap.call("GetCompanyInformation"), "ENTITY_REQUIRED")
    failed(soap.call("GetCustomerList", entity="A3"), "ENTITY_NOT_PERMITTED")
    failed(soap.call("GetCustomerList", entity="B1"), "ENTITY_NOT_PERMITTED")  # other group
    failed(soap.call("GetCustomerList", entity="ZZ"), "ENTITY_NOT_PERMITTED")
    details = [r["details"] for r in soap_world.activity(soap_world.writer.app_id)]
    assert "GetCustomerList on A3: ENTITY_NOT_PERMITTED" in details


def test_admin_changes_take_effect_on_the_very_next_call(soap_world: SoapWorld) -> None:
    soap = soap_world.client(soap_world.writer_token)
    app_id, admin = soap_world.writer.app_id, soap_world.admin
    ok(soap.call("GetCustomerList", entity="A2"))
    narrowed = admin.edit_app(app_id, entity_ids=[soap_world.entity("A1")])
    assert narrowed.status_code == 200
    failed(soap.call("GetCustomerList", entity="A2"), "ENTITY_NOT_PERMITTED")
    widened = admin.edit_app(app_id, entity_ids=[soap_world.entity("A2"), soap_world.entity("A3")])
    assert widened.status_code == 200
    ok(soap.call("GetCustomerList", entity="A3"))
    failed(soap.call("GetCustomerList", entity="A1"), "ENTITY_NOT_PERMITTED")
    assert admin.revoke_app(app_id).status_code == 200
    failed(soap.call("GetCustomerList", entity="A3"), "APPLICATION_REVOKED")
    token = requests.post(
        f"{soap_world.server.url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(soap_world.writer.client_id, soap_world.writer.client_secret),
        timeout=30,
    )
    assert token.json()["error"] == "invalid_client"
