"""Client processes of the load generator (top-level functions, so they can be spawned).

They speak HTTP/1.1 over one keep-alive connection each with `http.client`, not `requests`:
on a 2-core machine every millisecond the load generator spends is taken from the server it
measures, and `requests` spent about 1.6 ms of CPU per command against about 0.4 here.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

ENVELOPE = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:tns="http://integrations.aiq.example/soap"><soapenv:Header><tns:AiqSoapHeader>'
    "<tns:Entity>{entity}</tns:Entity></tns:AiqSoapHeader></soapenv:Header><soapenv:Body>"
    "{body}</soapenv:Body></soapenv:Envelope>"
)
JSON = {"Content-Type": "application/json"}


class Http:
    """One keep-alive connection to the server under test."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.headers: dict[str, str] = {}
        self._connection = self._connect()

    def reconnect(self) -> None:
        self._connection.close()
        self._connection = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=60)

    def send(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        """Status and body; a dropped connection is status 0 (counted as an error, never
        retried: the request may have been carried out) and the next call reconnects."""
        try:
            self._connection.request(method, path, body, {**self.headers, **(headers or {})})
            response = self._connection.getresponse()
            return response.status, response.read()
        except (http.client.HTTPException, OSError):
            self.reconnect()
            return 0, b""

    def json(self, method: str, path: str, payload: dict[str, Any]) -> tuple[int, Any]:
        status, body = self.send(method, path, json.dumps(payload).encode(), JSON)
        return status, json.loads(body) if body else None


def _wait_until(moment: float, http: Http) -> None:
    time.sleep(max(0.0, moment - time.time()))
    http.reconnect()  # the server closes a connection idle for 2 s, as this one may be


def commands(arg: dict[str, Any], start: float, stop: float) -> dict[str, Any]:
    """Admin commands over HTTP: create an app, then edit it, again and again."""
    http = Http(arg["url"])
    _, token = http.json("POST", "/api/v1/session", arg["login"])
    http.headers["Authorization"] = f"Bearer {token['token']}"
    base, ok, errors, n = "/api/v1/integration-applications", 0, 0, 0
    _wait_until(start, http)
    while time.time() < stop:
        n += 1
        status, created = http.json(
            "POST",
            base,
            {
                "type": "new_integration",
                "name": f"bench {os.getpid()} {n}",
                "description": "benchmark",
                "category": "crm",
                "api_permission": "read",
                "developer_email": "dev@bench.example",
                "entity_ids": arg["entities"],
            },
        )
        if status != 201:
            errors += 1
            continue
        status, _ = http.json("PATCH", f"{base}/{created['id']}", {"description": f"edited {n}"})
        ok += 1 + (status == 200)
        errors += status != 200
    return {"ok": ok, "errors": errors}


def _soap(arg: dict[str, Any], body: str) -> tuple[bytes, dict[str, str]]:
    headers = {"Content-Type": "text/xml; charset=utf-8"}
    if arg.get("token"):
        headers["Authorization"] = f"Bearer {arg['token']}"
    return ENVELOPE.format(entity=arg["entity"], body=body).encode(), headers


def soap_calls(arg: dict[str, Any], start: float, stop: float) -> dict[str, Any]:
    http = Http(arg["url"])
    body, headers = _soap(arg, arg["body"])
    expected = arg["expect"].encode()
    ok = errors = 0
    _wait_until(start, http)
    while time.time() < stop:
        status, text = http.send("POST", "/soap", body, headers)
        if status == 200 and expected in text:
            ok += 1
        else:
            errors += 1
    return {"ok": ok, "errors": errors}


def tokens(arg: dict[str, Any], start: float, stop: float) -> dict[str, Any]:
    http = Http(arg["url"])
    basic = base64.b64encode(f"{arg['client_id']}:{arg['client_secret']}".encode()).decode()
    headers = {
        "Authorization": f"Basic {basic}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    form = urlencode({"grant_type": "client_credentials"}).encode()
    ok = errors = 0
    _wait_until(start, http)
    while time.time() < stop:
        status, _ = http.send("POST", arg["path"], form, headers)
        if status == 200:
            ok += 1
        else:
            errors += 1
    return {"ok": ok, "errors": errors}


def poll_until_refused(arg: dict[str, Any], start: float, stop: float) -> dict[str, Any]:
    """Calls SOAP as fast as it can; records when each call was sent and what it got."""
    http = Http(arg["url"])
    body, headers = _soap(arg, "<tns:GetCustomerList/>")
    calls = []
    _wait_until(start, http)
    while time.time() < stop:
        sent = time.time()
        _, text = http.send("POST", "/soap", body, headers)
        refused = b"APPLICATION_REVOKED" in text
        calls.append((sent, time.time(), refused))
        if refused:
            break
    return {"ok": len(calls), "calls": calls}
