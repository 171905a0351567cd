"""Usage, quotas and the audit export (SPEC 15), clicked through in Chromium: an app's usage
chart (with its numbers in a table) on the admin's app screen and the developer's portal page,
"Last used" and the "Not used since" filter in the list, the quota of calls per minute on the
edit screen, and the group's audit log downloaded as CSV and NDJSON."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import Product, log_in_as_admin
from tests.browser.test_app_actions import open_action
from tests.browser.test_credential_screens import verified_client
from tests.browser.test_sessions_and_roles import log_in_to_portal
from tests.e2e.client import PASSWORD
from tests.soap.support import SoapClient

QUOTA = "Calls per minute (quota)"


def use_app(product: Product, app: dict[str, Any], calls: int = 3) -> None:
    """The developer verifies `app`; an integration gets a token and makes `calls` SOAP calls
    and one write the read-only app is refused (READ_ONLY); the counts are then written, as
    the counter does every second."""
    client = verified_client(product, app)
    issued = client.token_basic()
    assert issued.status_code == 200, issued.text
    soap = SoapClient(product.url, issued.json()["access_token"])
    for _ in range(calls):
        assert soap.call("GetEntitiesByToken").Status == "Success"
    refused = soap.call("UpdateCustomer", {"Code": "C1", "Name": "X"}, entity="E01")
    assert refused.ErrorCode == "READ_ONLY"
    product.services.usage.flush()


def today(product: Product) -> str:
    return str(product.services.clock.now().date().isoformat())


def usage_numbers(page: Any, day: str) -> list[str]:
    """Opens "Show the numbers" of the usage section and returns `day`'s row: SOAP calls,
    writes, refused, tokens."""
    usage = page.get_by_role("region", name="Usage (last 30 days)")
    usage.get_by_text("Show the numbers", exact=True).click()
    table = usage.get_by_role("table", name="Usage per UTC day, newest first")
    expect(table).to_be_visible()
    row = table.get_by_role("row").filter(has=page.locator(f'time[datetime="{day}"]'))
    expect(row).to_have_count(1)
    return [text.strip() for text in row.get_by_role("cell").all_inner_texts()]


def test_the_admin_sees_an_apps_usage_and_when_it_was_last_used(product: Product) -> None:
    app = product.create_app("Busy Feed")
    product.create_app("Idle Feed", developer_email="idle@example.com")
    use_app(product, app)
    page = product.new_page()
    log_in_as_admin(page)

    # The list: last used under the status, never for the idle app.
    busy = page.get_by_role("row").filter(has_text="Busy Feed")
    idle = page.get_by_role("row").filter(has_text="Idle Feed")
    expect(busy).to_contain_text(re.compile(r"Last used (just now|\d+ minutes? ago)"))
    expect(idle).to_contain_text("Never used")

    # Not used since today: the busy app is gone, the idle one stays, and the filter is kept
    # in the address like the others.
    page.get_by_label("Not used since").fill(today(product))
    expect(page.locator("#apps-summary")).to_have_text(
        "Showing 1 to 1 of 1 applications (page 1 of 1)"
    )
    expect(busy).to_have_count(0)
    expect(idle).to_be_visible()
    assert f"unused_since={today(product)}" in page.url
    page.reload()
    expect(page.get_by_label("Not used since")).to_have_value(today(product))
    expect(idle).to_be_visible()
    expect(busy).to_have_count(0)
    tomorrow = (product.services.clock.now() + timedelta(days=1)).date().isoformat()
    page.get_by_label("Not used since").fill(tomorrow)
    expect(busy).to_be_visible()
    product.screenshot(page, "admin-list-last-used")
    page.get_by_role("button", name="Clear filters").click()
    expect(page.get_by_label("Not used since")).to_have_value("")

    # The app's screen: the chart (an image named by its summary) and the same numbers in a
    # table: 3 calls served today, no writes, 1 refused (READ_ONLY), 1 token.
    open_action(page, "Busy Feed", "Edit")
    usage = page.get_by_role("region", name="Usage (last 30 days)")
    expect(usage.get_by_test_id("last-used")).to_contain_text("Last used:")
    chart = usage.get_by_role("img")
    expect(chart).to_have_attribute("aria-label", re.compile("^SOAP calls per day"))
    label = chart.get_attribute("aria-label") or ""
    assert "3 calls served" in label and "1 call refused" in label, label
    assert "1 token issued" in label, label
    assert chart.locator("desc").count() == 1
    assert chart.locator("rect.bar-calls").count() == 1  # one day with calls
    assert usage_numbers(page, today(product)) == ["3", "0", "1\nREAD_ONLY: 1", "1"]
    totals = usage.get_by_role("table").locator("tfoot tr")
    expect(totals).to_contain_text("Total")
    product.screenshot(page, "admin-usage-chart")

    # An app never used says so.
    idle_id = next(
        a["id"] for a in product.admin_api.list_apps().json() if a["name"] == "Idle Feed"
    )
    page.goto(f"/#/apps/{idle_id}/edit")
    expect(page.get_by_role("heading", name="Edit Idle Feed")).to_be_visible()
    expect(page.get_by_test_id("last-used")).to_have_text("Never used")
    assert usage_numbers(page, today(product)) == ["0", "0", "0", "0"]


def test_the_developer_sees_the_apps_usage_in_the_portal(product: Product) -> None:
    app = product.create_app("Portal Feed")
    use_app(product, app, calls=2)
    page = product.new_page()
    page.goto("/portal/")
    log_in_to_portal(page)
    page.get_by_role("link", name="Open Portal Feed").click()
    page.get_by_role("tab", name="Usage").click()
    usage = page.get_by_role("region", name="Usage (last 30 days)")
    expect(usage.get_by_test_id("last-used")).to_contain_text("Last used:")
    label = usage.get_by_role("img").get_attribute("aria-label") or ""
    assert "2 calls served" in label, label
    assert usage_numbers(page, today(product)) == ["2", "0", "1\nREAD_ONLY: 1", "1"]
    product.screenshot(page, "portal-usage-chart")
    # On a phone the chart scrolls in its own box; the page itself still fits.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(usage.get_by_role("img")).to_be_visible()
    product.screenshot(page, "portal-usage-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_quota_is_saved_and_a_bad_one_is_named_beside_the_field(product: Product) -> None:
    app = product.create_app("Quota Feed")
    page = product.new_page()
    log_in_as_admin(page)
    open_action(page, "Quota Feed", "Edit")
    quota = page.get_by_label(QUOTA)
    expect(quota).to_have_value("600")  # the default
    expect(page.get_by_text("Leave empty for the default quota.")).to_be_visible()

    # Out of range: the API's message lands beside the field, and nothing is saved.
    quota.fill("0")
    page.get_by_role("button", name="Save changes").click()
    error = page.locator("[data-error-for=rate_limit_per_minute]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("rate_limit_per_minute must be 1-100000")
    expect(quota).to_have_attribute("aria-invalid", "true")
    expect(quota).to_be_focused()
    product.screenshot(page, "admin-edit-quota-error")
    assert product.admin_api.app(app["id"]).json()["rate_limit_per_minute"] == 600
    quota.fill("2.5")
    page.get_by_role("button", name="Save changes").click()
    expect(error).to_be_visible()
    assert product.admin_api.app(app["id"]).json()["rate_limit_per_minute"] == 600

    quota.fill("120")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").filter(has_text="Quota Feed is saved")).to_be_visible()
    assert product.admin_api.app(app["id"]).json()["rate_limit_per_minute"] == 120
    open_action(page, "Quota Feed", "Edit")
    expect(page.get_by_label(QUOTA)).to_have_value("120")

    # Other changes leave the quota as it is; emptied, it is the default again.
    page.get_by_label("Description").fill("Syncs invoices, within a quota")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").filter(has_text="Quota Feed is saved")).to_be_visible()
    saved = product.admin_api.app(app["id"]).json()
    assert (saved["description"], saved["rate_limit_per_minute"]) == (
        "Syncs invoices, within a quota",
        120,
    )
    open_action(page, "Quota Feed", "Edit")
    page.get_by_label(QUOTA).fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").filter(has_text="Quota Feed is saved")).to_be_visible()
    assert product.admin_api.app(app["id"]).json()["rate_limit_per_minute"] == 600


def download(page: Any) -> tuple[str, str]:
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click()
    saved = download_info.value
    with open(saved.path(), encoding="utf-8") as file:
        return saved.suggested_filename, file.read()


def test_the_audit_log_downloads_as_csv_and_ndjson(product: Product) -> None:
    app = product.create_app("Audited Feed")
    other = product.create_app("Other Feed", developer_email="other@example.com")
    edited = product.admin_api.edit_app(app["id"], description="Now with notes")
    assert edited.status_code == 200, edited.text
    page = product.new_page()
    log_in_as_admin(page)
    # The list first: a screen still loading when another is opened would add itself to it.
    expect(page.get_by_role("row").filter(has_text="Audited Feed")).to_be_visible()
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    expect(page.get_by_role("link", name="Audit log")).to_have_attribute("aria-current", "page")

    # Everything, as CSV (the default): the group's own lines and both apps'.
    name, text = download(page)
    assert name == "audit-log.csv"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["timestamp", "app_id", "event", "actor_type", "actor", "details"]
    events = {(r["event"], r["app_id"]) for r in rows}
    assert ("app_created", app["id"]) in events and ("app_created", other["id"]) in events
    assert ("app_edited", app["id"]) in events
    assert ("group_registered", "") in events
    expect(page.get_by_role("status").filter(has_text="Downloaded audit-log.csv")).to_be_visible()

    # One app, as NDJSON, from today.
    page.get_by_label("From", exact=True).fill(today(product))
    page.get_by_label("Application").select_option(label="Audited Feed")
    page.get_by_label("NDJSON").check()
    name, text = download(page)
    assert name == "audit-log.ndjson"
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines and {line["app_id"] for line in lines} == {app["id"]}
    events_of_app = [line["event"] for line in lines]
    assert events_of_app[0] == "app_created" and "app_edited" in events_of_app
    product.screenshot(page, "admin-audit-log")

    # A range that ends before it starts is named beside the field; nothing is downloaded.
    page.get_by_label("To", exact=True).fill(
        (product.services.clock.now() - timedelta(days=3)).date().isoformat()
    )
    page.get_by_role("button", name="Download").click()
    expect(page.locator("[data-error-for=to]")).to_contain_text("on or after the first day")
    expect(page.get_by_label("To", exact=True)).to_be_focused()


def test_an_auditor_exports_the_audit_log(product: Product) -> None:
    app = product.create_app("Watched Feed")
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
    page = product.new_page()
    log_in_as_admin(page, "auditor@a.example")
    expect(page.get_by_role("row").filter(has_text="Watched Feed")).to_be_visible()
    page.get_by_role("link", name="Audit log").click()
    page.get_by_label("Application").select_option(label="Watched Feed")
    _, text = download(page)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {r["app_id"] for r in rows} == {app["id"]}
    assert "app_created" in [r["event"] for r in rows]
