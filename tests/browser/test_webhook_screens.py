"""The Webhooks screens (SPEC 15), clicked through in Chromium against a real receiver on
loopback that checks each delivery's Standard Webhooks signature with the reference library:
add a webhook (a private address refused beside the URL), its secret shown once, an app
created and its app.created delivered, signed; the delivery seen in Deliveries with its
payload, redelivered with the same webhook-id; edit, pause, rotate the secret, delete; and an
auditor who reads but changes nothing."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect
from standardwebhooks import Webhook, WebhookVerificationError

from tests.browser.conftest import Product, log_in_as_admin
from tests.e2e.client import PASSWORD
from tests.webhook_receiver import Receiver


def verified(secret: str, request: tuple[dict[str, str], bytes]) -> dict[str, Any]:
    """The event of one delivery, its signature checked as a receiver would."""
    headers, body = request
    return dict(Webhook(secret).verify(body, headers))


def header(request: tuple[dict[str, str], bytes], name: str) -> str:
    headers = {key.lower(): value for key, value in request[0].items()}
    return headers[name]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = Receiver().start()
    yield started
    started.stop()


def open_webhooks(page: Any) -> None:
    page.get_by_role("link", name="Webhooks", exact=True).click()
    expect(page.get_by_role("heading", name="Webhooks", exact=True)).to_be_visible()


def webhook_row(page: Any, url: str) -> Any:
    return page.get_by_role("row").filter(has_text=url)


def wait_for_status(page: Any, delivery_id: str, status: str, timeout: float = 20.0) -> Any:
    """The delivery's row once its badge says `status`, pressing Refresh meanwhile (the
    sender works in the background)."""
    row = page.locator(f'tr[data-delivery-id="{delivery_id}"]')
    deadline = time.monotonic() + timeout
    while True:
        if row.count() == 1 and row.locator(".badge").inner_text() == status:
            return row
        assert time.monotonic() < deadline, f"{delivery_id} never {status}: {row.all_inner_texts()}"
        page.wait_for_timeout(300)
        page.get_by_role("button", name="Refresh").click()
        expect(page.get_by_role("button", name="Refresh")).to_be_enabled()


def test_an_admin_adds_a_webhook_sees_it_delivered_signed_redelivers_and_deletes_it(
    product: Product, receiver: Receiver
) -> None:
    page = product.new_page()
    log_in_as_admin(page)
    expect(page.get_by_role("heading", name="Integration Applications")).to_be_visible()
    open_webhooks(page)
    expect(page.get_by_text("No webhooks yet.")).to_be_visible()
    page.get_by_role("link", name="Add webhook").click()
    expect(page.get_by_role("heading", name="Add webhook")).to_be_visible()

    # https to a private address: the API's reason beside the URL, nothing made.
    url = page.get_by_label("URL", exact=True)
    url.fill("https://10.0.0.1/x")
    page.get_by_label("app.created").check()
    page.get_by_role("button", name="Add webhook").click()
    error = page.locator("[data-error-for=url]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("10.0.0.1 resolves to 10.0.0.1, which is not a public address")
    expect(url).to_have_attribute("aria-invalid", "true")
    expect(url).to_be_focused()
    product.screenshot(page, "admin-webhook-url-error")
    assert product.admin_api.get("/webhooks").json() == []

    # No event chosen: said beside the events, before asking the API.
    url.fill(receiver.url)
    page.get_by_label("app.created").uncheck()
    page.get_by_role("button", name="Add webhook").click()
    expect(page.locator("[data-error-for=events]")).to_contain_text("Choose at least one event")
    expect(error).to_be_hidden()

    # "All events" stands for every type: the single ones are off while it is ticked.
    page.get_by_label("All events").check()
    expect(page.get_by_label("app.revoked")).to_be_disabled()
    page.get_by_label("All events").uncheck()
    expect(page.get_by_label("app.revoked")).to_be_enabled()

    page.get_by_label("app.created").check()
    page.get_by_label("Description").fill("Our intake service")
    page.get_by_role("button", name="Add webhook").click()
    expect(page.get_by_role("heading", name="Webhook added")).to_be_visible()
    secret = page.get_by_test_id("webhook-secret").inner_text()
    assert secret.startswith("whsec_"), secret
    expect(page.get_by_text("it is not shown again", exact=False)).to_be_visible()
    for name in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        expect(page.locator("dl.facts dt", has_text=name)).to_be_visible()
    page.get_by_role("button", name="Copy Signing secret").click()
    expect(page.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    product.screenshot(page, "admin-webhook-secret")

    # Once only: not in the list, nor in what the API answers later.
    page.get_by_role("link", name="Done").click()
    row = webhook_row(page, receiver.url)
    expect(row).to_contain_text("app.created")
    expect(row).to_contain_text("Our intake service")
    expect(row.locator(".badge")).to_have_text("Active")
    expect(page.get_by_test_id("webhook-secret")).to_have_count(0)
    listed = product.admin_api.get("/webhooks").json()
    assert [(w["url"], w["events"]) for w in listed] == [(receiver.url, ["app.created"])]
    assert "secret" not in listed[0]
    product.screenshot(page, "admin-webhooks-list")

    # An app is created: the receiver gets app.created, signed with the secret shown.
    app = product.create_app("Hooked Feed")
    first = receiver.wait_for(1)[0]
    event = verified(secret, first)
    assert event["type"] == "app.created"
    assert (event["data"]["app_id"], event["data"]["name"]) == (app["id"], "Hooked Feed")
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 44).verify(first[1], first[0])
    delivery_id = header(first, "webhook-id")

    # Deliveries: delivered, the receiver's 204, the payload as JSON.
    row.get_by_role("link", name="Deliveries").click()
    expect(page.get_by_role("heading", name="Deliveries")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text(receiver.url)
    delivered = wait_for_status(page, delivery_id, "Delivered")
    expect(delivered).to_contain_text("app.created")
    expect(delivered).to_contain_text("HTTP 204")
    expect(delivered.locator("td[data-label=Attempts]")).to_have_text("1")
    delivered.get_by_text("Payload").click()
    shown = json.loads(delivered.get_by_test_id("payload").inner_text())
    assert shown == json.loads(first[1])
    product.screenshot(page, "admin-webhook-deliveries")
    page.set_viewport_size({"width": 390, "height": 844})
    product.screenshot(page, "admin-webhook-deliveries-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Redeliver: the same webhook-id again, signed again.
    delivered.get_by_role("button", name="Redeliver").click()
    expect(page.get_by_role("status").filter(has_text="is sent again")).to_be_visible()
    second = receiver.wait_for(2)[1]
    assert header(second, "webhook-id") == delivery_id
    assert verified(secret, second)["data"]["app_id"] == app["id"]
    wait_for_status(page, delivery_id, "Delivered")
    expect(page.locator("tbody tr")).to_have_count(1)

    # Delete, after a confirmation: gone from the screen and the API.
    open_webhooks(page)
    row.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog", name="Delete the webhook?")
    expect(dialog).to_contain_text(receiver.url)
    dialog.get_by_role("button", name="Cancel").click()
    expect(row).to_be_visible()
    row.get_by_role("button", name="Delete").click()
    dialog.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("status").filter(has_text="is deleted")).to_be_visible()
    expect(row).to_have_count(0)
    expect(page.get_by_text("No webhooks yet.")).to_be_visible()
    assert product.admin_api.get("/webhooks").json() == []


def test_an_admin_edits_pauses_and_rotates_and_an_auditor_only_reads(
    product: Product, receiver: Receiver
) -> None:
    made = product.admin_api.post(
        "/webhooks", json={"url": receiver.url, "events": ["*"], "description": "All of it"}
    )
    assert made.status_code == 201, made.text
    hook = made.json()
    page = product.new_page()
    log_in_as_admin(page)
    open_webhooks(page)
    row = webhook_row(page, receiver.url)
    expect(row).to_contain_text("All events")

    # Rotate: confirmed, the new secret shown once; deliveries are signed with it only.
    row.get_by_role("button", name="Rotate secret").click()
    page.get_by_role("dialog").get_by_role("button", name="Rotate secret").click()
    panel = page.get_by_role("region", name="Signing secret")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", name="Signing secret")).to_be_focused()
    secret = panel.get_by_test_id("webhook-secret").inner_text()
    assert secret.startswith("whsec_") and secret != hook["secret"]
    product.create_app("Rotated Feed")
    got = receiver.wait_for(1)[0]
    assert verified(secret, got)["type"] == "app.created"
    with pytest.raises(WebhookVerificationError):
        verified(hook["secret"], got)

    # Edit: from all events to app.revoked only, a new description, paused.
    row.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit webhook")).to_be_visible()
    expect(page.get_by_label("All events")).to_be_checked()
    expect(page.get_by_label("Description")).to_have_value("All of it")
    page.get_by_label("All events").uncheck()
    page.get_by_label("app.revoked").check()
    page.get_by_label("Description").fill("Revocations only")
    page.get_by_label("Active", exact=True).uncheck()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").filter(has_text="paused")).to_be_visible()
    expect(row.locator(".badge")).to_have_text("Paused")
    expect(row).to_contain_text("app.revoked")
    expect(row).to_contain_text("Revocations only")
    saved = product.admin_api.get(f"/webhooks/{hook['id']}").json()
    assert (saved["events"], saved["active"]) == (["app.revoked"], False)

    # An auditor sees the webhooks and their deliveries, and no way to change them.
    created = product.admin_api.post(
        "/users",
        json={
            "email": "auditor@a.example",
            "full_name": "Ada Auditor",
            "role": "auditor",
            "password": PASSWORD,
        },
    )
    assert created.status_code == 201, created.text
    auditor = product.new_page()
    log_in_as_admin(auditor, "auditor@a.example")
    open_webhooks(auditor)
    seen = webhook_row(auditor, receiver.url)
    expect(seen).to_contain_text("Paused")
    expect(auditor.get_by_role("link", name="Add webhook")).to_have_count(0)
    for name in ("Edit", "Rotate secret", "Delete"):
        expect(seen.get_by_role("button", name=name)).to_have_count(0)
        expect(seen.get_by_role("link", name=name)).to_have_count(0)
    seen.get_by_role("link", name="Deliveries").click()
    expect(auditor.get_by_role("heading", name="Deliveries")).to_be_visible()
    sent = product.admin_api.get(f"/webhooks/{hook['id']}/deliveries").json()
    assert "app.created" in [d["event_type"] for d in sent]
    expect(auditor.locator("tbody tr")).to_have_count(len(sent))
    expect(auditor.get_by_role("button", name="Redeliver")).to_have_count(0)
    auditor.goto("/#/webhooks/new")  # no dead end: back to the list
    expect(auditor.get_by_role("heading", name="Webhooks", exact=True)).to_be_visible()
