"""The API Wiki and Docs (SPEC 13): built from the SOAP service, so it cannot drift from the
WSDL the app serves; the error table covers every code the gateway and service answer."""

from __future__ import annotations

import ast
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from lxml import etree
from markupsafe import escape
from spyne import ServiceBase, Unicode, rpc

import soap.gateway
import soap.service
from api.app import create_app
from api.client_assertions import SIGNING_ALGORITHMS
from api.oauth import AUTH_METHODS
from composition.root import Services
from soap.docs import SoapDocs, build_docs
from soap.error_codes import ERROR_CODES
from soap.service import AccountingService
from soap.types import AiqSoapHeader, CustomerResult

NS = {"wsdl": "http://schemas.xmlsoap.org/wsdl/", "xs": "http://www.w3.org/2001/XMLSchema"}
SOAP_BODY = "{http://schemas.xmlsoap.org/soap/envelope/}Body"
SOAP_HEADER = "{http://schemas.xmlsoap.org/soap/envelope/}Header"
BASE_URL = "http://testserver"  # tests.conftest's BASE_URL
# Sources whose ApiError / _deny / ErrorCode= codes the table must cover.
ANSWERING = [Path(soap.gateway.__file__), Path(soap.service.__file__)]


def docs_for(base_url: str = BASE_URL, **overrides: Any) -> SoapDocs:
    return build_docs(
        base_url,
        auth_methods=tuple(AUTH_METHODS),
        signing_algorithms=tuple(SIGNING_ALGORITHMS),
        token_ttl_seconds=3600,
        **overrides,
    )


@pytest.fixture
def client(services: Services) -> Iterator[FlaskClient]:
    with create_app(services).test_client() as test_client:
        yield test_client


@pytest.fixture
def wsdl(client: FlaskClient) -> Any:
    """The WSDL as the app serves it at /soap?wsdl."""
    response = client.get("/soap?wsdl")
    assert response.status_code == 200
    return etree.fromstring(response.data)


@pytest.fixture
def page(client: FlaskClient) -> str:
    """/portal/docs, with no session of any kind."""
    response = client.get("/portal/docs")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    return response.get_data(as_text=True)


# -- reading the WSDL ---------------------------------------------------------------------------
def schema_of(wsdl: Any) -> Any:
    (schema,) = wsdl.findall("wsdl:types/xs:schema", NS)
    return schema


def local(qname: str) -> str:
    return qname.split(":", 1)[-1]


def sequence(schema: Any, type_name: str) -> list[str]:
    """The element names of a complexType, in order."""
    (complex_type,) = schema.xpath(f"xs:complexType[@name='{type_name}']", namespaces=NS)
    return [e.get("name") for e in complex_type.findall("xs:sequence/xs:element", NS)]


def element_type(schema: Any, element: str) -> str:
    (declared,) = schema.xpath(f"xs:element[@name='{element}']", namespaces=NS)
    return local(declared.get("type"))


def message_element(wsdl: Any, operation: str, direction: str) -> str:
    """The global element of an operation's input or output message."""
    (op,) = wsdl.xpath(f"wsdl:portType/wsdl:operation[@name='{operation}']", namespaces=NS)
    message = local(op.find(f"wsdl:{direction}", NS).get("message"))
    (part,) = wsdl.xpath(f"wsdl:message[@name='{message}']/wsdl:part", namespaces=NS)
    return local(part.get("element"))


def body_xml(envelope: str) -> str:
    """The lines of an example envelope's body, as the examples carry them."""
    start, end = envelope.index("  <soapenv:Body>"), envelope.index("</soapenv:Body>")
    return envelope[start:end]


def squeeze(text: str) -> str:
    return " ".join(text.split())


def wsdl_operations(wsdl: Any) -> set[str]:
    return {op.get("name") for op in wsdl.findall("wsdl:portType/wsdl:operation", NS)}


# -- the WSDL and the docs say the same ---------------------------------------------------------
def test_every_operation_of_the_wsdl_is_documented(wsdl: Any, page: str) -> None:
    served = wsdl_operations(wsdl)
    assert {"Ping", "GetCustomer", "UpdateCustomer"} <= served  # the parse finds them
    documented = [op.name for op in docs_for().operations]
    assert len(documented) == len(set(documented))
    assert set(documented) == served, "an operation of the WSDL is missing from /portal/docs"
    for name in served:
        assert f'id="op-{name}"' in page, name
        assert f'id="example-{name}-python"' in page, name
        assert f'id="example-{name}-csharp"' in page, name
        assert f'id="example-{name}-curl"' in page, name


