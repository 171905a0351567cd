"""SPEC 15 webhooks over real HTTP on both databases, against real local receivers
(tests/webhook_receiver.py) that verify Standard Webhooks signatures with the reference
library, fail on purpose, answer slowly, and are killed mid-run."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from composition.root import Services, build_services
from entrypoints.cli import bootstrap_group
from tests.e2e.client import PASSWORD, AdminApi
from tests.e2e.test_portal_edges import Live, assert_error, serve_group_a
from tests.mailbox import Mailbox
from tests.support import FakeClock
from tests.webhook_receiver import Receiver


@pytest.fixture
def hooked(make_settings: Callable[..., Any], clock: FakeClock) -> Iterator[Live]:
    mailbox = Mailbox().start()
    settings = make_settings(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(mailbox.port),
        WEBHOOK_ALLOW_LOOPBACK="true",
        RATELIMIT_ENABLED="false",  # the give-up test logs in again for each hour it moves on
    )
    yield from serve_group_a(settings, clock, mailbox, [("A1", "Alpha Ltd")])
    mailbox.stop()


@pytest.fixture
def receivers() -> Iterator[list[Receiver]]:
    made: list[Receiver] = []
    yield made
    for receiver in made:
        receiver.stop()


def endpoint(live: Live, receiver: Receiver, events: list[str]) -> dict[str, Any]:
    made = live.admin.post("/webhooks", json={"url": receiver.url, "events": events})
    assert made.status_code == 201, made.text
    assert made.json()["secret"].startswith("whsec_")
    receiver.secret = made.json()["secret"]
    live.seen.append(receiver.secret)
    return dict(made.json())


def deliveries(live: Live, webhook_id: str) -> list[dict[str, Any]]:
    return list(live.admin.get(f"/webhooks/{webhook_id}/deliveries").json())


def wait_until(check: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_events_are_delivered_signed_once_and_only_those_subscribed(
    hooked: Live, receivers: list[Receiver]
) -> None:
    live = hooked
    receiver = Receiver().start()
    receivers.append(receiver)
    hook = endpoint(live, receiver, ["app.created", "developer.linked"])
    assert "secret" not in live.admin.get(f"/webhooks/{hook['id']}").json()  # once only
    app = live.create()
    got = receiver.events(2)
    assert [g["type"] for g in got] == ["app.created", "developer.linked"]
    assert got[0]["data"]["app_id"] == app["id"] and got[0]["data"]["name"] == app["name"]
    assert got[1]["data"]["email"] == "dev@example.com"
    assert receiver.paths[0] == "/hooks?source=aiq"
    wait_until(lambda: all(d["status"] == "delivered" for d in deliveries(live, hook["id"])))
    listed = deliveries(live, hook["id"])
    assert {d["id"] for d in listed} == {g["id"] for g in got}
    assert all(d["last_status"] == 204 and d["attempts"] == 1 for d in listed)
    # A revoke is not subscribed: nothing more arrives; the other group's events never do.
    live.admin.revoke_app(app["id"])
    ids = bootstrap_group(live.services, "Group B", [("B1", "B")], "b@b.example", PASSWORD)
    other = AdminApi(live.base).login("b@b.example")
    assert other.get(f"/webhooks/{hook['id']}").status_code == 404
    other.create_app(
        type="new_integration",
        name="B app",
        description="d",
        category="other",
        developer_email="x@b.example",
        api_permission="read",
        entity_ids=[ids["entities"]["B1"]],
    )
    time.sleep(1.5)
    assert len(receiver.received) == 2
    live.assert_no_secret_stored()


def test_a_failing_endpoint_is_retried_with_backoff_and_can_redeliver(
    hooked: Live, receivers: list[Receiver]
) -> None:
    live = hooked
    receiver = Receiver(fail_first=2).start()
    receivers.append(receiver)
    hook = endpoint(live, receiver, ["app.created"])
    live.create()
    wait_until(lambda: receiver.attempts >= 1)
    wait_until(lambda: deliveries(live, hook["id"])[0]["last_status"] == 500)
    first = deliveries(live, hook["id"])[0]
    assert (first["status"], first["attempts"]) == ("pending", 1)
    assert first["last_error"] == "HTTP 500"
    live.clock.advance(seconds=6)  # the first retry: 5 s later
    wait_until(lambda: receiver.attempts >= 2)
    live.clock.advance(seconds=11)  # then 10 s
    got = receiver.events(1)
    wait_until(lambda: deliveries(live, hook["id"])[0]["status"] == "delivered")
    done = deliveries(live, hook["id"])[0]
    assert (done["status"], done["attempts"]) == ("delivered", 3)
    # Redeliver: the same webhook-id again, for a receiver that lost it.
    again = live.admin.post(f"/webhooks/{hook['id']}/deliveries/{done['id']}/redeliver")
    assert again.status_code == 202
    assert [r["id"] for r in receiver.events(2)] == [got[0]["id"]] * 2
    assert (
        live.admin.post(f"/webhooks/{hook['id']}/deliveries/msg_0_x/redeliver").status_code == 404
    )


def test_a_receiver_killed_mid_run_gets_the_rest_when_back_and_gives_up_after_a_day(
    hooked: Live, receivers: list[Receiver]
) -> None:
    live = hooked
    receiver = Receiver().start()
    receivers.append(receiver)
    hook = endpoint(live, receiver, ["*"])
    live.create()
    receiver.wait_for(2)
    receiver.stop()  # killed
    live.create()
    wait_until(lambda: any(d["last_error"] for d in deliveries(live, hook["id"])))
    waiting = [d for d in deliveries(live, hook["id"]) if d["status"] == "pending"]
    assert waiting and all(
        "Connection" in d["last_error"] or "refused" in d["last_error"].lower()
        for d in waiting
        if d["last_error"]
    )
    receiver.start()  # back, on the same port
    live.clock.advance(seconds=6)
    receiver.wait_for(4)
    assert len({r["id"] for r in receiver.events(4)}) == 4  # each event once
    # A receiver gone for good: retried for 24 h, then given up.
    receiver.stop()
    live.create()
    wait_until(
        lambda: any(
            d["status"] == "pending" and d["attempts"] for d in deliveries(live, hook["id"])
        )
    )
    for _ in range(40):
        live.clock.advance(hours=1)
        time.sleep(0.1)
        if all(d["status"] != "pending" for d in live.services.webhooks.deliveries(hook["id"])):
            break
    live.relogin_admin()  # (sessions last 8 hours)
    failed = [d for d in deliveries(live, hook["id"]) if d["status"] == "failed"]
    assert failed and all("gave up after 24 h" in d["last_error"] for d in failed)


def test_a_slow_endpoint_never_delays_another(hooked: Live, receivers: list[Receiver]) -> None:
    live = hooked
    slow, fast = Receiver(delay=2.0).start(), Receiver().start()
    receivers += [slow, fast]
    endpoint(live, slow, ["app.created"])
    endpoint(live, fast, ["app.created"])
    started = time.monotonic()
    for _ in range(3):
        live.create()
    fast.wait_for(3, timeout=10)
    fast_done = time.monotonic() - started
    slow.wait_for(3, timeout=30)
    slow_done = time.monotonic() - started
    # The fast one had all three while the slow one was still on its first or second.
    assert fast_done < slow_done - 2.0, (fast_done, slow_done)


def test_urls_and_events_are_checked_and_only_managers_change_webhooks(hooked: Live) -> None:
    live = hooked
    for url, says in (
        ("ftp://example.com/x", "https"),
        ("https://10.1.2.3/hooks", "not a public address"),
        ("https://169.254.169.254/latest", "not a public address"),
        ("https://user:pw@example.com/", "credentials"),
        ("https://no-such-host.invalid/", "does not resolve"),
    ):
        assert_error(
            live.admin.post("/webhooks", json={"url": url, "events": ["*"]}), 422, "url", says
        )
    assert_error(
        live.admin.post("/webhooks", json={"url": "http://127.0.0.1:9/", "events": ["nope"]}),
        422,
        "events",
    )
    made = live.admin.post("/webhooks", json={"url": "http://127.0.0.1:9/", "events": ["*"]})
    hook = made.json()
    changed = live.admin.patch(
        f"/webhooks/{hook['id']}", json={"active": False, "events": ["app.revoked"]}
    )
    assert changed.status_code == 200 and changed.json()["active"] is False
    rotated = live.admin.post(f"/webhooks/{hook['id']}/secret")
    assert rotated.json()["secret"] != hook["secret"]
    assert rotated.headers["Cache-Control"].startswith("no-store")
    assert live.admin.delete(f"/webhooks/{hook['id']}").status_code == 204
    assert live.admin.get(f"/webhooks/{hook['id']}").status_code == 404
    assert live.admin.get("/webhooks").json() == []


def test_without_the_loopback_switch_loopback_is_refused(live: Live) -> None:
    refused = live.admin.post("/webhooks", json={"url": "http://127.0.0.1:8080/", "events": ["*"]})
    assert_error(refused, 422, "url")


def test_two_senders_deliver_each_event_once(
    hooked: Live, receivers: list[Receiver], make_settings: Callable[..., Any], clock: FakeClock
) -> None:
    live = hooked
    receiver = Receiver().start()
    receivers.append(receiver)
    endpoint(live, receiver, ["app.created"])
    second: Services = build_services(make_settings(WEBHOOK_ALLOW_LOOPBACK="true"), clock=clock)
    try:
        second.start_projections()
        second.start_webhooks()
        for _ in range(6):
            live.create()
        got = receiver.events(6)
        time.sleep(1.5)  # anything sent twice would have arrived by now
        assert len(receiver.received) == 6 and len({g["id"] for g in got}) == 6
    finally:
        second.close()
    assert all(json.loads(body)["type"] == "app.created" for _, body in receiver.received)
