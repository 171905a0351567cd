"""The Users screen (granting "Manage Integration Applications"), AIQ Integrate and AIQ
Connectors through the wizard, and the screens worked with the keyboard alone."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import Product, log_in_as_admin

USER_PASSWORD = "another long passphrase"
# Every visible form control must have a label (a <label for>, aria-label or aria-labelledby).
UNLABELLED_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter((el) => el.type !== 'hidden' && el.offsetParent !== null)
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
    && !el.getAttribute('aria-labelledby'))
  .map((el) => el.outerHTML)"""


def assert_all_controls_labelled(page: Any) -> None:
    assert page.evaluate(UNLABELLED_CONTROLS) == []


def test_practice_admin_grants_manage_integration_applications(product: Product) -> None:
    admin = product.new_page()
    log_in_as_admin(admin)
    admin.get_by_role("link", name="Users").click()
    expect(admin.get_by_role("heading", name="Users")).to_be_visible()
    admin.get_by_role("button", name="New User").click()
    dialog = admin.get_by_role("dialog", name="New User")
    dialog.get_by_label("E-mail").fill("ian@a.example")
    dialog.get_by_label("Full name").fill("Ian Integrator")
    dialog.get_by_label("Password").fill("short")
    assert_all_controls_labelled(admin)
    dialog.get_by_role("button", name="Create user").click()
    expect(dialog.locator("[data-error-for=password]")).to_be_visible()  # beside the field
    dialog.get_by_label("Password").fill(USER_PASSWORD)
    dialog.get_by_role("button", name="Create user").click()
    row = admin.get_by_role("row").filter(has_text="ian@a.example")
    expect(row).to_contain_text("No")

    # Without the permission, the user cannot reach the applications.
    user = product.new_page()
    log_in_as_admin(user, "ian@a.example", USER_PASSWORD)
    expect(user.get_by_role("heading", name="No access yet")).to_be_visible()

    # The article: Edit from the user's actions, enable the permission, Process.
    row.get_by_role("button", name="Edit Ian Integrator").click()
    dialog = admin.get_by_role("dialog", name="Edit Ian Integrator")
    dialog.get_by_label("Manage Integration Applications").check()
    product.screenshot(admin, "admin-users-edit")
    dialog.get_by_role("button", name="Process").click()
    expect(row).to_contain_text("Yes")
    users = {u["email"]: u for u in product.admin_api.get("/users").json()}
    assert users["ian@a.example"]["permissions"] == ["manage_integration_applications"]

    # A reload re-reads the session's permissions: no need to log in again.
    user.reload()
    expect(user.get_by_role("heading", name="Integration Applications")).to_be_visible()
    expect(user.get_by_role("link", name="New Integration Application")).to_be_visible()
    expect(user.get_by_role("link", name="Users")).to_have_count(0)
    user.get_by_role("button", name="Log out").click()
    expect(user.get_by_role("heading", name="Log in")).to_be_visible()
    expect(user.get_by_role("status").filter(has_text="You are logged out.")).to_be_visible()