def test_inputs_outputs_and_types_are_the_wsdls(wsdl: Any) -> None:
    schema = schema_of(wsdl)
    docs = docs_for()
    for op in docs.operations:
        request = message_element(wsdl, op.name, "input")
        assert [f.name for f in op.inputs] == sequence(schema, element_type(schema, request))
        response = message_element(wsdl, op.name, "output")
        assert sequence(schema, element_type(schema, response)) == [op.result_element]
        (result,) = schema.xpath(
            f"xs:complexType[@name='{element_type(schema, response)}']"
            f"/xs:sequence/xs:element[@name='{op.result_element}']",
            namespaces=NS,
        )
        result_type = local(result.get("type"))
        if op.outputs:
            assert op.result_type == result_type
            assert [f.name for f in op.outputs] == sequence(schema, result_type)
        else:
            assert result_type == op.result_type  # a plain value: xs:string for Ping
    assert docs.header is not None
    assert [f.name for f in docs.header.fields] == sequence(schema, docs.header.name)
    assert {t.name for t in docs.types} == {"Customer", "Entity", "CompanyInformation", "GLAccount"}
    for type_doc in docs.types:
        assert [f.name for f in type_doc.fields] == sequence(schema, type_doc.name)
    header = [f for f in docs.header.fields if f.name == "AccessToken"]
    assert header[0].notes.startswith("At most 2048 characters")  # MAX_ACCESS_TOKEN_CHARS


def test_every_example_request_and_response_is_valid_by_the_wsdls_schema(wsdl: Any) -> None:
    schema = etree.XMLSchema(etree.fromstring(etree.tostring(schema_of(wsdl))))
    docs = docs_for()

    def valid(element: Any) -> None:
        document = etree.ElementTree(etree.fromstring(etree.tostring(element)))
        assert schema.validate(document), (etree.tostring(element), schema.error_log)

    for op in docs.operations:
        request = etree.fromstring(op.request_xml)
        (body,) = request.find(SOAP_BODY)
        assert etree.QName(body).localname == op.name
        valid(body)
        headers = request.find(SOAP_HEADER)
        assert (headers is not None) == op.needs_entity, op.name
        if headers is not None:
            (header,) = headers
            valid(header)
        (answer,) = etree.fromstring(op.response_xml).find(SOAP_BODY)
        valid(answer)
        # Each example sends the same body (the entity from the environment).
        for example in op.examples:
            if example.key != "python":
                assert squeeze(body_xml(op.request_xml)) in squeeze(example.code), example.key
            if op.needs_entity:
                assert "AIQ_ENTITY" in example.code
    for header_xml in (docs.header_xml, docs.header_token_xml):
        (header,) = etree.fromstring(
            header_xml.replace(
                "<soapenv:Header>",
                '<soapenv:Header xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
                ' xmlns:tns="http://integrations.aiq.example/soap">',
            )
        )
        valid(header)


def test_the_examples_are_valid_python_and_shell() -> None:
    docs = docs_for()
    python = [e.code for e in docs.token_examples if e.key == "python"]
    shell = [e.code for e in docs.token_examples if e.key.startswith("curl")]
    for op in docs.operations:
        python += [e.code for e in op.examples if e.key == "python"]
        shell += [e.code for e in op.examples if e.key == "curl"]
    for code in python:
        compile(code, "example.py", "exec")
    for code in shell:
        checked = subprocess.run(["bash", "-n"], input=code, text=True, capture_output=True)
        assert checked.returncode == 0, (code, checked.stderr)
    assert len(python) == len(docs.operations) + 1


def test_the_examples_use_the_base_url() -> None:
    docs = docs_for("https://aiq.example/integrations/")
    assert docs.token_url == "https://aiq.example/integrations/oauth/token"
    assert docs.wsdl_url == "https://aiq.example/integrations/soap?wsdl"
    assert docs.metadata_url == (
        "https://aiq.example/integrations/.well-known/oauth-authorization-server"
    )
    for example in docs.token_examples:
        assert '"https://aiq.example/integrations/oauth/token"' in example.code, example.key
    for op in docs.operations:
        by_key = {e.key: e.code for e in op.examples}
        assert 'zeep.Client("https://aiq.example/integrations/soap?wsdl"' in by_key["python"]
        assert '"https://aiq.example/integrations/soap"' in by_key["csharp"]
        assert 'curl -s "https://aiq.example/integrations/soap"' in by_key["curl"]
        assert f'"\\"{op.name}\\""' in by_key["csharp"]  # its SOAPAction
        assert ("Bearer" in by_key["curl"]) == op.authorised


def test_the_page_shows_the_base_url_of_the_settings(page: str) -> None:
    assert f"{BASE_URL}/oauth/token" in page
    assert f"zeep.Client(&#34;{BASE_URL}/soap?wsdl&#34;" in page
    assert f"{BASE_URL}/.well-known/oauth-authorization-server" in page
    for method in AUTH_METHODS:
        assert f"<code>{method}</code>" in page


