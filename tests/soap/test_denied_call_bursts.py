"""A client hammering with a revoked token: a few events per interval, the count in the log."""

from __future__ import annotations

import csv
import io
from typing import Any

import requests

from tests.soap.conftest import SoapWorld
from tests.support import FakeClock

CALLS = 200
DENIED_CALL_TOPIC = b"domain.api_audit:DeniedCall."


def denied_call_events(world: SoapWorld) -> int:
    recorder = world.services.store.recorder
    notifications = recorder.select_notifications(start=1, limit=10**6)
    return sum(1 for n in notifications if n.topic.encode().startswith(DENIED_CALL_TOPIC))


def activity_csv(world: SoapWorld, app_id: str) -> list[dict[str, Any]]:
    world.activity(app_id)  # waits until the views caught up
    response = world.admin.activity_csv(app_id)
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text)))


def revoked_token(world: SoapWorld) -> str:
    revoked = requests.post(
        f"{world.server.url}/oauth/revoke",
        data={"token": world.writer_token},
        auth=(world.writer.client_id, world.writer.client_secret),
        timeout=30,
    )
    assert revoked.status_code == 200
    return world.writer_token


def test_200_calls_with_a_revoked_token_add_a_handful_of_events(soap_world: SoapWorld) -> None:
    soap = soap_world.client(revoked_token(soap_world))
    before = denied_call_events(soap_world)
    app_id = soap_world.writer.app_id

    soap.call("GetEntitiesByToken")
    # The first refusal is in the activity log at once, without waiting for a flush.
    first = [r for r in activity_csv(soap_world, app_id) if r["event"] == "call_denied"]
    assert [r["details"] for r in first] == ["GetEntitiesByToken on -: INVALID_TOKEN"]

    for _ in range(CALLS - 1):
        assert soap.call("GetEntitiesByToken").ErrorCode == "INVALID_TOKEN"
    assert denied_call_events(soap_world) - before == 1  # the rest are only counted so far
    soap_world.services.denied_calls.flush()  # what the background thread does every minute

    assert denied_call_events(soap_world) - before <= 5
    rows = activity_csv(soap_world, app_id)
    again = [r for r in rows if r["event"] == "calls_denied_again"]
    assert again and again[-1]["details"].endswith(f", {CALLS} in all")
    assert again[-1]["details"].startswith("INVALID_TOKEN: ")
    counted = [r for r in rows if r["event"] in ("call_denied", "calls_denied_again")]
    assert 1 + sum(int(r["details"].split(": ")[1].split()[0]) for r in again) == CALLS
    assert len(counted) <= 5


def test_each_interval_records_its_first_refusal_and_a_clean_shutdown_its_count(
    soap_world: SoapWorld, clock: FakeClock
) -> None:
    soap = soap_world.client(revoked_token(soap_world))
    app_id = soap_world.writer.app_id
    for _ in range(3):
        soap.call("GetEntitiesByToken")
    clock.advance(seconds=60)  # DENIED_CALL_INTERVAL_SECONDS' default
    for _ in range(2):
        soap.call("GetCustomerList", entity="A1")
    soap_world.services.denied_calls.stop()  # as Services.close() does on shutdown

    rows = [r for r in activity_csv(soap_world, app_id) if "denied" in r["event"]]
    assert [(r["event"], r["details"].split(" more")[0]) for r in rows] == [
        ("call_denied", "GetEntitiesByToken on -: INVALID_TOKEN"),
        ("call_denied", "GetCustomerList on A1: INVALID_TOKEN"),
        ("calls_denied_again", "INVALID_TOKEN: 2"),
        ("calls_denied_again", "INVALID_TOKEN: 1"),
    ]
    assert [r["details"].rsplit(", ", 1)[1] for r in rows[2:]] == ["3 in all", "2 in all"]
