"""The two whole journeys, clicked through in Chromium.

The admin logs in, creates an app through the article's steps and copies the OTP; the
developer signs up from the e-mailed link, verifies the app with that OTP, sees and copies the
credentials, and an OAuth client gets a token with them.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import DEVELOPER, Product, log_in_as_admin
from tests.e2e.portal_client import OAuthClient

DEV_PASSWORD = "a long developer passphrase"


def create_app_through_the_wizard(page: Any, name: str, entity_codes: list[str]) -> str:
    """Setup > Integration Applications > New: type, form, Create; returns the OTP shown."""
    page.get_by_role("link", name="New Integration Application").click()
    expect(page.get_by_role("heading", name="New Integration Application")).to_be_visible()
    page.get_by_label("New Integration").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Name").fill(name)
    page.get_by_label("Description").fill("Pushes invoices to the ledger")
    page.get_by_label("Category").select_option("accounting")
    page.get_by_label("Developer e-mail").fill(DEVELOPER)
    page.get_by_label("Read & Write").check()
    for code in entity_codes:
        page.get_by_label(re.compile(f"^{code} ")).check()
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name="Integration application created")).to_be_visible()
    otp = page.get_by_test_id("otp").inner_text()
    assert re.fullmatch(r"\d{8}", otp), otp
    return otp


def test_admin_creates_an_app_and_the_developer_gets_a_token(product: Product) -> None:
    admin = product.new_page()
    log_in_as_admin(admin)
    expect(admin.get_by_role("heading", name="Integration Applications")).to_be_visible()
    expect(admin.get_by_text("No integration applications match.")).to_be_visible()
    product.screenshot(admin, "admin-empty-list")

    otp = create_app_through_the_wizard(admin, "Invoice Sync", ["E01", "E02", "E03"])
    expect(admin.get_by_text("by a different channel than e-mail", exact=False)).to_be_visible()
    admin.get_by_role("button", name="Copy OTP").click()
    expect(admin.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    assert admin.evaluate("navigator.clipboard.readText()") == otp
    product.screenshot(admin, "admin-otp-confirmation")

    # The app is really there, as the API tells any client, and the OTP never reached a mail.
    listed = product.admin_api.list_apps(name="Invoice Sync").json()
    assert [(a["name"], a["status"], a["api_permission"]) for a in listed] == [
        ("Invoice Sync", "pending_verification", "read_write")
    ]
    app_id = listed[0]["id"]
    admin.get_by_role("button", name="Done").click()
    row = admin.get_by_role("row").filter(has_text="Invoice Sync")
    expect(row).to_contain_text("Pending verification")
    expect(row).to_contain_text("E01, E02, E03")
    product.screenshot(admin, "admin-list")

    # The developer opens the link from the invite e-mail.
    invite_link = product.link_in_mail(DEVELOPER)
    assert otp not in "".join(str(m) for m in product.mailbox.messages)
    dev = product.new_page()
    dev.goto(invite_link)
    expect(dev.get_by_role("heading", name="Sign up to the Developer Portal")).to_be_visible()
    # The invite token leaves the address bar at once (it would linger in the history).
    assert "invite=" not in dev.url
    dev.get_by_role("button", name="Send me a code").click()
    expect(dev.get_by_text(f"We sent a 6-digit code to {DEVELOPER}")).to_be_visible()
    code = product.code_in_mail(DEVELOPER, count=2)
    dev.get_by_label("Verification code").fill(code)
    dev.get_by_label("Full name").fill("Dee Veloper")
    dev.get_by_label("Password", exact=True).fill(DEV_PASSWORD)
    dev.get_by_label("Repeat the password").fill(DEV_PASSWORD)
    product.screenshot(dev, "portal-signup")
    dev.get_by_role("button", name="Create my account").click()

    # Home: a tile that says what is needed, and the Verify dialog.
    expect(dev.get_by_role("heading", name="My applications")).to_be_visible()
    tile = dev.get_by_role("listitem").filter(has_text="Invoice Sync")
    expect(tile).to_contain_text("OTP verification needed")
    product.screenshot(dev, "portal-home")
    tile.get_by_role("button", name="Verify").click()
    dialog = dev.get_by_role("dialog", name="Verify Invoice Sync")
    dialog.get_by_label("OTP").fill("00000000" if otp != "00000000" else "11111111")
    dialog.get_by_role("button", name="Verify").click()
    expect(dialog.get_by_text("wrong", exact=False)).to_be_visible()  # beside the OTP field
    expect(dialog.get_by_label("OTP")).to_have_attribute("aria-invalid", "true")
    dialog.get_by_label("OTP").fill(otp)
    product.screenshot(dev, "portal-verify-dialog")
    dialog.get_by_role("button", name="Verify").click()

    # The app page: credentials shown once, URLs and docs links.
    expect(dev.get_by_role("heading", name="Your client secret")).to_be_visible()
    client_id = dev.get_by_test_id("issued-client-id").inner_text()
    secret = dev.get_by_test_id("client-secret").inner_text()
    dev.get_by_role("button", name="Copy Client secret").click()
    assert dev.evaluate("navigator.clipboard.readText()") == secret
    expect(dev.get_by_test_id("token-url")).to_have_text(f"{product.url}/oauth/token")
    expect(dev.get_by_test_id("wsdl-url")).to_have_text(f"{product.url}/soap?wsdl")
    expect(dev.get_by_role("link", name="SOAP API (WSDL)")).to_have_attribute(
        "href", f"{product.url}/soap?wsdl"
    )
    product.screenshot(dev, "portal-credentials")

    # An integration gets a token with what the page showed (client credentials, both ways).
    oauth = OAuthClient(product.url, client_id, secret)
    for response in (oauth.token_basic(), oauth.token_post()):
        assert response.status_code == 200, response.text
        assert response.json()["token_type"].lower() == "bearer"
    token = oauth.token_basic().json()["access_token"]
    assert oauth.introspect(token).json()["active"] is True

    # Shown once: after a reload the secret is gone from the page, the client id stays.
    dev.reload()
    expect(dev.get_by_role("heading", name="Invoice Sync")).to_be_visible()
    expect(dev.get_by_test_id("client-secret")).to_have_count(0)
    expect(dev.get_by_test_id("client-id")).to_have_text(client_id)
    assert secret not in dev.content()

    # The admin's list now shows the app active.
    admin.reload()
    expect(admin.get_by_role("row").filter(has_text="Invoice Sync")).to_contain_text("Active")
    assert product.admin_api.app(app_id).json()["developer"]["otp_verified"] is True


def test_developer_rotates_the_secret_and_browses_entities(product: Product) -> None:
    created = product.create_app("Ledger Feed", entity_ids=product.entity_ids)
    dev = product.new_page()
    dev.goto(product.link_in_mail(DEVELOPER))
    dev.get_by_role("button", name="Send me a code").click()
    dev.get_by_label("Verification code").fill(product.code_in_mail(DEVELOPER, count=2))
    dev.get_by_label("Full name").fill("Dee Veloper")
    dev.get_by_label("Password", exact=True).fill(DEV_PASSWORD)
    dev.get_by_label("Repeat the password").fill(DEV_PASSWORD)
    dev.get_by_role("button", name="Create my account").click()
    dev.get_by_role("button", name="Verify Ledger Feed").click()
    dev.get_by_role("dialog").get_by_label("OTP").fill(created["otp"])
    dev.get_by_role("dialog").get_by_role("button", name="Verify").click()
    first_secret = dev.get_by_test_id("client-secret").inner_text()
    client_id = dev.get_by_test_id("issued-client-id").inner_text()

    # Entities Assigned: twelve entities, ten a page, searchable.
    dev.get_by_role("tab", name="Entities Assigned").click()
    panel = dev.get_by_role("tabpanel", name="Entities Assigned")
    expect(panel.get_by_role("status")).to_have_text("Showing 1 to 10 of 12 entities")
    expect(panel.get_by_role("row")).to_have_count(11)  # a header row and ten entities
    panel.get_by_role("button", name="Next page").click()
    expect(panel.get_by_role("status")).to_have_text("Showing 11 to 12 of 12 entities")
    expect(panel.get_by_role("cell", name="Entity 12 Ltd")).to_be_visible()
    panel.get_by_label("Search entities by code or name").fill("e07")
    expect(panel.get_by_role("status")).to_have_text("Showing 1 to 1 of 1 entities")
    expect(panel.get_by_role("cell", name="Entity 07 Ltd")).to_be_visible()
    product.screenshot(dev, "portal-entities")

    # Rotate: a new secret once, the previous one keeps working until ended early.
    dev.get_by_role("tab", name="Details").click()
    dev.get_by_role("button", name="Rotate secret").click()
    dev.get_by_role("dialog").get_by_role("button", name="Rotate").click()
    expect(dev.get_by_text("The previous secret keeps working until")).to_be_visible()
    second_secret = dev.get_by_test_id("client-secret").inner_text()
    assert second_secret != first_secret
    oauth = OAuthClient(product.url, client_id, second_secret)
    assert oauth.token_basic().status_code == 200
    assert oauth.token_basic(first_secret).status_code == 200
    product.screenshot(dev, "portal-rotated")
    dev.get_by_role("button", name="End the previous secret now").click()
    dev.get_by_role("dialog").get_by_role("button", name="Yes").click()
    expect(dev.get_by_text("The previous secret no longer works.")).to_be_visible()
    assert oauth.token_basic(first_secret).status_code == 401
    assert oauth.token_basic().status_code == 200

    # On a phone the page fits the screen: long ids and URLs wrap instead of overflowing.
    dev.set_viewport_size({"width": 390, "height": 844})
    dev.reload()
    expect(dev.get_by_test_id("client-id")).to_have_text(client_id)
    assert dev.evaluate("document.documentElement.scrollWidth") <= 390
    product.screenshot(dev, "portal-app-phone")
