"""The SOAP endpoint as WSGI: a guard against hostile XML in front of spyne.

lxml would fetch nothing with spyne's settings, but a DTD is never needed by a SOAP 1.1
request, and refusing it before parsing closes external entities and entity expansion
("billion laughs") for good. Bodies are capped, so no request can make the parser work long.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from io import BytesIO
from typing import Any

from spyne.server.wsgi import WsgiApplication

from soap.gateway import AccountingGateway
from soap.service import soap_application

MAX_SOAP_BYTES = 1024 * 1024
FORBIDDEN = re.compile(rb"<!\s*(doctype|entity|element|attlist)", re.IGNORECASE)
CLIENT_FAULT = re.compile(rb"<faultcode>[^<]*Client", re.IGNORECASE)

StartResponse = Callable[..., Any]


def _fault(status: str, message: str, start_response: StartResponse) -> list[bytes]:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soap11env:Envelope xmlns:soap11env="http://schemas.xmlsoap.org/soap/envelope/">'
        "<soap11env:Body><soap11env:Fault><faultcode>soap11env:Client</faultcode>"
        f"<faultstring>{message}</faultstring></soap11env:Fault></soap11env:Body>"
        "</soap11env:Envelope>"
    ).encode()
    start_response(
        status, [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]


class SoapGuard:
    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "POST":
            refusal = self._screen(environ)
            if refusal is not None:
                return _fault(refusal[0], refusal[1], start_response)
        return self._client_faults_as_400(environ, start_response)

    @staticmethod
    def _screen(environ: dict[str, Any]) -> tuple[str, str] | None:
        declared = environ.get("CONTENT_LENGTH")
        if not declared and not environ.get("wsgi.input_terminated"):
            return "411 Length Required", "send Content-Length"
        try:
            length = int(declared) if declared else MAX_SOAP_BYTES + 1
        except ValueError:
            return "400 Bad Request", "Content-Length is not a number"
        if length > MAX_SOAP_BYTES and declared:
            return "413 Request Entity Too Large", "the request body is larger than 1 MiB"
        # Chunked bodies (no Content-Length) are read up to one byte past the limit.
        body = environ["wsgi.input"].read(length)
        if len(body) > MAX_SOAP_BYTES:
            return "413 Request Entity Too Large", "the request body is larger than 1 MiB"
        if not body.strip():
            return "400 Bad Request", "the request body is empty; send a SOAP envelope"
        if FORBIDDEN.search(body):
            return "400 Bad Request", "DTDs and entity declarations are not allowed"
        environ["wsgi.input"] = BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return None

    def _client_faults_as_400(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        """spyne answers every fault with 500 (SOAP 1.1); a client's mistake is a 400."""
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured.update(status=status, headers=headers)
            return lambda data: None

        body = b"".join(self.app(environ, capture))
        status = captured["status"]
        if status.startswith("500") and CLIENT_FAULT.search(body):
            status = "400 Bad Request"
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(status, [*headers, ("Content-Length", str(len(body)))])
        return [body]


def soap_wsgi_app(gateway: AccountingGateway) -> SoapGuard:
    return SoapGuard(WsgiApplication(soap_application(gateway)))
