"""The vendor's team console (/team/, SPEC 11), clicked through in Chromium: a staff member
picks up an AIQ Integrate request, links a developer (the OTP shown once) and notes progress,
which the group's admin then reads in the app's activity log; a group moved off AIQ3 and back
from the Groups screen, as the admin's screens and the token endpoint see it; and sessions that
stay in their own console."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import ADMIN, Product, log_in_as_admin
from tests.browser.test_credential_screens import verified_client
from tests.e2e.client import PASSWORD, TeamApi

STAFF_EMAIL = "sam@aiq.example"
STAFF_NAME = "Sam Staff"
STAFF_PASSWORD = "staff password 1234"
TEAM_DEV = "builder@aiq.example"
TEAM_SESSION = "integrations.team.session"
ADMIN_SESSION = "integrations.admin.session"


def create_staff(product: Product) -> None:
    created = product.services.commands.team.create_staff(STAFF_EMAIL, STAFF_NAME, STAFF_PASSWORD)
    product.services.wait_for_views(created.position, "team")


def log_in_to_team(page: Any, password: str = STAFF_PASSWORD, navigate: bool = True) -> None:
    if navigate:
        page.goto("/team/")
    page.get_by_label("E-mail").fill(STAFF_EMAIL)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def stored_session(page: Any, key: str) -> Any:
    return json.loads(page.evaluate("(key) => sessionStorage.getItem(key)", key) or "null")


def store_session(page: Any, key: str, session: dict[str, Any]) -> None:
    page.evaluate(
        "([key, value]) => sessionStorage.setItem(key, value)", [key, json.dumps(session)]
    )


def integrate_request(product: Product, name: str = "Month-end Flow") -> dict[str, Any]:
    """An AIQ Integrate app, asked for by the group's admin (the wizard has its own tests)."""
    created = product.admin_api.create_app(
        type="aiq_integrate",
        preset="custom",
        name=name,
        description="Close the books",
        category="other",
        entity_ids=product.entity_ids[:1],
        acknowledge_charges=True,
        acknowledge_data_access=True,
    )
    assert created.status_code == 201, created.text
    return dict(created.json())