def test_operations_say_what_they_need() -> None:
    ops = {op.name: op for op in docs_for().operations}
    assert not ops["Ping"].authorised and not ops["Ping"].needs_entity
    assert "Authorization" not in ops["Ping"].examples[0].code
    assert ops["GetEntitiesByToken"].authorised and not ops["GetEntitiesByToken"].needs_entity
    assert ops["UpdateCustomer"].writes and ops["UpdateCustomer"].needs_entity
    assert not ops["GetCustomer"].writes
    (code,) = ops["GetCustomer"].inputs
    assert (code.name, code.type, code.notes[:22]) == (
        "customerCode",
        "string",
        "At most 64 characters.",
    )
    customer = ops["UpdateCustomer"].inputs[0]
    assert (customer.type, customer.type_ref) == ("Customer", "Customer")
    result = ops["GetEntitiesByToken"].outputs[-1]
    assert (result.name, result.type, result.type_ref) == ("Result", "list of Entity", "Entity")
    for op in ops.values():
        assert op.summary, op.name


class ExtraService(ServiceBase):  # type: ignore[misc]
    """An operation added later: documented with nothing written for it in soap/docs.py."""

    __in_header__ = AiqSoapHeader

    @rpc(Unicode(max_len=20), _returns=CustomerResult)
    def GetInvoice(ctx: Any, invoiceNumber: str) -> Any:
        """One invoice, by its number."""
        return None


def test_a_new_operation_is_documented_from_its_definition_alone() -> None:
    docs = docs_for(services=(AccountingService, ExtraService))
    (op,) = [op for op in docs.operations if op.name == "GetInvoice"]
    assert op.summary == "One invoice, by its number."
    assert [(f.name, f.notes) for f in op.inputs] == [("invoiceNumber", "At most 20 characters.")]
    assert op.authorised and op.result_type == "CustomerResult"
    assert "client.service.GetInvoice(invoiceNumber=" in op.examples[0].code
    assert "<tns:invoiceNumber>" in op.examples[2].code


# -- the error codes: one table, all of it shown, every answered code in it ----------------------
def answered_codes(path: Path) -> set[str]:
    """Codes in ApiError(code, ...), self._deny(..., code, ...), ErrorCode=..., code = ..."""
    tree = ast.parse(path.read_text(encoding="utf-8"))

    def strings(node: ast.AST) -> set[str]:
        return {
            n.value
            for n in ast.walk(node)
            if isinstance(n, ast.Constant)
            and isinstance(n.value, str)
            and re.fullmatch(r"[A-Z][A-Z0-9_]+", n.value)
        }

    deny_position = None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "_deny":
            params = [a.arg for a in node.args.args if a.arg != "self"]
            deny_position = params.index("code")
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "ApiError" and node.args:
                found |= strings(node.args[0])
            if name == "_deny" and deny_position is not None and len(node.args) > deny_position:
                found |= strings(node.args[deny_position])
            for keyword in node.keywords:
                if keyword.arg in ("code", "ErrorCode"):
                    found |= strings(keyword.value)
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and "code" in t.id.lower() for t in targets):
                found |= strings(node.value) if node.value is not None else set()
    return found


def test_every_error_code_the_gateway_or_service_answers_is_in_the_table() -> None:
    answered = set().union(*(answered_codes(path) for path in ANSWERING))
    # The scan does find them (it is not vacuous).
    assert {
        "INVALID_TOKEN",
        "TOKEN_EXPIRED",
        "APPLICATION_REVOKED",
        "ENTITY_REQUIRED",
        "ENTITY_NOT_PERMITTED",
        "READ_ONLY",
        "VALIDATION_FAILED",
        "NOT_FOUND",
        "IP_NOT_ALLOWED",
    } <= answered
    assert answered - set(ERROR_CODES) == set(), "add these to soap/error_codes.py"
    assert "APPLICATION_SUSPENDED" in ERROR_CODES  # the AIQ3 plan's, being added to the gateway
    for code, meaning in ERROR_CODES.items():
        assert re.fullmatch(r"[A-Z][A-Z_]+", code) and meaning.strip(), code


def test_every_code_of_the_table_is_on_the_page(page: str) -> None:
    assert docs_for().error_codes == tuple(ERROR_CODES.items())
    for code, meaning in ERROR_CODES.items():
        assert f'<tr id="error-{code}"><td><code>{code}</code></td>' in page, code
        assert str(escape(meaning)) in page, code


def test_the_page_needs_no_login_and_runs_under_the_csp(client: FlaskClient, page: str) -> None:
    response = client.get("/portal/docs")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    # Nothing inline: every script is a file of ours, and there are no style attributes.
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts == ['<script type="module" src="/ui/portal/api_docs.js">']
    assert "<style" not in page and " style=" not in page and "onclick=" not in page
    assert client.get("/ui/portal/api_docs.js").status_code == 200
