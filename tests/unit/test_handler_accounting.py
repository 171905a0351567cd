"""AccountingHandler: customers saved by API clients (rules name the field); refused calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate

from domain.accounting import Customer, customer_id
from domain.api_audit import DeniedCall
from domain.errors import ConflictError, NotFoundError, ValidationError
from domain.handlers.accounting import ApiCaller
from tests.unit.conftest import Domain

INTERVAL = datetime(2025, 1, 6, 10, 0, tzinfo=UTC)


def caller(domain: Domain, entity: int = 0) -> ApiCaller:
    assert domain.admin.group_id is not None
    return ApiCaller(uuid4(), "client-1", domain.admin.group_id, domain.entities[entity], "A1")


def customer(domain: Domain, who: ApiCaller, code: str) -> Customer:
    return domain.store.get(customer_id(who.entity_id, code), Customer)


def test_a_new_customer_is_recorded_with_clean_details(domain: Domain) -> None:
    who = caller(domain)
    fields = {"name": "  Acme Ltd ", "credit_limit": "1500", "on_hold": 1, "email": None}
    saved = domain.commands.accounting.save_customer(who, " C-1 ", fields, create=True)
    assert saved.position == domain.store.head()
    stored = customer(domain, who, "c-1")
    assert (stored.code, stored.entity_id) == ("C-1", who.entity_id)
    assert stored.details == {"name": "Acme Ltd", "credit_limit": "1500.00", "on_hold": True}
    created = domain.store.events_of(stored.id)[0]
    assert created.app_id == who.app_id
    assert created.actor == {"type": "client", "id": "client-1", "name": "client-1"}


def test_a_code_is_unique_per_entity_whatever_its_case(domain: Domain) -> None:
    accounting, who = domain.commands.accounting, caller(domain)
    accounting.save_customer(who, "C1", {"name": "Acme"}, create=True)
    before = domain.store.head()
    with pytest.raises(ConflictError) as taken:
        accounting.save_customer(who, "c1", {"name": "Other"}, create=True)
    assert (taken.value.field, taken.value.message) == ("code", "customer c1 already exists")
    assert domain.store.head() == before
    other_entity = caller(domain, entity=1)
    accounting.save_customer(other_entity, "C1", {"name": "Elsewhere"}, create=True)
    assert customer(domain, who, "C1").details["name"] == "Acme"


def test_an_update_records_only_what_changed(domain: Domain) -> None:
    accounting, who = domain.commands.accounting, caller(domain)
    created = accounting.save_customer(who, "C1", {"name": "Acme", "city": "Leeds"}, create=True)
    updated = accounting.save_customer(
        who, "c1", {"name": "Acme", "city": "York", "phone": "123"}, create=False
    )
    assert created.position < updated.position == domain.store.head()
    stored = customer(domain, who, "C1")
    assert stored.details == {"name": "Acme", "city": "York", "phone": "123"}
    assert domain.store.events_of(stored.id)[-1].changes == {"city": "York", "phone": "123"}
    same = accounting.save_customer(who, "C1", {"city": "York", "name": None}, create=False)
    assert same.position == 0
    assert domain.event_names(stored.id) == ["Created", "Updated"]


def test_an_update_of_an_unknown_customer_is_not_found(domain: Domain) -> None:
    accounting, who = domain.commands.accounting, caller(domain)
    accounting.save_customer(who, "C1", {"name": "Acme"}, create=True)
    for code, entity in (("C2", 0), ("C1", 1)):  # another entity's customer is not found either
        with pytest.raises(NotFoundError) as missing:
            accounting.save_customer(caller(domain, entity), code, {"city": "x"}, create=False)
        assert (missing.value.field, missing.value.message) == (
            "code",
            f"customer {code} not found",
        )


@pytest.mark.parametrize("code", ["", "   ", "-C1", "C 1", "C" * 21, "C1/2", "Ç1"])
def test_a_bad_code_is_refused(domain: Domain, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        domain.commands.accounting.save_customer(caller(domain), code, {"name": "A"}, True)
    assert refused.value.field == "code"


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"city": "Leeds"}, "name", "name is required"),
        ({"name": "   "}, "name", "name is required"),
        ({"name": "A", "fax": "1"}, "fax", "unknown customer field"),
        ({"name": "A\x00B"}, "name", "control characters"),
        ({"name": "N" * 201}, "name", "longer than 200"),
        ({"name": "A", "contact_name": "c" * 201}, "contact_name", "longer than 200"),
        ({"name": "A", "email": "not-an-email"}, "email", "not an e-mail"),
        ({"name": "A", "phone": "1" * 51}, "phone", "longer than 50"),
        ({"name": "A", "address1": "a" * 201}, "address1", "longer than 200"),
        ({"name": "A", "address2": "a\x07"}, "address2", "control characters"),
        ({"name": "A", "city": "c" * 101}, "city", "longer than 100"),
        ({"name": "A", "post_code": "p" * 21}, "post_code", "longer than 20"),
        ({"name": "A", "country": "c" * 101}, "country", "longer than 100"),
        ({"name": "A", "currency": "eur"}, "currency", "ISO 4217"),
        ({"name": "A", "currency": "EURO"}, "currency", "longer than 3"),
        ({"name": "A", "credit_limit": "lots"}, "credit_limit", "must be a number"),
        ({"name": "A", "credit_limit": "-0.01"}, "credit_limit", "between 0 and 10^12"),
        ({"name": "A", "credit_limit": "1e13"}, "credit_limit", "between 0 and 10^12"),
        ({"name": "A", "credit_limit": "NaN"}, "credit_limit", "between 0 and 10^12"),
    ],
)
def test_each_field_is_validated_by_name(
    domain: Domain, fields: dict[str, Any], field: str, says: str
) -> None:
    before = domain.store.head()
    with pytest.raises(ValidationError) as refused:
        domain.commands.accounting.save_customer(caller(domain), "C1", fields, create=True)
    assert refused.value.field == field and says in refused.value.message
    assert domain.store.head() == before


def test_an_update_cannot_blank_the_name(domain: Domain) -> None:
    accounting, who = domain.commands.accounting, caller(domain)
    accounting.save_customer(who, "C1", {"name": "Acme"}, create=True)
    with pytest.raises(ValidationError) as refused:
        accounting.save_customer(who, "C1", {"name": "  "}, create=False)
    assert refused.value.field == "name"


def test_a_refused_call_is_recorded_once_per_interval_and_reason(domain: Domain) -> None:
    accounting, app_id = domain.commands.accounting, uuid4()

    def deny(reason: str, interval: datetime, operation: str = "GetCustomer") -> bool:
        return accounting.record_denied_call(app_id, "client-1", operation, "A1", reason, interval)

    assert deny("revoked", INTERVAL, "x" * 500)
    first = domain.store.get(DeniedCall.id_for(app_id, "revoked", INTERVAL), DeniedCall)
    assert (first.operation, first.entity, first.total) == ("x" * 100, "A1", 1)
    head = domain.store.head()
    assert not deny("revoked", INTERVAL)
    assert domain.store.head() == head
    assert deny("read_only", INTERVAL)
    assert deny("revoked", INTERVAL + timedelta(minutes=1))


def test_repeated_refusals_are_counted_on_the_first(domain: Domain) -> None:
    accounting, app_id = domain.commands.accounting, uuid4()
    with pytest.raises(NotFoundError):  # nothing to count on before the first is recorded
        accounting.record_repeated_denials(app_id, "client-1", "revoked", INTERVAL, 3)
    accounting.record_denied_call(app_id, "client-1", "GetCustomer", "A1", "revoked", INTERVAL)
    call_id = DeniedCall.id_for(app_id, "revoked", INTERVAL)
    accounting.record_repeated_denials(app_id, "client-1", "revoked", INTERVAL, 3)
    accounting.record_repeated_denials(app_id, "client-1", "revoked", INTERVAL, 0)
    repeated = domain.store.events_of(call_id)[1:]
    assert [(e.count, e.total, e.since) for e in repeated] == [(3, 4, INTERVAL)]
    assert domain.store.get(call_id, DeniedCall).total == 4


def test_two_processes_flushing_at_once_both_count(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounting, app_id, record = domain.commands.accounting, uuid4(), domain.store.record
    accounting.record_denied_call(app_id, "client-1", "GetCustomer", "A1", "revoked", INTERVAL)
    racing = [True]

    def record_after_the_other_process(*aggregates: Aggregate) -> int:
        if racing:
            racing.clear()
            accounting.record_repeated_denials(app_id, "client-2", "revoked", INTERVAL, 2)
        return record(*aggregates)

    monkeypatch.setattr(domain.store, "record", record_after_the_other_process)
    accounting.record_repeated_denials(app_id, "client-1", "revoked", INTERVAL, 3)
    call = domain.store.get(DeniedCall.id_for(app_id, "revoked", INTERVAL), DeniedCall)
    assert call.total == 6
    assert [e.count for e in domain.store.events_of(call.id)[1:]] == [2, 3]
