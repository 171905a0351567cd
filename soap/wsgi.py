"""The SOAP endpoint as WSGI: a guard against hostile XML in front of spyne.

lxml would fetch nothing with spyne's settings, but a DTD is never needed by a SOAP 1.1
request, and refusing it before parsing closes external entities and entity expansion
("billion laughs") for good. The body is decoded first with its real charset (declared,
byte-order mark or XML declaration), so a UTF-16 DTD is seen too, and spyne then gets it as
UTF-8. SOAP-encoding references (`href`) are refused: spyne follows them recursively, and a
document/literal service never needs them. Bodies are capped, so no request can make the
parser work long.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable
from io import BytesIO
from typing import Any

from lxml import etree
from spyne.server.wsgi import WsgiApplication

from soap.gateway import AccountingGateway
from soap.service import soap_application

MAX_SOAP_BYTES = 1024 * 1024
FORBIDDEN = re.compile(r"<!\s*(doctype|entity|element|attlist)", re.IGNORECASE)
CHARSETS = frozenset({"utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii", "iso8859-1"})
CHARSET_PARAM = re.compile(r";\s*charset\s*=\s*\"?([^\";\s]*)\"?", re.IGNORECASE)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
DECLARED_ENCODING = re.compile(rb"^<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")
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
        content_type = environ.get("CONTENT_TYPE", "")
        text = _decoded(body, content_type)
        if isinstance(text, tuple):
            return text
        if FORBIDDEN.search(text):
            return "400 Bad Request", "DTDs and entity declarations are not allowed"
        if _has_references(text):
            return "400 Bad Request", "SOAP-encoding references (href) are not supported"
        body = XML_DECLARATION.sub("", text, count=1).encode()
        media_type = content_type.split(";", 1)[0].strip() or "text/xml"
        environ["CONTENT_TYPE"] = f"{media_type}; charset=utf-8"
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


def _charset_of(body: bytes, content_type: str) -> str:
    """The declared charset, else the byte-order mark's or what the first bytes of an XML
    declaration show, else the declaration's encoding, else UTF-8."""
    declared = CHARSET_PARAM.search(content_type)
    if declared:
        return declared.group(1)
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if body.startswith((b"\x00<\x00?", b"<\x00?\x00")):  # XML 1.0 appendix F, no BOM
        return "utf-16-be" if body[0] == 0 else "utf-16-le"
    in_declaration = DECLARED_ENCODING.match(body)
    return in_declaration.group(1).decode() if in_declaration else "utf-8"


def _decoded(body: bytes, content_type: str) -> str | tuple[str, str]:
    """The body as text, or the refusal (status, message) if its charset is not honest."""
    charset = _charset_of(body, content_type)
    try:
        codec = codecs.lookup(charset).name
    except LookupError:
        codec = ""
    if codec not in CHARSETS:
        return "415 Unsupported Media Type", "unsupported charset; send UTF-8"
    if codec == "utf-8" and body.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    try:
        text = body.decode(codec)
    except UnicodeDecodeError:
        return "400 Bad Request", f"the body is not valid {codec}"
    if "\x00" in text:  # e.g. UTF-16 without a byte-order mark, declared as UTF-8
        return "400 Bad Request", f"the body is not valid {codec}: it has NUL characters"
    return text.removeprefix("\ufeff")


def _has_references(text: str) -> bool:
    """Whether any element has a SOAP-encoding `href` (not well-formed XML: spyne says so).

    Only a body that mentions "href" at all is parsed here, so ordinary calls are parsed once,
    by spyne."""
    if "href" not in text:
        return False
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(XML_DECLARATION.sub("", text, count=1).encode(), parser)
    except etree.XMLSyntaxError:
        return False
    return any(element.get("href") is not None for element in root.iter())


def soap_wsgi_app(gateway: AccountingGateway) -> SoapGuard:
    return SoapGuard(WsgiApplication(soap_application(gateway)))
