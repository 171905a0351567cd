"""No secret in any log line of a real server process: the servers' access logs, spyne's
loggers and ours, at DEBUG, for `integrations serve` and for production's `integrations api`
under each server."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
import requests

from entrypoints.access_log import redact_query, redact_uri
from tests.mailbox import free_port
from tests.processes import BIN, Process, wait_until_up
from tests.support import FAST_ARGON2

SOAP_NS = "http://integrations.aiq.example/soap"
ENVELOPE = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    f'xmlns:tns="{SOAP_NS}"><soapenv:Header><tns:AiqSoapHeader>'
    "<tns:AccessToken>{token}</tns:AccessToken><tns:Entity>A1</tns:Entity>"
    "</tns:AiqSoapHeader></soapenv:Header><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
)


def command(kind: str, port: int) -> list[str]:
    if kind == "serve":
        return [str(BIN / "integrations"), "serve", "--port", str(port), "--threads", "2"]
    # The production command of the README, with the access log and the server's debug on.
    return [
        *(str(BIN / "integrations"), "api", "--server", kind, "--port", str(port)),
        *("--workers", "1", "--threads", "2", "--access-log", "--", "--log-level", "debug"),
    ]


def send_secrets(url: str) -> list[str]:
    """Requests that carry a secret where a log might copy it; the secrets sent."""
    sent: list[str] = []

    def secret(kind: str) -> str:
        value = f"{kind}-{secrets.token_hex(12)}"
        sent.append(value)
        return value

    requests.post(
        f"{url}/oauth/token?client_secret={secret('client-secret')}&grant_type=client_credentials",
        data={"grant_type": "client_credentials", "client_id": "someone"},
        timeout=30,
    )
    requests.post(  # private_key_jwt (SPEC 14): an assertion is a credential too
        f"{url}/oauth/token?client_assertion={secret('assertion-in-query')}",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": secret("assertion-in-body"),
        },
        timeout=30,
    )
    requests.get(f"{url}/soap?access_token={secret('access-token')}", timeout=30)
    requests.get(f"{url}/soap?wsdl&token={secret('token')}", timeout=30)
    requests.post(
        f"{url}/api/v1/session?password={secret('password')}",
        json={"email": "nobody@example.com", "password": secret("body-password")},
        headers={"Referer": f"{url}/portal/signup?invite_token={secret('invite')}"},
        timeout=30,
    )
    soap_cases = [
        # Not well-formed: spyne logs the whole document it could not parse.
        ENVELOPE.format(token=secret("envelope-token"), body="<tns:GetCustomerList>")[:-30],
        # Well-formed but invalid against the schema: a fault quoting what it refused.
        ENVELOPE.format(
            token=secret("schema-token"), body="<tns:GetCustomer><tns:nope/></tns:GetCustomer>"
        ),
        # An operation that does not exist, and a token nobody issued.
        ENVELOPE.format(token=secret("unknown-op-token"), body="<tns:DropAllTables/>"),
        ENVELOPE.format(token=secret("unissued-token"), body="<tns:GetCustomerList/>"),
    ]
    for envelope in soap_cases:
        response = requests.post(
            f"{url}/soap",
            data=envelope.encode(),
            headers={"Content-Type": "text/xml; charset=utf-8"},
            timeout=30,
        )
        assert response.status_code in (200, 400, 500), response.status_code
    return sent


class TestOnSQLite:
    backend = "sqlite"

    @pytest.mark.parametrize("kind", ["serve", "gunicorn", "granian"])
    def test_the_whole_log_output_holds_no_secret(
        self, database_url: str, tmp_path: Path, kind: str
    ) -> None:
        env = {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            "MAIL_DIR": str(tmp_path / "mail"),
            "RATELIMIT_ENABLED": "false",
            "LOG_LEVEL": "DEBUG",
            "LOG_FORMAT": "text",
            **FAST_ARGON2,
        }
        port = free_port()
        process = Process(command(kind, port), env, tmp_path / f"{kind}.log")
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(url, process)
            sent = send_secrets(url)
        finally:
            process.stop()
        output = process.output()
        for value in sent:
            assert value not in output, (value, output[-5000:])
        # The log did see the requests (the access log is on; granian's has no query string)...
        if kind == "granian":
            assert '"POST /oauth/token HTTP/1.1" 4' in output, output[-3000:]
        else:
            assert "/oauth/token?" in output and "client_secret=REDACTED" in output, output[-3000:]
            assert "/soap?access_token=REDACTED" in output, output[-3000:]
        assert "soap.spyne" in output, output[-3000:]  # ...and spyne's complaints, redacted


def test_query_values_of_secret_names_are_redacted_and_others_kept() -> None:
    assert redact_query("grant_type=x&client_secret=s&scope=a") == (
        "grant_type=x&client_secret=REDACTED&scope=a"
    )
    for name in ["Client_Secret", "client%5Fsecret", "access_token", "otp", "code", "invite"]:
        assert redact_query(f"{name}=s3cret") == f"{name}=REDACTED", name
    assert redact_query("wsdl&page=2") == "wsdl&page=2"
    assert redact_uri("/soap?wsdl") == "/soap?wsdl"
    assert redact_uri("/p?token=a;password=b") == "/p?token=REDACTED;password=REDACTED"
