"""The SOAP API's documentation, built from the service's own definitions (SPEC 13).

The Developer Portal's "API Wiki and Docs" (/portal/docs) renders what `build_docs` returns.
Nothing here lists the operations: they, their parameters, their results and the types under
them are read from the spyne service (`ServiceBase.public_methods`, each method's
`in_message` / `out_message` and their `_type_info`), which is what the WSDL is generated
from, so the page cannot drift from the WSDL. Which operations need an entity or write comes
from the gateway's own sets, the error codes from soap.error_codes. Prose (what an operation
is for, what a field means) and example values are looked up by name and are optional: an
operation added tomorrow is documented with its inputs, outputs and examples all the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from spyne import ServiceBase
from spyne.model.complex import Array, ComplexModelBase

from soap.error_codes import ERROR_CODES
from soap.gateway import NEEDS_ENTITY, WRITES
from soap.service import AccountingService
from soap.types import TNS

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
ENVELOPE_FIELDS = ("Status", "ErrorCode")  # a result type with these is the result envelope

# Environment variables the examples read, so each runs as shown once they are set.
ENV_CLIENT_ID = "AIQ_CLIENT_ID"
ENV_CLIENT_SECRET = "AIQ_CLIENT_SECRET"
ENV_ACCESS_TOKEN = "AIQ_ACCESS_TOKEN"
ENV_ENTITY = "AIQ_ENTITY"

SUMMARIES = {
    "Ping": "Checks that the service answers. Needs no access token; it returns pong.",
    "GetEntitiesByToken": (
        "Lists the entities (companies) the application may access, with the codes to send in "
        "AiqSoapHeader/Entity."
    ),
    "GetCompanyInformation": "The entity named in the header: its code, name and base currency.",
    "GetGLAccountList": "The general ledger accounts of the entity: code, name and type.",
    "GetCustomerList": "Every customer of the entity.",
    "GetCustomer": "One customer of the entity, by its code.",
    "UpdateCustomer": (
        "Creates a customer (create true) or changes one (create false: only the fields sent "
        "change). Needs read and write permission."
    ),
}

# What a field or parameter means, by "Owner.name" (owner: a type or an operation), or by
# "*.name" for the result envelope's fields, whichever result type they are in.
NOTES = {
    "AiqSoapHeader.Entity": (
        "The code of the entity the call works on (GetEntitiesByToken lists them); "
        "case-insensitive."
    ),
    "AiqSoapHeader.AccessToken": (
        "The access token, for clients that cannot set the HTTP Authorization header; "
        "the header wins when both are sent."
    ),
    "*.Status": "Success or Failure.",
    "*.ErrorCode": "On Failure: one of the error codes below.",
    "*.ErrorMessage": "On Failure: what went wrong, in words.",
    "*.HasExpired": "True when the access token has expired (ErrorCode TOKEN_EXPIRED).",
    "*.Result": "On Success: what the operation returns.",
    "GetCustomer.customerCode": "The customer's code; case-insensitive.",
    "UpdateCustomer.customer": (
        "The customer's fields; Code names the customer. Fields left out are not changed."
    ),
    "UpdateCustomer.create": (
        "True creates a new customer (Name is required, the code must be new); false changes "
        "an existing one."
    ),
    "Customer.Code": "1 to 20 letters, digits, '.', '_' or '-'; unique in the entity.",
    "Customer.Email": "An e-mail address.",
    "Customer.Currency": "An ISO 4217 code such as EUR.",
    "Customer.CreditLimit": "From 0 to 10^12, kept to two decimals.",
    "Entity.Code": "The code to send in AiqSoapHeader/Entity.",
    "GLAccount.AccountType": "Asset, Liability, Equity, Income or Expense.",
}

# Example values, by "Owner.name", then by "name"; otherwise one by type.
SAMPLES: dict[str, Any] = {
    "Customer.Code": "ACME",
    "Customer.Name": "Acme Ltd",
    "ContactName": "Ada Lovelace",
    "Email": "ap@acme.example",
    "Phone": "+44 20 7946 0000",
    "Address1": "1 High Street",
    "Address2": "Floor 2",
    "City": "London",
    "PostCode": "EC1A 1AA",
    "Country": "GB",
    "Currency": "EUR",
    "BaseCurrency": "EUR",
    "CreditLimit": Decimal("2500.00"),
    "OnHold": False,
    "customerCode": "ACME",
    "create": True,
    "Entity.Code": "DEMO-UK",
    "Entity.Name": "Demo UK Ltd",
    "CompanyInformation.Code": "DEMO-UK",
    "CompanyInformation.Name": "Demo UK Ltd",
    "GLAccount.Code": "1000",
    "GLAccount.Name": "Bank",
    "GLAccount.AccountType": "Asset",
    "Status": "Success",
    "HasExpired": False,
    "AccessToken": "YOUR_ACCESS_TOKEN",
    "AiqSoapHeader.Entity": "DEMO-UK",
    "Ping.PingResult": "pong",
}
SAMPLE_BY_TYPE: dict[str, Any] = {
    "string": "text",
    "decimal": Decimal("1.00"),
    "boolean": False,
    "integer": 1,
    "int": 1,
    "long": 1,
    "float": 1.5,
    "double": 1.5,
    "date": "2025-01-31",
    "dateTime": "2025-01-31T12:00:00Z",
}
# Left out of success examples: the envelope's failure fields.
FAILURE_ONLY = frozenset({"ErrorCode", "ErrorMessage"})

AUTH_METHOD_NOTES = {
    "client_secret_basic": (
        "HTTP Basic authentication: the client id as the user name, the client secret as the "
        "password."
    ),
    "client_secret_post": "client_id and client_secret as form fields of the POST body.",
    "private_key_jwt": (
        "No secret is sent: client_assertion_type="
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer and client_assertion, a JWT "
        "signed ({algorithms}) with a private key whose public key you registered on your "
        "application's page: iss and sub your client id, aud the token URL, exp at most 5 "
        "minutes ahead and a new jti each time. The application's page shows an example."
    ),
}


@dataclass(frozen=True)
class FieldDoc:
    name: str
    type: str  # "string", "decimal", "Customer", "list of Entity", ...
    type_ref: str | None  # the complex type documented under Types, if it is one
    notes: str


@dataclass(frozen=True)
class TypeDoc:
    name: str
    fields: tuple[FieldDoc, ...]


@dataclass(frozen=True)
class Example:
    key: str  # python, csharp, curl
    language: str
    code: str


@dataclass(frozen=True)
class OperationDoc:
    name: str
    summary: str
    soap_action: str
    authorised: bool  # needs an access token (its result is the result envelope)
    needs_entity: bool
    writes: bool
    inputs: tuple[FieldDoc, ...]
    result_element: str
    result_type: str
    outputs: tuple[FieldDoc, ...]  # the result type's fields (empty for a plain value)
    request_xml: str
    response_xml: str
    examples: tuple[Example, ...]


@dataclass(frozen=True)
class AuthMethodDoc:
    name: str
    notes: str


@dataclass(frozen=True)
class SoapDocs:
    base_url: str
    soap_url: str
    wsdl_url: str
    namespace: str
    token_url: str
    metadata_url: str
    revocation_url: str
    token_ttl_seconds: int
    auth_methods: tuple[AuthMethodDoc, ...]
    token_examples: tuple[Example, ...]
    header: TypeDoc | None
    header_xml: str
    header_token_xml: str
    envelope: tuple[FieldDoc, ...]
    operations: tuple[OperationDoc, ...]
    types: tuple[TypeDoc, ...]
    error_codes: tuple[tuple[str, str], ...]


# -- reading spyne's definitions ------------------------------------------------------------
def _is_complex(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, ComplexModelBase)


def _is_array(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, Array)


def _array_item(cls: Any) -> tuple[str, Any]:
    name, item = next(iter(cls._type_info.items()))
    return str(name), item


def _type_name(cls: Any) -> str:
    """The XML Schema name; of a customised simple type (Unicode(max_len=64)), the name of the
    type it restricts ("string"), whether or not an Application has named it already."""
    if not _is_complex(cls):
        while getattr(cls, "__orig__", None) not in (None, cls):
            cls = cls.__orig__
    name = cls.get_type_name()
    if isinstance(name, str):
        return name
    original = getattr(cls, "__orig__", None)  # a customised complex type
    if original is not None and original is not cls:
        return _type_name(original)
    return "anyType"


def _fields(cls: Any) -> list[tuple[str, Any]]:
    return [(str(name), member) for name, member in cls._type_info.items()]


def _is_envelope(cls: Any) -> bool:
    return _is_complex(cls) and all(name in cls._type_info for name in ENVELOPE_FIELDS)


def _max_len(cls: Any) -> int | None:
    limit = getattr(cls.Attributes, "max_len", None)
    if limit is None or not Decimal(limit).is_finite():
        return None
    return int(limit)


def _field_doc(owner: str, name: str, cls: Any) -> FieldDoc:
    notes = NOTES.get(f"{owner}.{name}") or NOTES.get(f"*.{name}", "")
    limit = _max_len(cls)
    if limit is not None:
        notes = f"At most {limit} characters. {notes}".strip()
    if _is_array(cls):
        _, item = _array_item(cls)
        return FieldDoc(name, f"list of {_type_name(item)}", _type_name(item), notes)
    type_ref = _type_name(cls) if _is_complex(cls) else None
    return FieldDoc(name, _type_name(cls), type_ref, notes)


def _header_class(service: Any, descriptor: Any) -> Any:
    headers = descriptor.in_header or getattr(service, "__in_header__", None)
    if isinstance(headers, tuple | list):
        return headers[0] if headers else None
    return headers


def _methods(services: Iterable[Any]) -> list[tuple[Any, Any]]:
    return [
        (service, descriptor)
        for service in services
        for descriptor in service.public_methods.values()
    ]


def _collect_types(cls: Any, found: dict[str, Any]) -> None:
    """Complex types under `cls` (not the result envelopes themselves), in first-use order."""
    if _is_array(cls):
        _collect_types(_array_item(cls)[1], found)
        return
    if not _is_complex(cls):
        return
    if not _is_envelope(cls) and _type_name(cls) not in found:
        found[_type_name(cls)] = cls
    for _, member in _fields(cls):
        _collect_types(member, found)


# -- example values and XML -----------------------------------------------------------------
def _sample(owner: str, name: str, cls: Any) -> Any:
    if _is_array(cls):
        _, item = _array_item(cls)
        return [_sample_object(item)]
    if _is_complex(cls):
        return _sample_object(cls)
    for key in (f"{owner}.{name}", name):
        if key in SAMPLES:
            return SAMPLES[key]
    return SAMPLE_BY_TYPE.get(_type_name(cls), "text")


def _sample_object(cls: Any, leave_out: frozenset[str] = frozenset()) -> dict[str, Any]:
    owner = _type_name(cls)
    return {
        name: _sample(owner, name, member) for name, member in _fields(cls) if name not in leave_out
    }


def _xml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def _xml(name: str, cls: Any, value: Any, depth: int) -> list[str]:
    pad = "  " * depth
    if _is_array(cls):
        item_name, item = _array_item(cls)
        lines = [f"{pad}<tns:{name}>"]
        for entry in value:
            lines += _xml(item_name, item, entry, depth + 1)
        return [*lines, f"{pad}</tns:{name}>"]
    if _is_complex(cls):
        lines = [f"{pad}<tns:{name}>"]
        for field, member in _fields(cls):
            if field in value:
                lines += _xml(field, member, value[field], depth + 1)
        return [*lines, f"{pad}</tns:{name}>"]
    return [f"{pad}<tns:{name}>{_xml_text(value)}</tns:{name}>"]


def _element(name: str, cls: Any, value: dict[str, Any], depth: int) -> list[str]:
    if not value:
        return [f"{'  ' * depth}<tns:{name}/>"]
    return _xml(name, cls, value, depth)


def _envelope(header: list[str], body: list[str]) -> str:
    lines = [f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}"', f'    xmlns:tns="{TNS}">']
    if header:
        lines += ["  <soapenv:Header>", *header, "  </soapenv:Header>"]
    return "\n".join(
        [*lines, "  <soapenv:Body>", *body, "  </soapenv:Body>", "</soapenv:Envelope>"]
    )


def _header_xml(header: Any, values: dict[str, Any]) -> list[str]:
    return _xml(_type_name(header), header, values, 2)


def _soap_header(header: Any, values: dict[str, Any]) -> str:
    """The SOAP header alone, as it sits in the envelope."""
    lines = _xml(_type_name(header), header, values, 1)
    return "\n".join(["<soapenv:Header>", *lines, "</soapenv:Header>"])


# -- the examples -----------------------------------------------------------------------------
def _py(value: Any, depth: int) -> str:
    pad = "    " * depth
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = "".join(f'{pad}    "{k}": {_py(v, depth + 1)},\n' for k, v in value.items())
        return "{\n" + inner + pad + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_py(v, depth) for v in value) + "]"
    if isinstance(value, bool | int | float):
        return repr(value)
    return json.dumps(str(value))


def _python_example(op: _Op, docs: _Context) -> str:
    if not op.authorised:
        call = f"client.service.{op.name}({_py_args(op, header=False)})"
        return "\n".join(
            [
                "import zeep",
                "",
                f'client = zeep.Client("{docs.wsdl_url}")',
                f"print({call})",
                "",
            ]
        )
    lines = [
        "import os",
        "",
        "import requests",
        "import zeep",
        "from zeep.transports import Transport",
        "",
        "session = requests.Session()",
        f'session.headers["Authorization"] = f"Bearer {{os.environ[\'{ENV_ACCESS_TOKEN}\']}}"',
        f'client = zeep.Client("{docs.wsdl_url}", transport=Transport(session=session))',
    ]
    if op.needs_entity and docs.header is not None:
        header = _type_name(docs.header)
        lines += [
            f'{header} = client.get_element("{{{docs.namespace}}}{header}")',
            f'header = {header}(Entity=os.environ["{ENV_ENTITY}"])',
        ]
    lines += [
        "",
        f"result = client.service.{op.name}({_py_args(op, header=op.needs_entity)})",
        'if result.Status != "Success":',
        '    raise SystemExit(f"{result.ErrorCode}: {result.ErrorMessage}")',
        "print(result.Result)",
        "",
    ]
    return "\n".join(lines)


def _py_args(op: _Op, header: bool) -> str:
    args = [f"{name}={_py(value, 1)}" for name, value in op.arguments.items()]
    if header:
        args.append("_soapheaders=[header]")
    if any(isinstance(value, dict) for value in op.arguments.values()):
        return "\n" + "".join(f"    {arg},\n" for arg in args)
    return ", ".join(args)


def _curl_example(op: _Op, docs: _Context) -> str:
    lines = [
        f'curl -s "{docs.soap_url}" \\',
        '  -H "Content-Type: text/xml; charset=utf-8" \\',
        f"  -H 'SOAPAction: \"{op.soap_action}\"' \\",
    ]
    if op.authorised:
        lines.append(f'  -H "Authorization: Bearer ${ENV_ACCESS_TOKEN}" \\')
    entity = f"${ENV_ENTITY}"  # the shell puts the entity's code in (an unquoted here-doc)
    lines += ["  --data-binary @- <<EOF", op.envelope(entity), "EOF", ""]
    return "\n".join(lines)


def _csharp_example(op: _Op, docs: _Context) -> str:
    lines = ["// .NET 7 or later (C# 11): dotnet new console, then this is Program.cs."]
    if op.authorised:
        lines.append("using System.Net.Http.Headers;")
    if op.needs_entity:
        lines.append("using System.Security;")
    lines += ["using System.Text;", "using System.Xml.Linq;", ""]
    if op.authorised:
        lines.append(f'var accessToken = Environment.GetEnvironmentVariable("{ENV_ACCESS_TOKEN}");')
    if op.needs_entity:
        lines.append(
            "var entity = SecurityElement.Escape("
            f'Environment.GetEnvironmentVariable("{ENV_ENTITY}") ?? "");'
        )
    if op.authorised or op.needs_entity:
        lines.append("")
    envelope = op.envelope("{{entity}}")
    lines += [
        "using var http = new HttpClient();",
        # Raw string literal; with $$, {{entity}} is the only interpolation.
        f'var envelope = {"$$" if op.needs_entity else ""}"""',
        *[f"    {line}" for line in envelope.splitlines()],
        '    """;',
        f'using var request = new HttpRequestMessage(HttpMethod.Post, "{docs.soap_url}")',
        "{",
        '    Content = new StringContent(envelope, Encoding.UTF8, "text/xml"),',
        "};",
        f'request.Headers.Add("SOAPAction", "\\"{op.soap_action}\\"");',
    ]
    if op.authorised:
        lines.append(
            'request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);'
        )
    lines += [
        "using var response = await http.SendAsync(request);",
        "var text = await response.Content.ReadAsStringAsync();",
        "if (!response.IsSuccessStatusCode)",
        "{",
        '    throw new HttpRequestException($"{(int)response.StatusCode}: {text}");',
        "}",
        "",
        f'XNamespace tns = "{docs.namespace}";',
        f'var result = XDocument.Parse(text).Descendants(tns + "{op.result_element}").Single();',
    ]
    if op.authorised:
        lines += [
            'if ((string?)result.Element(tns + "Status") != "Success")',
            "{",
            '    throw new Exception($"{(string?)result.Element(tns + "ErrorCode")}: " +',
            '        $"{(string?)result.Element(tns + "ErrorMessage")}");',
            "}",
            'Console.WriteLine(result.Element(tns + "Result"));',
        ]
    else:
        lines.append("Console.WriteLine(result.Value);")
    return "\n".join([*lines, ""])


