"""Client processes of the load generator (top-level functions, so they can be spawned)."""

from __future__ import annotations

import os
import time
from typing import Any

import requests

ENVELOPE = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:tns="http://integrations.aiq.example/soap"><soapenv:Header><tns:AiqSoapHeader>'
    "<tns:Entity>{entity}</tns:Entity></tns:AiqSoapHeader></soapenv:Header><soapenv:Body>"
    "{body}</soapenv:Body></soapenv:Envelope>"
)


def _wait_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


def commands(arg: dict[str, Any], start: float, stop: float) -> dict[str, Any]:
    """Admin commands over HTTP: create an app, then edit it, again and again."""
    http = requests.Session()
    token = http.post(f"{arg['url']}/api/v1/session", json=arg["login"], timeout=30).json()
    http.headers["Authorization"] = f"Bearer {token['token']}"
    base, ok, errors, n = f"{arg['url']}/api/v1/integration-applications", 0, 0, 0
    _wait_until(start)
    while time.time() < stop:
        n += 1
        created = http.post(
            base,
            json={
                "type": "new_integration",
                "name": f"bench {os.getpid()} {n}",
                "description": "benchmark",
                "category": "crm",
                "api_permission": "read",
                "developer_email": "dev@bench.example",
                "entity_ids": arg["entities"],
            },
            timeout=60,
        )
        if created.status_code != 201:
            errors += 1
            continue
        edited = http.patch(
            f"{base}/{created.json()['id']}", json={"description": f"edited {n}"}, timeout=60
        )
        ok += 1 + (edited.status_code == 200)
        errors += edited.status_code != 200
    return {"ok": ok, "errors": errors}


def soap_calls(arg: dict[str, Any], start: float, stop: float) -> dict[str, Any]:
    http = requests.Session()
    headers = {"Content-Type": "text/xml; charset=utf-8"}
    if arg.get("token"):
        headers["Authorization"] = f"Bearer {arg['token']}"
    body = ENVELOPE.format(entity=arg["entity"], body=arg["body"]).encode()
    ok = errors = 0
    _wait_until(start)
    while time.time() < stop:
        response = http.post(f"{arg['url']}/soap", data=body, headers=headers, timeout=60)
        if response.status_code == 200 and arg["expect"] in response.text:
            ok += 1
        else:
            errors += 1
    return {"ok": ok, "errors": errors}


def tokens(arg: dict[str, Any], start: float, stop: float) -> dict[str, Any]:
    http = requests.Session()
    ok = errors = 0
    _wait_until(start)
    while time.time() < stop:
        response = http.post(
            f"{arg['url']}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(arg["client_id"], arg["client_secret"]),
            timeout=60,
        )
        if response.status_code == 200:
            ok += 1
        else:
            errors += 1
    return {"ok": ok, "errors": errors}


def poll_until_refused(arg: dict[str, Any], start: float, stop: float) -> dict[str, Any]:
    """Calls SOAP as fast as it can; records when each call was sent and what it got."""
    http = requests.Session()
    headers = {"Content-Type": "text/xml; charset=utf-8", "Authorization": f"Bearer {arg['token']}"}
    body = ENVELOPE.format(entity=arg["entity"], body="<tns:GetCustomerList/>").encode()
    calls = []
    _wait_until(start)
    while time.time() < stop:
        sent = time.time()
        text = http.post(f"{arg['url']}/soap", data=body, headers=headers, timeout=60).text
        refused = "APPLICATION_REVOKED" in text
        calls.append((sent, time.time(), refused))
        if refused:
            break
    return {"ok": len(calls), "calls": calls}
