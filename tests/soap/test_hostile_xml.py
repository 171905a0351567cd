"""Hostile and malformed SOAP requests get a fault, never a file read, a hang or a 500."""

from __future__ import annotations

import time

import pytest
import requests

from tests.soap.conftest import SoapWorld

ENVELOPE = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:tns="http://integrations.aiq.example/soap"><soapenv:Header><tns:AiqSoapHeader>'
    "<tns:Entity>A1</tns:Entity></tns:AiqSoapHeader></soapenv:Header><soapenv:Body>{body}"
    "</soapenv:Body></soapenv:Envelope>"
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    + ENVELOPE.format(
        body="<tns:GetCustomer><tns:customerCode>&x;</tns:customerCode></tns:GetCustomer>"
    )
)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + "]>"
    + ENVELOPE.format(
        body="<tns:GetCustomer><tns:customerCode>&lol9;</tns:customerCode></tns:GetCustomer>"
    )
)
CASES = {
    "external entity": (XXE, 400),
    "billion laughs": (LAUGHS, 400),
    "doctype in lower case": (XXE.replace("DOCTYPE", "doctype"), 400),
    "not xml": ("this is not xml", 400),
    "truncated envelope": (ENVELOPE.format(body="<tns:GetCustomerList>")[:-40], 400),
    "empty body": ("", 400),
    "unknown operation": (ENVELOPE.format(body="<tns:DropAllTables/>"), 400),
    "wrong namespace": (ENVELOPE.format(body='<x:GetCustomerList xmlns:x="urn:x"/>'), 400),
    "body is not an envelope": ("<hello/>", 400),
}


@pytest.mark.parametrize("name", CASES)
def test_hostile_or_malformed_requests_get_a_client_fault(soap_world: SoapWorld, name: str) -> None:
    payload, status = CASES[name]
    started = time.monotonic()
    response = requests.post(
        f"{soap_world.server.url}/soap",
        data=payload.encode(),
        headers={
            "Content-Type": "text/xml; charset=utf-8",
            "Authorization": f"Bearer {soap_world.writer_token}",
        },
        timeout=30,
    )
    assert response.status_code == status, response.text[:500]
    assert "Fault" in response.text and "faultcode" in response.text
    assert "root:" not in response.text  # nothing of /etc/passwd
    assert "Traceback" not in response.text
    assert time.monotonic() - started < 10  # bounded: no entity expansion happened


def test_an_oversized_body_is_refused_before_parsing(soap_world: SoapWorld) -> None:
    body = ENVELOPE.format(
        body="<tns:GetCustomer><tns:customerCode>"
        + "A" * (2 * 1024 * 1024)
        + "</tns:customerCode></tns:GetCustomer>"
    )
    response = requests.post(
        f"{soap_world.server.url}/soap",
        data=body.encode(),
        headers={"Content-Type": "text/xml"},
        timeout=30,
    )
    assert response.status_code == 413
    assert "larger than 1 MiB" in response.text


def test_a_plain_soap_request_with_curl_style_headers_works(soap_world: SoapWorld) -> None:
    body = ENVELOPE.format(body="<tns:GetGLAccountList/>")
    response = requests.post(
        f"{soap_world.server.url}/soap",
        data=body.encode(),
        headers={
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": "GetGLAccountList",
            "Authorization": f"Bearer {soap_world.writer_token}",
        },
        timeout=30,
    )
    assert response.status_code == 200
    assert "<tns:Status>Success</tns:Status>" in response.text
    assert "Bank Current Account" in response.text


def test_an_overlong_entity_or_code_is_a_fault_not_a_crash(soap_world: SoapWorld) -> None:
    body = ENVELOPE.replace(
        "<tns:Entity>A1</tns:Entity>", "<tns:Entity>" + "E" * 5000 + "</tns:Entity>"
    ).format(body="<tns:GetGLAccountList/>")
    response = requests.post(
        f"{soap_world.server.url}/soap",
        data=body.encode(),
        headers={"Content-Type": "text/xml", "Authorization": f"Bearer {soap_world.writer_token}"},
        timeout=30,
    )
    assert response.status_code in (200, 400)
    assert ("Fault" in response.text) or ("ENTITY_NOT_PERMITTED" in response.text)