TOKEN_PYTHON = """\
import os

import requests

response = requests.post(
    "@TOKEN_URL@",
    data={"grant_type": "client_credentials"},
    # client_secret_basic; for client_secret_post, send client_id and client_secret in
    # data instead
    auth=(os.environ["@CLIENT_ID@"], os.environ["@CLIENT_SECRET@"]),
    timeout=30,
)
response.raise_for_status()
access_token = response.json()["access_token"]  # good for expires_in seconds
print(access_token)
"""

TOKEN_CSHARP = """\
// .NET 6 or later: dotnet new console, then this is Program.cs.
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

var clientId = Environment.GetEnvironmentVariable("@CLIENT_ID@");
var clientSecret = Environment.GetEnvironmentVariable("@CLIENT_SECRET@");

using var http = new HttpClient();
// client_secret_basic: the client id and secret as HTTP Basic credentials.
var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{clientSecret}"));
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
var form = new FormUrlEncodedContent(new Dictionary<string, string>
{
    ["grant_type"] = "client_credentials",
});
using var response = await http.PostAsync("@TOKEN_URL@", form);
response.EnsureSuccessStatusCode();
using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
var accessToken = json.RootElement.GetProperty("access_token").GetString();
Console.WriteLine(accessToken);
"""

TOKEN_CURL_BASIC = """\
# client_secret_basic
curl -s "@TOKEN_URL@" \\
  -u "$@CLIENT_ID@:$@CLIENT_SECRET@" \\
  -d grant_type=client_credentials
"""