def test_staff_links_a_developer_notes_progress_and_the_admin_reads_it_in_the_log(
    product: Product,
) -> None:
    create_staff(product)
    request = integrate_request(product)
    page = product.new_page()
    page.goto("/team/")
    expect(page.get_by_role("heading", name="Log in to the team console")).to_be_visible()
    log_in_to_team(page, "not the staff password", navigate=False)
    expect(page.get_by_role("alert")).to_contain_text("wrong e-mail or password")
    log_in_to_team(page, navigate=False)

    # The queue: group, type and preset, who acknowledged and when, no developer yet.
    expect(page.get_by_role("heading", name="Requests")).to_be_visible()
    expect(page.get_by_text(f"Signed in as {STAFF_NAME} ({STAFF_EMAIL})")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Month-end Flow")
    for shown in ("Group A", "AIQ Integrate", "custom", ADMIN, "none linked", "Requested"):
        expect(row).to_contain_text(shown)
    expect(row).to_contain_text("Not started")
    expect(page.get_by_role("status").filter(has_text="1 request")).to_be_visible()
    product.screenshot(page, "team-requests")

    # The status filter asks the API and is kept in the address.
    page.get_by_label("Status").select_option(label="Active")
    expect(page.get_by_text("No requests match.")).to_be_visible()
    assert "status=active" in page.url
    page.get_by_label("Status").select_option("requested,no_developer")
    expect(row).to_be_visible()
    page.get_by_label("Status").select_option(label="All statuses")
    assert "status=" not in page.url

    # Link developer: a bad address is named beside the field, nothing is linked.
    row.get_by_role("button", name="Link developer to Month-end Flow").click()
    dialog = page.get_by_role("dialog", name="Link a developer to Month-end Flow")
    dialog.get_by_label("Developer e-mail").fill("not an address")
    dialog.get_by_role("button", name="Link developer").click()
    expect(dialog.locator("[data-error-for]:visible")).to_contain_text("e-mail address")
    expect(dialog.get_by_label("Developer e-mail")).to_have_attribute("aria-invalid", "true")
    expect(dialog.get_by_label("Developer e-mail")).to_be_focused()
    assert product.admin_api.app(request["id"]).json()["developer"] is None
    dialog.get_by_label("Developer e-mail").fill(TEAM_DEV)
    dialog.get_by_role("button", name="Link developer").click()

    # The OTP, once, with Copy and the note that it is not shown again.
    expect(dialog).to_have_count(0)
    panel = page.get_by_role("region", name="One-time password for Month-end Flow")
    expect(panel.get_by_role("heading")).to_be_focused()
    otp = page.get_by_test_id("otp").inner_text()
    assert re.fullmatch(r"\d{8}", otp), otp
    expect(panel).to_contain_text("shown only once")
    expect(panel).to_contain_text(TEAM_DEV)
    panel.get_by_role("button", name="Copy OTP").click()
    expect(panel.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == otp
    product.screenshot(page, "team-otp")
    expect(row).to_contain_text(TEAM_DEV)
    expect(row).to_contain_text("Pending verification")
    expect(row.get_by_role("button", name=re.compile("^Link developer"))).to_have_count(0)
    product.link_in_mail(TEAM_DEV)  # the developer is invited; the OTP is in no mail
    assert all(otp not in str(message) for message in product.mailbox.messages)
    linked = product.admin_api.app(request["id"]).json()
    assert linked["developer"]["email"] == TEAM_DEV
    assert linked["status"] == "pending_verification"

    # Shown once: a reload (or Done) and it is gone from the page.
    page.reload()
    expect(page.get_by_role("row").filter(has_text="Month-end Flow")).to_contain_text(TEAM_DEV)
    expect(page.get_by_test_id("otp")).to_have_count(0)
    assert otp not in page.content()

    # Progress: state and note, shown in the queue with who and when.
    row = page.get_by_role("row").filter(has_text="Month-end Flow")
    row.get_by_role("button", name="Progress of Month-end Flow").click()
    dialog = page.get_by_role("dialog", name="Progress of Month-end Flow")
    dialog.get_by_label("State").select_option(label="In progress")
    dialog.get_by_label("Note").fill("mapping GL")
    dialog.get_by_role("button", name="Save progress").click()
    expect(page.get_by_role("status").filter(has_text="In progress")).to_be_visible()
    expect(row).to_contain_text("In progress")
    expect(row).to_contain_text("mapping GL")
    expect(row).to_contain_text(STAFF_EMAIL)
    product.screenshot(page, "team-progress")

    # The group's admin reads the team's work in the app's activity log (the CSV download).
    admin = product.new_page()
    log_in_as_admin(admin)
    admin_row = admin.get_by_role("row").filter(has_text="Month-end Flow")
    expect(admin_row).to_contain_text("Pending verification")
    expect(admin_row).to_contain_text(TEAM_DEV)
    admin_row.get_by_text("Actions").click()
    with admin.expect_download() as download_info:
        admin_row.get_by_role("button", name="Download Activity Log").click()
    download = download_info.value
    text = download.path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_staff = [(r["event"], r["details"]) for r in rows if r["actor_type"] == "staff"]
    assert {r["actor"] for r in rows if r["actor_type"] == "staff"} == {STAFF_EMAIL}
    assert "developer_linked" in [event for event, _ in by_staff], rows
    assert any("in progress: mapping GL" in details for _, details in by_staff), rows
    assert otp not in text


def test_a_group_moved_off_aiq3_and_back_from_the_groups_screen(product: Product) -> None:
    create_staff(product)
    app = product.create_app("Live Feed")
    client = verified_client(product, app)
    assert client.token_basic().status_code == 200
    admin = product.new_page()
    log_in_as_admin(admin)
    expect(admin.get_by_role("row").filter(has_text="Live Feed")).to_contain_text("Active")

    team = product.new_page()
    log_in_to_team(team)
    team.get_by_role("link", name="Groups").click()
    expect(team.get_by_role("heading", name="Groups")).to_be_visible()
    row = team.get_by_role("row").filter(has_text="Group A")
    expect(row).to_contain_text("AIQ3")
    expect(row).to_contain_text("Available")

    # The same plan again is named beside the selector, nothing asked.
    row.get_by_role("button", name="Change the plan of Group A").click()
    expect(row.locator("[data-error-for=plan]")).to_contain_text("on AIQ3 already")
    expect(row.get_by_label("Plan for Group A")).to_have_attribute("aria-invalid", "true")

    # Leaving AIQ3 is confirmed first, saying every app is suspended; No changes nothing.
    row.get_by_label("Plan for Group A").select_option(label="AIQ1")
    row.get_by_role("button", name="Change the plan of Group A").click()
    dialog = team.get_by_role("dialog", name="Move Group A off AIQ3?")
    expect(dialog).to_contain_text("suspends every Integration Application of the group")
    product.screenshot(team, "team-plan-confirm")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    assert product.admin_api.get("/group").json()["plan"] == "aiq3"
    row.get_by_role("button", name="Change the plan of Group A").click()
    dialog.get_by_role("button", name="Move to AIQ1").click()
    expect(team.get_by_role("status").filter(has_text="now on AIQ1")).to_be_visible()
    expect(row).to_contain_text("AIQ1")
    expect(row).to_contain_text("Suspended: needs AIQ3")
    expect(row.get_by_label("Plan for Group A")).to_be_focused()
    assert product.admin_api.get("/group").json()["plan"] == "aiq1"

    # The app that worked gets no token now.
    refused = client.token_basic()
    assert refused.status_code == 401, refused.text
    assert refused.json()["error"] == "invalid_client"

    # The admin's list screen: the API's notice instead of the list, and no New.
    sales = product.services.settings.sales_email
    admin.reload()
    notice = admin.get_by_test_id("plan-required")
    expect(notice).to_contain_text("available on the AIQ3 plan only")
    expect(notice.get_by_role("link", name=sales)).to_have_attribute("href", f"mailto:{sales}")
    expect(
        admin.get_by_role("heading", name="Integration Applications", exact=True)
    ).to_be_visible()
    expect(admin.get_by_role("link", name="New Integration Application")).to_have_count(0)
    expect(admin.get_by_role("table")).to_have_count(0)
    expect(admin.get_by_text("Something went wrong")).to_have_count(0)
    product.screenshot(admin, "admin-plan-required")
    # ... and the same on an app's screens and New, reached by their addresses.
    for address in (f"/#/apps/{app['id']}/edit", f"/#/apps/{app['id']}/developer", "/#/apps/new"):
        admin.goto(address)
        expect(admin.get_by_test_id("plan-required")).to_contain_text(sales)
        expect(admin.get_by_role("heading", name="New Integration Application")).to_have_count(0)

    # Back on AIQ3: the confirmation says the apps return; the admin sees the list again.
    row.get_by_label("Plan for Group A").select_option(label="AIQ3")
    row.get_by_role("button", name="Change the plan of Group A").click()
    dialog = team.get_by_role("dialog", name="Move Group A to AIQ3?")
    expect(dialog).to_contain_text("work again at once")
    dialog.get_by_role("button", name="Move to AIQ3").click()
    expect(team.get_by_role("status").filter(has_text="work again")).to_be_visible()
    expect(row).to_contain_text("Available")
    assert client.token_basic().status_code == 200
    admin.goto("/#/apps")
    expect(admin.get_by_role("row").filter(has_text="Live Feed")).to_contain_text("Active")
    expect(admin.get_by_role("link", name="New Integration Application")).to_be_visible()
    expect(admin.get_by_test_id("plan-required")).to_have_count(0)


def test_staff_and_admin_sessions_stay_in_their_own_screens(product: Product) -> None:
    create_staff(product)
    page = product.new_page()
    log_in_to_team(page)
    expect(page.get_by_role("heading", name="Requests")).to_be_visible()
    staff_token = stored_session(page, TEAM_SESSION)["token"]

    # The team session does not log anyone into the admin screens, in the same tab ...
    page.goto("/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    # ... nor does its token, put where the admin screens keep theirs: the API refuses it.
    forged = {
        "token": staff_token,
        "user": {"email": STAFF_EMAIL, "full_name": STAFF_NAME, "can": {"read_apps": True}},
    }
    store_session(page, ADMIN_SESSION, forged)
    page.reload()
    expect(page.get_by_text("Your session ended. Log in again to continue.")).to_be_visible()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert stored_session(page, ADMIN_SESSION) is None
    # Staff credentials are not an admin's.
    log_in_as_admin(page, STAFF_EMAIL, STAFF_PASSWORD, navigate=False)
    expect(page.get_by_role("alert")).to_contain_text("wrong e-mail or password")

    # The team's console still has its own session; an admin's token is refused there.
    page.goto("/team/")
    expect(page.get_by_role("heading", name="Requests")).to_be_visible()
    log_in_as_admin(page, ADMIN, PASSWORD)
    expect(page.get_by_role("heading", name="Integration Applications")).to_be_visible()
    admin_token = stored_session(page, ADMIN_SESSION)["token"]
    page.goto("/team/")
    store_session(
        page, TEAM_SESSION, {"token": admin_token, "staff": {"email": ADMIN, "full_name": "Admin"}}
    )
    page.reload()
    expect(page.get_by_role("heading", name="Log in to the team console")).to_be_visible()
    expect(page.get_by_text("Your session ended. Log in again to continue.")).to_be_visible()

    # Log out ends the staff session at the API too.
    log_in_to_team(page, navigate=False)
    expect(page.get_by_role("heading", name="Requests")).to_be_visible()
    token = stored_session(page, TEAM_SESSION)["token"]
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status").filter(has_text="You are logged out.")).to_be_visible()
    expect(page.get_by_role("heading", name="Log in to the team console")).to_be_visible()
    ended = TeamApi(product.url)
    ended.token = token
    assert ended.get("/groups").status_code == 401
    assert staff_token != token
