"""axe-core's WCAG 2.1 A/AA rules on every main screen, for both audiences.

A screen-reader user depends on what these rules check: names for every control and
button, headings and landmarks, contrast, valid ARIA. Each screen is audited as a user sees
it, with data on it, dialogs open where the screen has one.
"""

from __future__ import annotations

import json
import re
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from joserfc.jwk import ECKey
from playwright.sync_api import expect

from tests.browser.conftest import DEVELOPER, Product, log_in_as_admin
from tests.browser.test_app_actions import open_action
from tests.browser.test_credential_screens import verified_client
from tests.browser.test_ecosystem_screens import ADMIN_B, fill_listing, group_b
from tests.browser.test_sessions_and_roles import (
    DEV_PASSWORD,
    log_in_to_portal,
    sign_up_developer,
)
from tests.browser.test_team_console import (
    TEAM_DEV,
    create_staff,
    integrate_request,
    log_in_to_team,
)
from tests.browser.test_usage_screens import use_app
from tests.browser.test_webhook_screens import Receiver, open_webhooks, wait_for_status

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def audit(page: Any, screen: str, found: dict[str, list[str]]) -> None:
    results = Axe().run(page, options=WCAG)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]
    if problems:
        found[screen] = problems


def test_admin_screens_pass_axe(product: Product) -> None:
    app = product.create_app("Audited App")
    found: dict[str, list[str]] = {}
    page = product.new_page()
    page.goto("/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    audit(page, "login", found)
    log_in_as_admin(page, navigate=False)
    expect(page.get_by_role("row").filter(has_text="Audited App")).to_be_visible()
    audit(page, "list", found)
    page.get_by_role("row").filter(has_text="Audited App").get_by_text("Actions").click()
    audit(page, "list with the actions open", found)
    page.get_by_role("link", name="New Integration Application").click()
    expect(page.get_by_role("heading", name="New Integration Application")).to_be_visible()
    audit(page, "new: type", found)
    page.get_by_label("AIQ Integrate").check()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="AIQ Integrate")).to_be_visible()
    audit(page, "new: presets", found)
    page.get_by_role("button", name="Back").click()
    page.get_by_label("New Integration").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Create").click()  # empty: errors beside the fields
    expect(page.locator("[data-error-for]:visible").first).to_be_visible()
    audit(page, "new: form with an error", found)
    page.get_by_label("Name").fill("Accessible App")
    page.get_by_label("Description").fill("Checked by axe")
    page.get_by_label("Category").select_option("crm")
    page.get_by_label("Developer e-mail").fill(DEVELOPER)
    page.get_by_label(re.compile("^E01 ")).check()
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_test_id("otp")).to_be_visible()
    audit(page, "new: OTP confirmation", found)
    page.goto(f"/#/apps/{app['id']}/edit")
    expect(page.get_by_role("heading", name="Edit Audited App")).to_be_visible()
    audit(page, "edit", found)
    page.goto(f"/#/apps/{app['id']}/developer")
    expect(page.get_by_role("button", name="Reset OTP")).to_be_visible()
    audit(page, "developer access", found)
    page.get_by_role("button", name="Revoke Access").click()
    audit(page, "developer access: confirm dialog", found)
    page.keyboard.press("Escape")
    page.get_by_role("link", name="Users").click()
    page.get_by_role("button", name="New User").click()
    expect(page.get_by_role("dialog", name="New User")).to_be_visible()
    audit(page, "users: new user dialog", found)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/#/apps")
    expect(page.locator("#apps-summary")).to_be_visible()
    audit(page, "list on a phone", found)
    assert found == {}