TOKEN_CURL_POST = """\
# client_secret_post
curl -s "@TOKEN_URL@" \\
  -d grant_type=client_credentials \\
  --data-urlencode "client_id=$@CLIENT_ID@" \\
  --data-urlencode "client_secret=$@CLIENT_SECRET@"
"""


def _token_examples(docs: _Context) -> tuple[Example, ...]:
    def filled(template: str) -> str:
        return (
            template.replace("@TOKEN_URL@", docs.token_url)
            .replace("@CLIENT_ID@", ENV_CLIENT_ID)
            .replace("@CLIENT_SECRET@", ENV_CLIENT_SECRET)
        )

    return (
        Example("python", "Python (requests)", filled(TOKEN_PYTHON)),
        Example("csharp", "C# (HttpClient)", filled(TOKEN_CSHARP)),
        Example("curl", "curl, client_secret_basic", filled(TOKEN_CURL_BASIC)),
        Example("curl-post", "curl, client_secret_post", filled(TOKEN_CURL_POST)),
    )


# -- building the model -------------------------------------------------------------------------
@dataclass(frozen=True)
class _Context:
    wsdl_url: str
    soap_url: str
    token_url: str
    namespace: str
    header: Any


@dataclass(frozen=True)
class _Op:
    name: str
    soap_action: str
    authorised: bool
    needs_entity: bool
    in_message: Any
    header: Any
    arguments: dict[str, Any]
    result_element: str

    def envelope(self, entity: str) -> str:
        header = []
        if self.needs_entity and self.header is not None:
            header = _header_xml(self.header, {"Entity": entity})
        body = _element(_type_name(self.in_message), self.in_message, self.arguments, 2)
        return _envelope(header, body)