def test_aiq_integrate_with_a_preset_tile_and_a_connector(product: Product) -> None:
    page = product.new_page()
    log_in_as_admin(page)
    page.get_by_role("link", name="New Integration Application").click()
    page.get_by_label("AIQ Integrate").check()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("group", name="Choose the application")).to_be_visible()
    page.get_by_label("HubSpot").check()
    page.get_by_role("button", name="Continue").click()
    # The chargeable disclaimer must be acknowledged first.
    expect(page.locator("[data-error-for=acknowledge_charges]")).to_be_visible()
    product.screenshot(page, "admin-new-aiq-integrate-tiles")
    page.get_by_label("I understand that this application type is chargeable.").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="New HubSpot")).to_be_visible()
    expect(page.get_by_label("Category")).to_have_count(0)  # only for the custom tile
    expect(page.get_by_label("Developer e-mail")).to_have_count(0)
    page.get_by_label("Name").fill("HubSpot Sync")
    page.get_by_label("Description").fill("Contacts to customers")
    page.get_by_label(re.compile("^E03 ")).check()
    page.get_by_role("button", name="Create").click()
    expect(page.locator("[data-error-for=acknowledge_data_access]")).to_be_visible()
    page.get_by_label("I understand that the AIQ team will have access to our data.").check()
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name="Integration application requested")).to_be_visible()
    product.mailbox.wait_for("team@aiq.example")
    [app] = product.admin_api.list_apps(name="HubSpot Sync").json()
    assert (app["type"], app["preset"], app["status"], app["category"]) == (
        "aiq_integrate",
        "hubspot",
        "requested",
        "crm",
    )

    page.get_by_role("button", name="Done").click()
    page.get_by_role("link", name="New Integration Application").click()
    page.get_by_label("AIQ Connectors").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("ExpenseIn Connector").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Name").fill("Expenses In")
    page.get_by_label("Description").fill("Expense claims")
    page.get_by_label("Developer e-mail").fill("connector-dev@example.com")
    page.get_by_label(re.compile("^E01 ")).check()
    page.get_by_label("I understand that the AIQ team will have access to our data.").check()
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_test_id("otp")).to_have_text(re.compile(r"^\d{8}$"))
    [connector] = product.admin_api.list_apps(name="Expenses In").json()
    assert (connector["type"], connector["preset"], connector["api_permission"]) == (
        "aiq_connector",
        "expensein",
        "read_write",
    )


def tab_to(page: Any, target: Any, limit: int = 60) -> None:
    """Presses Tab until `target` (a locator by role and name) has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("(el) => el === document.activeElement"):
            return
    raise AssertionError(f"{target} cannot be reached with Tab")


def test_an_app_can_be_created_with_the_keyboard_alone(product: Product) -> None:
    page = product.new_page()
    page.goto("/")
    assert_all_controls_labelled(page)
    tab_to(page, page.get_by_label("E-mail"))
    page.keyboard.type("admin@a.example")
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type("correct horse battery")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Integration Applications")).to_be_focused()
    assert_all_controls_labelled(page)

    tab_to(page, page.get_by_role("link", name="New Integration Application"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="New Integration Application")).to_be_focused()
    tab_to(page, page.get_by_role("radio", name="New Integration"))
    page.keyboard.press("ArrowDown")  # arrows move within a radio group
    page.keyboard.press("ArrowUp")
    tab_to(page, page.get_by_role("button", name="Next"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="New Integration")).to_be_focused()
    assert_all_controls_labelled(page)
    tab_to(page, page.get_by_label("Name"))
    page.keyboard.type("Keyboard Only")
    tab_to(page, page.get_by_label("Description"))
    page.keyboard.type("Made without a mouse")
    tab_to(page, page.get_by_label("Category"))
    page.keyboard.press("ArrowDown")  # the first category after the blank choice
    tab_to(page, page.get_by_label("Developer e-mail"))
    page.keyboard.type("keys@example.com")
    tab_to(page, page.get_by_role("checkbox", name="E02 — Entity 02 Ltd"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Create"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Integration application created")).to_be_focused()
    tab_to(page, page.get_by_role("button", name="Copy OTP"))
    page.keyboard.press("Enter")
    otp = page.get_by_test_id("otp").inner_text()
    assert page.evaluate("navigator.clipboard.readText()") == otp
    [app] = product.admin_api.list_apps(name="Keyboard Only").json()
    assert app["entity_ids"] == [product.entity_ids[1]]
    assert app["developer"]["email"] == "keys@example.com"

    # The Actions dropdown and the Revoke dialog work from the keyboard too; Escape is "No".
    tab_to(page, page.get_by_role("button", name="Done"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Actions for Keyboard Only"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Revoke"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="Revoke Keyboard Only?")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert product.admin_api.app(app["id"]).json()["status"] == "pending_verification"