def test_portal_screens_pass_axe(product: Product) -> None:
    app = product.create_app("Portal App", entity_ids=product.entity_ids)
    found: dict[str, list[str]] = {}
    page = product.new_page()
    page.goto(product.link_in_mail(DEVELOPER))
    expect(page.get_by_role("button", name="Send me a code")).to_be_visible()
    audit(page, "signup: request code", found)
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_label("Verification code")).to_be_visible()
    audit(page, "signup: enter code", found)
    page.goto("/portal/")
    expect(page.get_by_role("heading", name="Log in to the Developer Portal")).to_be_visible()
    audit(page, "login", found)
    sign_up_developer(product, invite_mails=1, code_mails=3)
    page.get_by_label("E-mail").fill(DEVELOPER)
    page.get_by_label("Password").fill(DEV_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My applications")).to_be_visible()
    audit(page, "home", found)
    page.get_by_role("button", name="Verify Portal App").click()
    audit(page, "verify dialog", found)
    page.get_by_role("dialog").get_by_label("OTP").fill(app["otp"])
    page.get_by_role("dialog").get_by_role("button", name="Verify").click()
    expect(page.get_by_test_id("client-secret")).to_be_visible()
    audit(page, "app: details with the secret", found)
    page.get_by_role("tab", name="Entities Assigned").click()
    expect(page.get_by_text("Showing 1 to 10 of 12 entities")).to_be_visible()
    audit(page, "app: entities", found)
    assert found == {}


def test_credential_screens_pass_axe(product: Product) -> None:
    """SPEC 14's screens: a secret's expiry in the list, End client secret now, allowed IP
    addresses, the security settings; the portal's banner, signing keys, how-to and a secret
    ended, on a laptop and a phone."""
    shorter = product.admin_api.patch("/group", json={"secret_lifetime_days": 30})
    assert shorter.status_code == 200, shorter.text  # a secret that warns from the start
    app = product.create_app("Keyed App")
    verified_client(product, app)
    found: dict[str, list[str]] = {}
    admin = product.new_page()
    log_in_as_admin(admin)
    expect(admin.get_by_role("row").filter(has_text="Keyed App")).to_contain_text(
        "Secret expires in 30 days"
    )
    audit(admin, "list with a secret's expiry", found)
    open_action(admin, "Keyed App", "End client secret now")
    expect(admin.get_by_role("dialog", name="End the client secret of Keyed App?")).to_be_visible()
    audit(admin, "list: end client secret dialog", found)
    admin.keyboard.press("Escape")
    admin.goto(f"/#/apps/{app['id']}/edit")
    admin.get_by_label("Allowed IP addresses").fill("not an address")
    admin.get_by_role("button", name="Save changes").click()
    expect(admin.locator("[data-error-for=allowed_ips]")).to_be_visible()
    audit(admin, "edit: allowed IP addresses with an error", found)
    admin.get_by_role("link", name="Security settings").click()
    admin.get_by_label("Client secret lifetime (days)").fill("1")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator("[data-error-for=secret_lifetime_days]")).to_be_visible()
    audit(admin, "security settings with an error", found)

    dev = product.new_page()
    dev.goto("/portal/")
    log_in_to_portal(dev)
    dev.get_by_role("link", name="Open Keyed App").click()
    expect(dev.get_by_role("status").filter(has_text="expires in 30 days")).to_be_visible()
    audit(dev, "app: banner, secret, keys and how-to", found)
    dev.get_by_label("Public key (JWK)").fill("not JSON")
    dev.get_by_role("button", name="Add key").click()
    expect(dev.locator("[data-error-for=jwk]")).to_be_visible()
    audit(dev, "app: add key with an error", found)
    public = ECKey.generate_key("P-256").as_dict(private=False)
    dev.get_by_label("Public key (JWK)").fill(json.dumps(public))
    dev.get_by_role("button", name="Add key").click()
    expect(dev.get_by_role("table", name="Registered public keys")).to_be_visible()
    audit(dev, "app: a registered key", found)
    dev.get_by_role("button", name="End secret now").click()
    dialog = dev.get_by_role("dialog", name="End the client secret now?")
    expect(dialog).to_be_visible()
    audit(dev, "app: end secret dialog", found)
    dialog.get_by_role("button", name="End secret now").click()
    expect(dev.get_by_test_id("no-secret")).to_be_visible()
    audit(dev, "app: secret ended", found)
    dev.set_viewport_size({"width": 390, "height": 844})
    dev.reload()
    expect(dev.get_by_role("table", name="Registered public keys")).to_be_visible()
    audit(dev, "app on a phone", found)
    # The examples scroll in their own box: the page itself still fits the phone.
    assert dev.evaluate("document.documentElement.scrollWidth") <= 390
    assert found == {}