def _operation(service: Any, descriptor: Any, context: _Context) -> OperationDoc:
    name = str(descriptor.operation_name or descriptor.name)
    in_message, out_message = descriptor.in_message, descriptor.out_message
    ((result_element, result_cls),) = _fields(out_message)
    authorised = _is_envelope(result_cls)
    op = _Op(
        name=name,
        soap_action=name,
        authorised=authorised,
        needs_entity=name in NEEDS_ENTITY,
        in_message=in_message,
        header=_header_class(service, descriptor),
        arguments={param: _sample(name, param, cls) for param, cls in _fields(in_message)},
        result_element=result_element,
    )
    outputs: tuple[FieldDoc, ...] = ()
    if _is_complex(result_cls):
        owner = _type_name(result_cls)
        outputs = tuple(_field_doc(owner, f, c) for f, c in _fields(result_cls))
        result_value: Any = _sample_object(result_cls, leave_out=FAILURE_ONLY)
    else:
        result_value = _sample(name, result_element, result_cls)
    response_body = _xml(_type_name(out_message), out_message, {result_element: result_value}, 2)
    return OperationDoc(
        name=name,
        summary=SUMMARIES.get(name) or (descriptor.doc or "").strip(),
        soap_action=name,
        authorised=authorised,
        needs_entity=op.needs_entity,
        writes=name in WRITES,
        inputs=tuple(_field_doc(name, p, c) for p, c in _fields(in_message)),
        result_element=result_element,
        result_type=_type_name(result_cls),
        outputs=outputs,
        request_xml=op.envelope(str(SAMPLES["AiqSoapHeader.Entity"])),
        response_xml=_envelope([], response_body),
        examples=(
            Example("python", "Python (zeep)", _python_example(op, context)),
            Example("csharp", "C# (HttpClient)", _csharp_example(op, context)),
            Example("curl", "curl", _curl_example(op, context)),
        ),
    )


