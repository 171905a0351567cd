"""The Actions dropdown: Edit, Manage Developer Portal Access, Download Activity Log, Revoke;
and errors from the API shown next to the field they name."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import DEVELOPER, Product, log_in_as_admin

# Every item of the open Actions menu is on top where it is drawn: not clipped by a scrolling
# table wrapper, not covered by the next row. Only the window scrolls here: scrolling the
# item's own container into view would hide exactly the clipping this looks for.
MENU_ITEMS_UNCOVERED = """() => [...document.querySelectorAll('details.menu[open] li > *')]
  .every((item) => {
    window.scrollBy(0, item.getBoundingClientRect().top - window.innerHeight / 2);
    const box = item.getBoundingClientRect();
    return item.contains(document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2));
  })"""


def open_action(page: Any, app_name: str, action: str) -> None:
    row = page.get_by_role("row").filter(has_text=app_name)
    row.get_by_text("Actions").click()
    assert page.evaluate(MENU_ITEMS_UNCOVERED)
    row.get_by_role("link", name=action).or_(row.get_by_role("button", name=action)).click()


def test_revoke_asks_yes_or_no_and_yes_stops_the_app(product: Product) -> None:
    app = product.create_app("Doomed Feed")
    page = product.new_page()
    log_in_as_admin(page)
    open_action(page, "Doomed Feed", "Revoke")
    dialog = page.get_by_role("dialog", name="Revoke Doomed Feed?")
    expect(dialog).to_contain_text("will stop all API integrations")
    product.screenshot(page, "admin-revoke-confirm")
    dialog.get_by_role("button", name="No").click()
    expect(dialog).to_have_count(0)
    assert product.admin_api.app(app["id"]).json()["status"] == "pending_verification"

    open_action(page, "Doomed Feed", "Revoke")
    page.get_by_role("dialog").get_by_role("button", name="Yes").click()
    expect(page.get_by_role("status").filter(has_text="is revoked")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Doomed Feed")).to_contain_text("Revoked")
    assert product.admin_api.app(app["id"]).json()["status"] == "revoked"
    # A revoked app offers no Revoke and no Edit any more.
    row = page.get_by_role("row").filter(has_text="Doomed Feed")
    row.get_by_text("Actions").click()
    expect(row.get_by_role("button", name="Revoke")).to_have_count(0)
    expect(row.get_by_role("link", name="View details")).to_be_visible()


def test_edit_greys_out_what_cannot_change_and_saves_the_rest(product: Product) -> None:
    app = product.create_app("Editable Feed")
    managed = product.create_app(
        "Connector Feed",
        type="aiq_connector",
        preset="salesforce",
        category=None,
        api_permission=None,
        acknowledge_data_access=True,
    )
    page = product.new_page()
    log_in_as_admin(page)
    open_action(page, "Editable Feed", "Edit")
    expect(page.get_by_role("heading", name="Edit Editable Feed")).to_be_visible()
    for fixed in ("Name", "Type", "API permissions"):
        expect(page.get_by_label(fixed, exact=True)).to_be_disabled()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Editable Feed")
    expect(page.get_by_label("Description")).to_be_enabled()
    expect(page.get_by_label("Category")).to_be_enabled()
    product.screenshot(page, "admin-edit")

    # An error from the API appears beside the field it names, and nothing is saved.
    page.get_by_label("Description").fill("   ")
    page.get_by_role("button", name="Save changes").click()
    error = page.locator("[data-error-for=description]")
    expect(error).to_be_visible()
    expect(page.get_by_label("Description")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Description")).to_be_focused()
    assert product.admin_api.app(app["id"]).json()["description"] == "Syncs invoices"

    page.get_by_label("Description").fill("Syncs invoices and credit notes")
    page.get_by_label("Category").select_option("reporting")
    page.get_by_label(re.compile("^E02 ")).check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").filter(has_text="Editable Feed is saved")).to_be_visible()
    saved = product.admin_api.app(app["id"]).json()
    assert saved["description"] == "Syncs invoices and credit notes"
    assert saved["category"] == "reporting"
    assert saved["entity_ids"] == product.entity_ids[:2]

    # A connector's category is fixed too.
    page.goto(f"/#/apps/{managed['id']}/edit")
    expect(page.get_by_label("Category")).to_be_disabled()
    expect(page.get_by_label("Application")).to_have_value("Salesforce Connector")


def test_create_form_shows_api_errors_beside_their_fields(product: Product) -> None:
    product.create_app("Taken Name")
    page = product.new_page()
    log_in_as_admin(page)
    page.get_by_role("link", name="New Integration Application").click()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Name").fill("taken name")  # names are unique case-insensitively
    page.get_by_label("Description").fill("Another one")
    page.get_by_label("Category").select_option("accounting")
    page.get_by_label("Developer e-mail").fill("not an address")
    page.get_by_role("button", name="Create").click()
    # The API names one field at a time; each lands beside its field.
    problems = page.locator("[data-error-for]:visible")
    expect(problems).to_have_count(1)
    named = problems.first.get_attribute("data-error-for")
    assert named in {"name", "developer_email", "entity_ids"}, named
    product.screenshot(page, "admin-create-error")
    page.get_by_label("Developer e-mail").fill(DEVELOPER)
    page.get_by_label(re.compile("^E01 ")).check()
    page.get_by_role("button", name="Create").click()
    expect(page.locator("[data-error-for=name]")).to_contain_text("taken")
    expect(page.get_by_label("Name")).to_be_focused()
    page.get_by_label("Name").fill("Fresh Name")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name="Integration application created")).to_be_visible()
    assert [a["name"] for a in product.admin_api.list_apps(sort="name").json()] == [
        "Fresh Name",
        "Taken Name",
    ]


def test_download_activity_log(product: Product) -> None:
    app = product.create_app("Audited Feed")
    edited = product.admin_api.patch(
        f"/integration-applications/{app['id']}", json={"description": "Now with notes"}
    )
    assert edited.status_code == 200, edited.text
    page = product.new_page()
    log_in_as_admin(page)
    row = page.get_by_role("row").filter(has_text="Audited Feed")
    row.get_by_text("Actions").click()
    with page.expect_download() as download_info:
        row.get_by_role("button", name="Download Activity Log").click()
    download = download_info.value
    assert download.suggested_filename == f"activity-log-{app['id']}.csv"
    with open(download.path(), encoding="utf-8") as saved:
        rows = list(csv.DictReader(io.StringIO(saved.read())))
    assert [r["event"] for r in rows] == ["app_created", "developer_linked", "app_edited"]
    assert {(r["actor_type"], r["actor"]) for r in rows} == {("admin", "admin@a.example")}
    assert app["otp"] not in download.path().read_text()
    expect(page.get_by_role("status").filter(has_text="Downloaded")).to_be_visible()


def test_manage_developer_portal_access(product: Product) -> None:
    app = product.create_app("Linked Feed")
    page = product.new_page()
    log_in_as_admin(page)
    open_action(page, "Linked Feed", "Manage Developer Portal Access")
    expect(page.get_by_role("heading", name="Manage Developer Portal Access: Linked Feed"))
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(DEVELOPER)
    expect(facts).to_contain_text("Signed up to the portal")
    product.screenshot(page, "admin-developer-access")

    # Resend Invite: a second invite e-mail with a new link.
    first_link = product.link_in_mail(DEVELOPER, 1)
    page.get_by_role("button", name="Resend Invite").click()
    expect(page.get_by_role("status").filter(has_text="new invite")).to_be_visible()
    assert product.link_in_mail(DEVELOPER, 2) != first_link

    # Reset OTP: a new OTP, shown once, different from the first.
    page.get_by_role("button", name="Reset OTP").click()
    new_otp = page.get_by_test_id("otp").inner_text()
    assert re.fullmatch(r"\d{8}", new_otp) and new_otp != app["otp"]
    product.mailbox.wait_for(DEVELOPER, 3)
    assert all(new_otp not in str(m) for m in product.mailbox.messages)

    # Revoke Access (with a confirmation), then register another developer.
    page.get_by_role("button", name="Revoke Access").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes").click()
    expect(page.get_by_role("heading", name="No developer is linked")).to_be_visible()
    assert product.admin_api.app(app["id"]).json()["developer"] is None
    page.get_by_label("Developer e-mail").fill("second@example.com")
    page.get_by_role("button", name="Register developer").click()
    expect(page.get_by_test_id("otp")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("second@example.com")
    assert product.admin_api.app(app["id"]).json()["developer"]["email"] == "second@example.com"
    product.link_in_mail("second@example.com")
