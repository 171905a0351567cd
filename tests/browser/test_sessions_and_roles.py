"""Sessions and roles as the screens show them: portal login, access revoked while a developer
looks, an admin session that expires, and an auditor who reads but cannot change."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import DEVELOPER, Product, log_in_as_admin
from tests.e2e.client import PASSWORD
from tests.e2e.portal_client import PortalApi
from tests.support import FakeClock

DEV_PASSWORD = "developer password 1"


def sign_up_developer(product: Product, invite_mails: int = 1, code_mails: int = 2) -> None:
    """The developer's account, made through the portal API (the UI path has its own test).
    `invite_mails` and `code_mails` say how many mails to the developer come before each."""
    portal = PortalApi(product.url)
    token = product.link_in_mail(DEVELOPER, invite_mails).split("#invite=", 1)[1]
    assert portal.start_signup(token).status_code == 202
    code = product.code_in_mail(DEVELOPER, count=code_mails)
    assert portal.complete_signup(token, code, password=DEV_PASSWORD).status_code == 201


def log_in_to_portal(page: Any, password: str = DEV_PASSWORD) -> None:
    page.get_by_label("E-mail").fill(DEVELOPER)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_portal_login_and_access_revoked_while_looking(product: Product) -> None:
    app = product.create_app("Watched Feed", entity_ids=product.entity_ids[:2])
    sign_up_developer(product)
    page = product.new_page()
    page.goto("/portal/")
    expect(page.get_by_role("heading", name="Log in to the Developer Portal")).to_be_visible()
    log_in_to_portal(page, "not the password at all")
    expect(page.get_by_role("alert")).to_contain_text("wrong e-mail or password")
    product.screenshot(page, "portal-login-error")
    log_in_to_portal(page)
    expect(page.get_by_role("heading", name="My applications")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Watched Feed")).to_contain_text(
        "OTP verification needed"
    )

    # The admin revokes the developer's access: the app is gone from the portal at once.
    page.goto(f"/portal/#/apps/{app['id']}")
    revoked = product.admin_api.delete(f"/integration-applications/{app['id']}/developer")
    assert revoked.status_code == 204, revoked.text
    page.reload()
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("not found")
    page.get_by_role("link", name="My applications").click()
    expect(page.get_by_text("No applications are linked to you yet.")).to_be_visible()


def test_an_expired_admin_session_leads_back_to_login(product: Product, clock: FakeClock) -> None:
    product.create_app("Some Feed")
    page = product.new_page()
    log_in_as_admin(page)
    expect(page.get_by_role("row").filter(has_text="Some Feed")).to_be_visible()
    clock.advance(hours=9)  # sessions last 8 hours
    page.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.get_by_text("Your session ended. Log in again to continue.")).to_be_visible()
    product.admin_api.login("admin@a.example")  # the test's own client needs a new session too
    log_in_as_admin(page, navigate=False)
    expect(page.get_by_role("heading", name="Integration Applications")).to_be_visible()


def test_an_auditor_reads_everything_and_changes_nothing(product: Product) -> None:
    app = product.create_app("Audited Feed")
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
    expect(page.get_by_role("heading", name="Integration Applications")).to_be_visible()
    expect(page.get_by_role("link", name="New Integration Application")).to_have_count(0)
    row = page.get_by_role("row").filter(has_text="Audited Feed")
    row.get_by_text("Actions").click()
    expect(row.get_by_role("button", name="Revoke")).to_have_count(0)
    expect(row.get_by_role("button", name="Download Activity Log")).to_be_visible()
    row.get_by_role("link", name="View details").click()
    expect(page.get_by_role("heading", name="Audited Feed")).to_be_visible()
    expect(page.get_by_label("Description")).to_be_disabled()
    expect(page.get_by_role("button", name="Save changes")).to_have_count(0)
    page.goto(f"/#/apps/{app['id']}/developer")
    expect(page.locator("dl.facts")).to_contain_text(DEVELOPER)
    expect(page.get_by_role("button", name="Reset OTP")).to_have_count(0)
    page.get_by_role("link", name="Users").click()
    expect(page.get_by_role("row").filter(has_text="admin@a.example")).to_be_visible()
    expect(page.get_by_role("button", name="New User")).to_have_count(0)