def test_team_console_and_plan_notice_pass_axe(product: Product) -> None:
    """SPEC 11's screens: the team console's login, requests (with its dialogs, an error and
    the OTP shown once) and groups (with the plan confirmation), on a laptop and a phone; and
    the admin's notice for a group off AIQ3."""
    create_staff(product)
    integrate_request(product)
    found: dict[str, list[str]] = {}
    team = product.new_page()
    team.goto("/team/")
    expect(team.get_by_role("heading", name="Log in to the team console")).to_be_visible()
    audit(team, "team: login", found)
    log_in_to_team(team, "not the staff password", navigate=False)
    expect(team.get_by_role("alert")).to_be_visible()
    audit(team, "team: login with an error", found)
    log_in_to_team(team, navigate=False)
    row = team.get_by_role("row").filter(has_text="Month-end Flow")
    expect(row).to_be_visible()
    audit(team, "team: requests", found)
    row.get_by_role("button", name="Link developer to Month-end Flow").click()
    dialog = team.get_by_role("dialog", name="Link a developer to Month-end Flow")
    dialog.get_by_label("Developer e-mail").fill("not an address")
    dialog.get_by_role("button", name="Link developer").click()
    expect(dialog.locator("[data-error-for]:visible")).to_be_visible()
    audit(team, "team: link developer with an error", found)
    dialog.get_by_label("Developer e-mail").fill(TEAM_DEV)
    dialog.get_by_role("button", name="Link developer").click()
    expect(team.get_by_test_id("otp")).to_be_visible()
    audit(team, "team: the OTP shown once", found)
    row.get_by_role("button", name="Progress of Month-end Flow").click()
    expect(team.get_by_role("dialog", name="Progress of Month-end Flow")).to_be_visible()
    audit(team, "team: progress dialog", found)
    team.get_by_role("dialog").get_by_label("Note").fill("mapping GL")
    team.get_by_role("dialog").get_by_role("button", name="Save progress").click()
    expect(row).to_contain_text("mapping GL")
    audit(team, "team: requests with progress", found)
    team.set_viewport_size({"width": 390, "height": 844})
    audit(team, "team: requests on a phone", found)
    team.set_viewport_size({"width": 1280, "height": 900})
    team.get_by_role("link", name="Groups").click()
    group = team.get_by_role("row").filter(has_text="Group A")
    expect(group).to_contain_text("AIQ3")
    audit(team, "team: groups", found)
    group.get_by_role("button", name="Change the plan of Group A").click()
    expect(group.locator("[data-error-for=plan]")).to_be_visible()
    audit(team, "team: groups with an error", found)
    group.get_by_label("Plan for Group A").select_option("aiq2")
    group.get_by_role("button", name="Change the plan of Group A").click()
    dialog = team.get_by_role("dialog", name="Move Group A off AIQ3?")
    expect(dialog).to_be_visible()
    audit(team, "team: plan confirmation", found)
    dialog.get_by_role("button", name="Move to AIQ2").click()
    expect(group).to_contain_text("Suspended: needs AIQ3")
    audit(team, "team: a group off AIQ3", found)
    team.set_viewport_size({"width": 390, "height": 844})
    audit(team, "team: groups on a phone", found)

    admin = product.new_page()
    log_in_as_admin(admin)
    expect(admin.get_by_test_id("plan-required")).to_be_visible()
    audit(admin, "admin: plan required", found)
    admin.set_viewport_size({"width": 390, "height": 844})
    audit(admin, "admin: plan required on a phone", found)
    assert found == {}