@lru_cache(maxsize=8)
def build_docs(
    base_url: str,
    *,
    auth_methods: tuple[str, ...],
    signing_algorithms: tuple[str, ...],
    token_ttl_seconds: int,
    services: tuple[type[ServiceBase], ...] = (AccountingService,),
) -> SoapDocs:
    """The documentation of `services` as served at `base_url` (settings.base_url)."""
    base = base_url.rstrip("/")
    methods = _methods(services)
    header = next(
        (h for s, d in methods if (h := _header_class(s, d)) is not None),
        None,
    )
    context = _Context(
        wsdl_url=f"{base}/soap?wsdl",
        soap_url=f"{base}/soap",
        token_url=f"{base}/oauth/token",
        namespace=TNS,
        header=header,
    )
    operations = tuple(_operation(s, d, context) for s, d in methods)
    found: dict[str, Any] = {}
    envelope: tuple[FieldDoc, ...] = ()
    for _, descriptor in methods:
        for _, param in _fields(descriptor.in_message):
            _collect_types(param, found)
        ((_, result),) = _fields(descriptor.out_message)
        _collect_types(result, found)
        if _is_envelope(result) and not envelope:
            envelope = tuple(_field_doc("*", f, c) for f, c in _fields(result))
    header_doc = None
    header_xml = header_token_xml = ""
    if header is not None:
        found.pop(_type_name(header), None)
        header_doc = TypeDoc(
            _type_name(header),
            tuple(_field_doc(_type_name(header), f, c) for f, c in _fields(header)),
        )
        sample = _sample_object(header)
        header_token_xml = _soap_header(header, sample)
        header_xml = _soap_header(header, {k: v for k, v in sample.items() if k != "AccessToken"})
    algorithms = ", ".join(signing_algorithms)
    return SoapDocs(
        base_url=base,
        soap_url=context.soap_url,
        wsdl_url=context.wsdl_url,
        namespace=TNS,
        token_url=context.token_url,
        metadata_url=f"{base}/.well-known/oauth-authorization-server",
        revocation_url=f"{base}/oauth/revoke",
        token_ttl_seconds=token_ttl_seconds,
        auth_methods=tuple(
            AuthMethodDoc(m, AUTH_METHOD_NOTES.get(m, "").format(algorithms=algorithms))
            for m in auth_methods
        ),
        token_examples=_token_examples(context),
        header=header_doc,
        header_xml=header_xml,
        header_token_xml=header_token_xml,
        envelope=envelope,
        operations=operations,
        types=tuple(
            TypeDoc(name, tuple(_field_doc(name, f, c) for f, c in _fields(cls)))
            for name, cls in found.items()
        ),
        error_codes=tuple(ERROR_CODES.items()),
    )
