"""The SOAP guard reads the body in its real charset: a lying or unknown charset, a DTD in
UTF-16 and SOAP-encoding reference cycles get a Client fault with a 4xx, never a 500 or a hang.
"""

from __future__ import annotations

import codecs

import pytest
import requests

from tests.soap.conftest import SoapWorld
from tests.soap.test_hostile_xml import ENVELOPE, LAUGHS

GL_LIST = ENVELOPE.format(body="<tns:GetGLAccountList/>")
CYCLE = ENVELOPE.format(
    body='<tns:GetCustomer><tns:customerCode href="#r1"/></tns:GetCustomer>'
    '<multiRef id="r1"><x href="#r1"/></multiRef>'
)
DANGLING = ENVELOPE.format(
    body='<tns:GetCustomer><tns:customerCode href="#nowhere"/></tns:GetCustomer>'
)
UTF16_DECLARED = '<?xml version="1.0" encoding="UTF-16"?>'

# name: (body bytes, Content-Type, expected status, what the faultstring says)
CASES: dict[str, tuple[bytes, str, int, str]] = {
    "UTF-16 body declared as utf-8": (
        GL_LIST.encode("utf-16"),
        "text/xml; charset=utf-8",
        400,
        "not valid utf-8",
    ),
    "UTF-16 without a byte-order mark declared as utf-8": (
        GL_LIST.encode("utf-16-le"),
        "text/xml; charset=utf-8",
        400,
        "not valid utf-8",
    ),
    "unknown charset": (GL_LIST.encode(), "text/xml; charset=x-nonsense", 415, "charset"),
    "a codec that is not a text encoding": (
        GL_LIST.encode(),
        "text/xml; charset=rot13",
        415,
        "charset",
    ),
    "billion laughs in UTF-16 (declared)": (
        LAUGHS.encode("utf-16"),
        "text/xml; charset=utf-16",
        400,
        "DTD",
    ),
    "billion laughs in UTF-16 (byte-order mark only)": (
        LAUGHS.encode("utf-16"),
        "text/xml",
        400,
        "DTD",
    ),
    "billion laughs in UTF-16 (XML declaration only, big-endian)": (
        (UTF16_DECLARED + LAUGHS.removeprefix('<?xml version="1.0"?>')).encode("utf-16-be"),
        "text/xml",
        400,
        "DTD",
    ),
    "href cycle (multiRef pointing at itself)": (
        CYCLE.encode(),
        "text/xml; charset=utf-8",
        400,
        "href",
    ),
    "href to an id that does not exist": (DANGLING.encode(), "text/xml", 400, "href"),
}


@pytest.mark.parametrize("name", CASES)
def test_lying_charsets_utf16_dtds_and_href_cycles_get_a_client_fault(
    soap_world: SoapWorld, name: str
) -> None:
    payload, content_type, status, says = CASES[name]
    response = requests.post(
        f"{soap_world.server.url}/soap",
        data=payload,
        headers={
            "Content-Type": content_type,
            "Authorization": f"Bearer {soap_world.writer_token}",
        },
        timeout=60,
    )
    assert response.status_code == status, response.text[:500]
    assert "<faultcode>soap11env:Client</faultcode>" in response.text
    assert says in response.text


@pytest.mark.parametrize(
    "encoding, content_type",
    [
        ("utf-16", "text/xml; charset=utf-16"),
        ("utf-16", "text/xml"),  # the byte-order mark says it
        ("utf-8-sig", "text/xml"),
        ("iso-8859-1", "text/xml; charset=ISO-8859-1"),
        ("utf-16-le", "text/xml; charset=UTF-16LE"),
    ],
)
def test_honest_charsets_still_work(
    soap_world: SoapWorld, encoding: str, content_type: str
) -> None:
    declared = f'<?xml version="1.0" encoding="{codecs.lookup(encoding).name}"?>'
    response = requests.post(
        f"{soap_world.server.url}/soap",
        data=(declared + GL_LIST).encode(encoding),
        headers={
            "Content-Type": content_type,
            "SOAPAction": "GetGLAccountList",
            "Authorization": f"Bearer {soap_world.writer_token}",
        },
        timeout=60,
    )
    assert response.status_code == 200, response.text[:500]
    assert "Bank Current Account" in response.text