def test_ecosystem_screens_pass_axe(product: Product) -> None:
    """SPEC 12's screens: the listing dialog (empty, with an error, published), the team's
    Listings with its reject and delist dialogs, the wizard's partner tiles and install form
    (with an error), the OTP for the partner's developer, the list with the installation, and
    the installation in the partner developer's portal; on a laptop and a phone."""
    product.create_app("Listed App")
    sign_up_developer(product)
    create_staff(product)
    group_b(product)
    found: dict[str, list[str]] = {}
    admin = product.new_page()
    log_in_as_admin(admin)
    open_action(admin, "Listed App", "Ecosystem listing")
    dialog = admin.get_by_role("dialog", name="Ecosystem listing of Listed App")
    expect(dialog.get_by_test_id("listing-status")).to_contain_text("Not listed")
    audit(admin, "admin: listing dialog", found)
    dialog.get_by_role("button", name="Submit for review").click()
    expect(dialog.locator("[data-error-for]:visible").first).to_be_visible()
    audit(admin, "admin: listing dialog with an error", found)
    fill_listing(dialog)
    dialog.get_by_role("button", name="Submit for review").click()
    expect(dialog).to_have_count(0)

    team = product.new_page()
    log_in_to_team(team)
    team.get_by_role("link", name="Listings").click()
    row = team.get_by_role("row").filter(has_text="Listed App")
    expect(row).to_contain_text("Submitted")
    audit(team, "team: listings", found)
    row.get_by_role("button", name="Reject Listed App").click()
    reject = team.get_by_role("dialog", name="Reject Listed App")
    reject.get_by_role("button", name="Reject listing").click()
    expect(reject.locator("[data-error-for=reason]")).to_be_visible()
    audit(team, "team: reject dialog with an error", found)
    reject.get_by_role("button", name="Cancel").click()
    row.get_by_role("button", name="Approve Listed App").click()
    expect(team.get_by_text("No listings match.")).to_be_visible()
    team.get_by_label("Status").select_option("published")
    row.get_by_role("button", name="Delist Listed App").click()
    expect(team.get_by_role("dialog", name="Delist Listed App")).to_be_visible()
    audit(team, "team: delist dialog", found)
    team.keyboard.press("Escape")
    team.set_viewport_size({"width": 390, "height": 844})
    expect(row).to_contain_text("Published")
    audit(team, "team: listings on a phone", found)
    admin.reload()
    open_action(admin, "Listed App", "Ecosystem listing")
    expect(dialog.get_by_test_id("listing-status")).to_contain_text("Published")
    audit(admin, "admin: listing dialog, published", found)

    installer = product.new_page()
    log_in_as_admin(installer, ADMIN_B)
    installer.get_by_role("link", name="New Integration Application").click()
    installer.get_by_label("Partner integrations").check()
    audit(installer, "new: type with partner integrations", found)
    installer.get_by_role("button", name="Next").click()
    tile = installer.get_by_role("listitem").filter(has_text="Listed App")
    expect(tile).to_contain_text("by Group A")
    audit(installer, "new: partner tiles", found)
    tile.get_by_role("button", name="Install Listed App").click()
    installer.get_by_role("button", name="Install").click()
    expect(installer.locator("[data-error-for]:visible").first).to_be_visible()
    audit(installer, "new: install form with an error", found)
    installer.get_by_label("Name").fill("Listed for Bravo")
    installer.get_by_label(re.compile("^B1 ")).check()
    installer.get_by_label(re.compile("the partner, will have access")).check()
    installer.get_by_role("button", name="Install").click()
    expect(installer.get_by_test_id("otp")).to_be_visible()
    audit(installer, "new: the OTP for the partner's developer", found)
    installer.get_by_role("button", name="Done").click()
    expect(installer.get_by_role("row").filter(has_text="Listed for Bravo")).to_contain_text(
        "Partner: Group A"
    )
    audit(installer, "list with a partner integration", found)
    installer.set_viewport_size({"width": 390, "height": 844})
    installer.get_by_role("link", name="New Integration Application").click()
    installer.get_by_label("Partner integrations").check()
    installer.get_by_role("button", name="Next").click()
    expect(tile).to_contain_text("Installed")
    audit(installer, "new: partner tiles on a phone, one installed", found)

    dev = product.new_page()
    dev.goto("/portal/")
    log_in_to_portal(dev)
    expect(dev.get_by_role("listitem").filter(has_text="Listed for Bravo")).to_contain_text(
        "for Group B"
    )
    audit(dev, "portal: home with an installation", found)
    assert found == {}


