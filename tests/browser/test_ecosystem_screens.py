"""Partner integrations (SPEC 12), clicked through in Chromium across two groups and the team:
group A's admin lists a New Integration app from its Actions menu, the team approves it in the
console's Listings screen, group B's admin finds it among the wizard's partner tiles and
installs it (the OTP shown once), the partner's developer sees the installation "for Group B"
in the portal, verifies it and calls the SOAP API for group B's entity with its own token; the
team delists it, revoking the installation, and B's admin sees it revoked. Also a rejection,
its reason as the owner reads it, a resubmission and a withdrawal."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from entrypoints.cli import bootstrap_group
from tests.browser.conftest import DEVELOPER, Product, log_in_as_admin
from tests.browser.test_app_actions import open_action
from tests.browser.test_journeys import create_app_through_the_wizard
from tests.browser.test_sessions_and_roles import log_in_to_portal, sign_up_developer
from tests.browser.test_team_console import create_staff, log_in_to_team
from tests.e2e.client import PASSWORD
from tests.e2e.portal_client import OAuthClient
from tests.soap.support import SoapClient

ADMIN_B = "admin@b.example"
LISTED = "Edge App CRM Bridge"
INSTALLED = "CRM for Bravo"
LISTING = {
    "Summary": "Invoices to your CRM, both ways",
    "Description": "Keeps customers and invoices in step between AIQ and the CRM.",
    "Support e-mail": "help@partner.example",
    "Website": "https://partner.example/aiq",
}


def group_b(product: Product) -> dict[str, Any]:
    return dict(
        bootstrap_group(product.services, "Group B", [("B1", "Bravo Ltd")], ADMIN_B, PASSWORD)
    )


def fill_listing(dialog: Any, **overrides: str) -> None:
    for label, value in {**LISTING, **overrides}.items():
        dialog.get_by_label(label, exact=True).fill(value)


def list_through_the_dialog(page: Any, app_name: str) -> None:
    """Actions > Ecosystem listing, filled in and submitted for review."""
    open_action(page, app_name, "Ecosystem listing")
    dialog = page.get_by_role("dialog", name=f"Ecosystem listing of {app_name}")
    fill_listing(dialog)
    dialog.get_by_role("button", name=re.compile("^Submit")).click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="is submitted")).to_be_visible()


def listing_row(page: Any, name: str = LISTED) -> Any:
    return page.get_by_role("row").filter(has_text=name)


def test_a_listing_from_group_a_installed_by_group_b_and_called_by_the_partner(
    product: Product,
) -> None:
    # Group A's admin creates the app through the wizard; its developer signs up and verifies.
    admin_a = product.new_page()
    log_in_as_admin(admin_a)
    otp_a = create_app_through_the_wizard(admin_a, LISTED, ["E01"])
    admin_a.get_by_role("button", name="Done").click()
    sign_up_developer(product)
    dev = product.new_page()
    dev.goto("/portal/")
    log_in_to_portal(dev)
    dev.get_by_role("button", name=f"Verify {LISTED}").click()
    dev.get_by_role("dialog").get_by_label("OTP").fill(otp_a)
    dev.get_by_role("dialog").get_by_role("button", name="Verify").click()
    expect(dev.get_by_test_id("client-secret")).to_be_visible()

    # A lists it from the Actions menu: not listed yet; errors land beside their fields.
    open_action(admin_a, LISTED, "Ecosystem listing")
    dialog = admin_a.get_by_role("dialog", name=f"Ecosystem listing of {LISTED}")
    expect(dialog.get_by_test_id("listing-status")).to_contain_text("Not listed")
    expect(dialog.get_by_role("button", name="Withdraw")).to_have_count(0)
    dialog.get_by_role("button", name="Submit for review").click()
    email_error = dialog.locator("[data-error-for=support_email]")
    expect(email_error).to_contain_text("e-mail address")
    expect(dialog.get_by_label("Support e-mail")).to_have_attribute("aria-invalid", "true")
    expect(dialog.get_by_label("Support e-mail")).to_be_focused()
    fill_listing(dialog, Website="http://partner.example/aiq")
    dialog.get_by_role("button", name="Submit for review").click()
    expect(dialog.locator("[data-error-for=website]")).to_contain_text("https://")
    expect(dialog.get_by_label("Website")).to_have_attribute("aria-invalid", "true")
    expect(dialog.get_by_label("Website")).to_be_focused()
    expect(email_error).to_be_hidden()
    product.screenshot(admin_a, "admin-listing-error")
    dialog.get_by_label("Website").fill(LISTING["Website"])
    dialog.get_by_role("button", name="Submit for review").click()
    expect(dialog).to_have_count(0)
    expect(admin_a.get_by_role("status").filter(has_text="is submitted")).to_be_visible()
    open_action(admin_a, LISTED, "Ecosystem listing")
    expect(dialog.get_by_test_id("listing-status")).to_contain_text("Submitted")
    expect(dialog.get_by_label("Summary")).to_have_value(LISTING["Summary"])
    expect(dialog.get_by_role("button", name="Withdraw")).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    # Other apps types have nothing to list.
    created = product.admin_api.create_app(
        type="aiq_connector",
        preset="salesforce",
        name="SF Connector",
        description="d",
        developer_email="other@example.com",
        entity_ids=product.entity_ids[:1],
        acknowledge_data_access=True,
    )
    assert created.status_code == 201, created.text
    admin_a.reload()
    connector = admin_a.get_by_role("row").filter(has_text="SF Connector")
    connector.get_by_text("Actions").click()
    expect(connector.get_by_role("button", name="Download Activity Log")).to_be_visible()
    expect(connector.get_by_role("button", name="Ecosystem listing")).to_have_count(0)
    admin_a.keyboard.press("Escape")

    # The team approves it in the Listings screen (the review queue by default).
    create_staff(product)
    team = product.new_page()
    log_in_to_team(team)
    team.get_by_role("link", name="Listings").click()
    expect(team.get_by_role("heading", name="Listings")).to_be_visible()
    expect(team.get_by_label("Status")).to_have_value("submitted")
    row = listing_row(team)
    for shown in ("Group A", *LISTING.values(), "Submitted", "0 installations"):
        expect(row).to_contain_text(shown)
    expect(row.get_by_role("link", name=LISTING["Website"])).to_have_attribute(
        "href", LISTING["Website"]
    )
    expect(team.get_by_role("status").filter(has_text="1 listing")).to_be_visible()
    product.screenshot(team, "team-listings")
    row.get_by_role("button", name=f"Approve {LISTED}").click()
    expect(team.get_by_role("status").filter(has_text="is published")).to_be_visible()
    expect(team.get_by_text("No listings match.")).to_be_visible()
    team.get_by_label("Status").select_option("published")
    assert "status=published" in team.url
    expect(row).to_contain_text("Published")
    expect(row.get_by_role("button", name=f"Approve {LISTED}")).to_have_count(0)
    expect(row.get_by_role("button", name=f"Delist {LISTED}")).to_be_visible()

    # Group B's admin finds it among the wizard's partner integrations and installs it.
    ids_b = group_b(product)
    admin_b = product.new_page()
    log_in_as_admin(admin_b, ADMIN_B)
    expect(admin_b.get_by_role("heading", name="Integration Applications")).to_be_visible()
    admin_b.get_by_role("link", name="New Integration Application").click()
    admin_b.get_by_label("Partner integrations").check()
    admin_b.get_by_role("button", name="Next").click()
    expect(admin_b.get_by_role("heading", name="Partner integrations", level=1)).to_be_visible()
    tile = admin_b.get_by_role("listitem").filter(has_text=LISTED)
    for shown in ("by Group A", LISTING["Summary"], "Accounting", "Read & Write"):
        expect(tile).to_contain_text(shown)
    expect(admin_b.get_by_role("status").filter(has_text="1 partner integration")).to_be_visible()
    search = admin_b.get_by_label("Search partner integrations")
    search.fill("payroll")
    search.press("Enter")
    expect(admin_b.get_by_text("No partner integrations match.")).to_be_visible()
    expect(tile).to_have_count(0)
    search.fill("invoices")
    admin_b.get_by_role("button", name="Search").click()
    expect(tile).to_be_visible()
    product.screenshot(admin_b, "admin-partner-tiles")
    tile.get_by_role("button", name=f"Install {LISTED}").click()
    expect(admin_b.get_by_role("heading", name=f"Install {LISTED}")).to_be_visible()
    expect(admin_b.get_by_role("link", name=LISTING["Support e-mail"])).to_be_visible()
    admin_b.get_by_label("Name").fill(INSTALLED)
    admin_b.get_by_label(re.compile("^B1 ")).check()
    admin_b.get_by_role("button", name="Install").click()  # not acknowledged: said beside it
    acknowledge = admin_b.get_by_label(re.compile("Group A, the partner, will have access"))
    expect(admin_b.locator("[data-error-for=acknowledge_data_access]")).to_contain_text(
        "partner will have access to your data"
    )
    expect(acknowledge).to_have_attribute("aria-invalid", "true")
    expect(acknowledge).to_be_focused()
    acknowledge.check()
    product.screenshot(admin_b, "admin-partner-install")
    admin_b.get_by_role("button", name="Install").click()

    # The OTP, once, with the instructions to pass it to the partner's developer.
    expect(admin_b.get_by_role("heading", name="Partner integration installed")).to_be_visible()
    panel = admin_b.get_by_role("region", name="One-time password for the developer")
    expect(panel).to_contain_text(f"Group A's developer, {DEVELOPER}")
    expect(panel).to_contain_text("by a different channel than e-mail")
    expect(panel).to_contain_text("shown only now")
    otp_b = admin_b.get_by_test_id("otp").inner_text()
    assert re.fullmatch(r"\d{8}", otp_b), otp_b
    product.screenshot(admin_b, "admin-partner-otp")
    admin_b.get_by_role("button", name="Done").click()
    installed_row = admin_b.get_by_role("row").filter(has_text=INSTALLED)
    for shown in ("Partner integration", "Partner: Group A", DEVELOPER, "B1"):
        expect(installed_row).to_contain_text(shown)
    expect(installed_row).to_contain_text("Pending verification")
    admin_b.get_by_label("Search Type").select_option("partner_integration")
    expect(admin_b.get_by_role("status").filter(has_text="of 1 applications")).to_be_visible()
    assert "type=partner_integration" in admin_b.url
    # Installed once: the tile says so and offers no Install.
    admin_b.get_by_role("link", name="New Integration Application").click()
    admin_b.get_by_label("Partner integrations").check()
    admin_b.get_by_role("button", name="Next").click()
    expect(tile).to_contain_text("Installed")
    expect(tile.get_by_role("button", name=f"Install {LISTED}")).to_have_count(0)

    # The partner's developer sees the installation for Group B and verifies it with the OTP.
    dev.goto("/portal/")
    installation = dev.get_by_role("listitem").filter(has_text=INSTALLED)
    expect(installation).to_contain_text("Partner integration for Group B")
    expect(installation).to_contain_text("OTP verification needed")
    expect(dev.get_by_role("listitem").filter(has_text=LISTED)).not_to_contain_text("for Group")
    product.screenshot(dev, "portal-home-installation")
    installation.get_by_role("button", name=f"Verify {INSTALLED}").click()
    dev.get_by_role("dialog").get_by_label("OTP").fill(otp_b)
    dev.get_by_role("dialog").get_by_role("button", name="Verify").click()
    expect(dev.get_by_role("heading", name=INSTALLED, level=1)).to_be_visible()
    expect(dev.get_by_text("Partner integration for Group B")).to_be_visible()
    client_id = dev.get_by_test_id("issued-client-id").inner_text()
    secret = dev.get_by_test_id("client-secret").inner_text()

    # With the installation's own credentials: a token, and SOAP answers for B1 only.
    issued = OAuthClient(product.url, client_id, secret).token_basic()
    assert issued.status_code == 200, issued.text
    soap = SoapClient(product.url, issued.json()["access_token"])
    entities = soap.call("GetEntitiesByToken")
    assert entities.Status == "Success", entities
    assert [e.Code for e in entities.Result.Entity] == ["B1"]
    assert list(ids_b["entities"]) == ["B1"]

    # The team delists it, revoking every installation: a reason is needed first.
    team.reload()
    row.get_by_role("button", name=f"Delist {LISTED}").click()
    delist = team.get_by_role("dialog", name=f"Delist {LISTED}")
    expect(delist).to_contain_text("1 installation")
    delist.get_by_role("button", name="Delist").click()
    expect(delist.locator("[data-error-for=reason]")).to_be_visible()
    expect(delist.get_by_label("Reason")).to_have_attribute("aria-invalid", "true")
    delist.get_by_label("Reason").fill("the partner stopped support")
    delist.get_by_label("Also revoke every installation").check()
    product.screenshot(team, "team-delist")
    delist.get_by_role("button", name="Delist").click()
    expect(delist).to_have_count(0)
    expect(team.get_by_role("status").filter(has_text="installations are revoked")).to_be_visible()
    team.get_by_label("Status").select_option("delisted")
    expect(row).to_contain_text("the partner stopped support")
    assert soap.call("GetEntitiesByToken").ErrorCode == "APPLICATION_REVOKED"

    # Group B's admin sees the installation revoked; A's admin reads why it was delisted.
    admin_b.goto("/#/apps")
    expect(admin_b.get_by_role("row").filter(has_text=INSTALLED)).to_contain_text("Revoked")
    admin_a.reload()
    open_action(admin_a, LISTED, "Ecosystem listing")
    status = dialog.get_by_test_id("listing-status")
    expect(status).to_contain_text("Delisted")
    expect(status).to_contain_text("the partner stopped support")
    expect(dialog.get_by_role("button", name="Submit again")).to_be_visible()


def test_a_rejected_listing_shows_its_reason_and_is_submitted_again_then_withdrawn(
    product: Product,
) -> None:
    product.create_app("Ledger Bridge")
    create_staff(product)
    admin = product.new_page()
    log_in_as_admin(admin)
    list_through_the_dialog(admin, "Ledger Bridge")

    # The team rejects it, saying why (an empty reason is named beside the field).
    team = product.new_page()
    log_in_to_team(team)
    team.get_by_role("link", name="Listings").click()
    listing_row(team, "Ledger Bridge").get_by_role("button", name="Reject Ledger Bridge").click()
    reject = team.get_by_role("dialog", name="Reject Ledger Bridge")
    reject.get_by_role("button", name="Reject listing").click()
    expect(reject.locator("[data-error-for=reason]")).to_be_visible()
    expect(reject.get_by_label("Reason")).to_be_focused()
    reject.get_by_label("Reason").fill("add a logo")
    reject.get_by_role("button", name="Reject listing").click()
    expect(reject).to_have_count(0)
    expect(team.get_by_role("status").filter(has_text="is rejected")).to_be_visible()
    team.get_by_label("Status").select_option(label="All statuses")
    assert "status=all" in team.url
    expect(listing_row(team, "Ledger Bridge")).to_contain_text("Rejected")
    expect(listing_row(team, "Ledger Bridge")).to_contain_text("add a logo")

    # The owner reads the reason, changes the listing and submits it again ...
    admin.reload()
    open_action(admin, "Ledger Bridge", "Ecosystem listing")
    dialog = admin.get_by_role("dialog", name="Ecosystem listing of Ledger Bridge")
    expect(dialog.get_by_test_id("listing-status")).to_contain_text("Rejected")
    expect(dialog.get_by_test_id("listing-status")).to_contain_text("add a logo")
    dialog.get_by_label("Summary").fill("With a logo")
    dialog.get_by_role("button", name="Submit again").click()
    expect(admin.get_by_role("status").filter(has_text="is submitted")).to_be_visible()
    team.reload()
    expect(listing_row(team, "Ledger Bridge")).to_contain_text("With a logo")
    expect(listing_row(team, "Ledger Bridge")).to_contain_text("Submitted")
    expect(listing_row(team, "Ledger Bridge")).not_to_contain_text("add a logo")

    # ... and withdraws it while it waits: the team's queue is empty again.
    open_action(admin, "Ledger Bridge", "Ecosystem listing")
    expect(dialog.get_by_test_id("listing-status")).to_contain_text("Submitted")
    dialog.get_by_role("button", name="Withdraw").click()
    expect(admin.get_by_role("status").filter(has_text="is withdrawn")).to_be_visible()
    team.get_by_label("Status").select_option("submitted")
    expect(team.get_by_text("No listings match.")).to_be_visible()
    listed = product.admin_api.list_apps(name="Ledger Bridge").json()
    listing = product.admin_api.get(f"/integration-applications/{listed[0]['id']}/listing")
    assert listing.json()["status"] == "withdrawn"