def test_the_audit_does_report_a_violation(browser: Any) -> None:
    """The audit above is not vacuous: an unlabelled input on a page is reported."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content('<html lang="en"><title>t</title><main><h1>Form</h1><input></main></html>')
    found: dict[str, list[str]] = {}
    audit(page, "bad page", found)
    context.close()
    assert any(problem.startswith("label ") for problem in found["bad page"]), found


def test_api_docs_pass_axe(product: Product) -> None:
    """The API Wiki and Docs (/portal/docs, SPEC 13), with no login: as it opens, after a
    Copy with an example response open, and on a phone."""
    found: dict[str, list[str]] = {}
    page = product.new_page()
    page.goto("/portal/docs")
    expect(page.get_by_role("heading", name="API Wiki and Docs", level=1)).to_be_visible()
    copy = page.get_by_role("button", name="Copy GetCustomer example in curl")
    expect(copy).to_be_visible()
    audit(page, "api docs", found)
    copy.click()
    expect(page.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    page.locator("#op-GetCustomer").get_by_text("Example response").click()
    expect(page.get_by_test_id("response-GetCustomer")).to_be_visible()
    audit(page, "api docs: copied, a response open", found)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("heading", name="API Wiki and Docs", level=1)).to_be_visible()
    audit(page, "api docs on a phone", found)
    # The examples scroll in their own box: the page itself still fits the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert found == {}


def test_usage_screens_pass_axe(product: Product) -> None:
    """SPEC 15's screens: the usage chart and its numbers (admin and portal), the edit screen
    with the quota field (and its error), the list with "Not used since", and the audit
    export (and its error); on a laptop and a phone."""
    app = product.create_app("Measured App")
    use_app(product, app)
    found: dict[str, list[str]] = {}
    admin = product.new_page()
    log_in_as_admin(admin)
    busy = admin.get_by_role("row").filter(has_text="Measured App")
    expect(busy).to_contain_text("Last used")
    admin.get_by_label("Not used since").fill("2020-01-01")
    expect(admin.get_by_text("No integration applications match.")).to_be_visible()
    audit(admin, "list with not used since", found)
    admin.get_by_role("button", name="Clear filters").click()
    expect(busy).to_contain_text("Last used")
    audit(admin, "list with last used", found)
    admin.goto(f"/#/apps/{app['id']}/edit")
    usage = admin.get_by_role("region", name="Usage (last 30 days)")
    expect(usage.get_by_role("img")).to_be_visible()
    audit(admin, "edit: usage chart and quota", found)
    usage.get_by_text("Show the numbers", exact=True).click()
    expect(usage.get_by_role("table")).to_be_visible()
    audit(admin, "edit: usage numbers", found)
    admin.get_by_label("Calls per minute (quota)").fill("0")
    admin.get_by_role("button", name="Save changes").click()
    expect(admin.locator("[data-error-for=rate_limit_per_minute]")).to_be_visible()
    audit(admin, "edit: quota with an error", found)
    admin.set_viewport_size({"width": 390, "height": 844})
    expect(usage.get_by_role("table")).to_be_visible()
    audit(admin, "edit: usage on a phone", found)
    assert admin.evaluate("document.documentElement.scrollWidth") <= 390
    admin.set_viewport_size({"width": 1280, "height": 900})
    admin.get_by_role("link", name="Audit log").click()
    expect(admin.get_by_role("heading", name="Audit log")).to_be_visible()
    audit(admin, "audit export", found)
    admin.get_by_label("From", exact=True).fill("2030-01-02")
    admin.get_by_label("To", exact=True).fill("2030-01-01")
    admin.get_by_role("button", name="Download").click()
    expect(admin.locator("[data-error-for=to]")).to_be_visible()
    audit(admin, "audit export with an error", found)
    admin.set_viewport_size({"width": 390, "height": 844})
    audit(admin, "audit export on a phone", found)

    dev = product.new_page()
    dev.goto("/portal/")
    log_in_to_portal(dev)
    dev.get_by_role("link", name="Open Measured App").click()
    dev.get_by_role("tab", name="Usage").click()
    portal_usage = dev.get_by_role("region", name="Usage (last 30 days)")
    expect(portal_usage.get_by_role("img")).to_be_visible()
    audit(dev, "portal: usage chart", found)
    portal_usage.get_by_text("Show the numbers", exact=True).click()
    expect(portal_usage.get_by_role("table")).to_be_visible()
    audit(dev, "portal: usage numbers", found)
    dev.set_viewport_size({"width": 390, "height": 844})
    audit(dev, "portal: usage on a phone", found)
    assert dev.evaluate("document.documentElement.scrollWidth") <= 390
    assert found == {}


def test_webhook_screens_pass_axe(product: Product) -> None:
    """SPEC 15's webhooks: the list (empty and with one), the add form with the API's error
    beside the URL, the secret shown once, the edit form, Rotate's confirmation, and the
    deliveries with a payload open; on a laptop and a phone."""
    receiver = Receiver().start()
    try:
        found: dict[str, list[str]] = {}
        page = product.new_page()
        log_in_as_admin(page)
        expect(page.get_by_role("heading", name="Integration Applications")).to_be_visible()
        open_webhooks(page)
        expect(page.get_by_text("No webhooks yet.")).to_be_visible()
        audit(page, "webhooks: empty list", found)
        page.get_by_role("link", name="Add webhook").click()
        page.get_by_label("URL", exact=True).fill("https://10.0.0.1/x")
        page.get_by_label("app.created").check()
        page.get_by_role("button", name="Add webhook").click()
        expect(page.locator("[data-error-for=url]")).to_be_visible()
        audit(page, "webhooks: add form with an error", found)
        page.get_by_label("URL", exact=True).fill(receiver.url)
        page.get_by_role("button", name="Add webhook").click()
        expect(page.get_by_test_id("webhook-secret")).to_be_visible()
        audit(page, "webhooks: the secret, shown once", found)
        page.get_by_role("link", name="Done").click()
        row = page.get_by_role("row").filter(has_text=receiver.url)
        expect(row).to_be_visible()
        audit(page, "webhooks: list", found)
        row.get_by_role("button", name="Rotate secret").click()
        expect(page.get_by_role("dialog")).to_be_visible()
        audit(page, "webhooks: rotate confirmation", found)
        page.keyboard.press("Escape")
        row.get_by_role("link", name="Edit").click()
        expect(page.get_by_role("heading", name="Edit webhook")).to_be_visible()
        audit(page, "webhooks: edit", found)

        product.create_app("Announced App")
        delivery_id = receiver.wait_for(1)[0][0]["webhook-id"]
        open_webhooks(page)
        row.get_by_role("link", name="Deliveries").click()
        delivered = wait_for_status(page, delivery_id, "Delivered")
        delivered.get_by_text("Payload").click()
        expect(delivered.get_by_test_id("payload")).to_be_visible()
        audit(page, "webhooks: deliveries with a payload open", found)
        page.set_viewport_size({"width": 390, "height": 844})
        audit(page, "webhooks: deliveries on a phone", found)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        open_webhooks(page)
        expect(row).to_be_visible()
        audit(page, "webhooks: list on a phone", found)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert found == {}
    finally:
        receiver.stop()
