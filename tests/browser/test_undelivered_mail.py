"""An invite the mail server refuses: the admin sees why on Manage Developer Portal Access."""

from __future__ import annotations

import time

from tests.browser.conftest import Product, log_in_as_admin
from tests.browser.test_app_actions import open_action

GONE = "gone@example.com"


def test_a_refused_invite_is_shown_and_resend_invite_delivers(product: Product) -> None:
    from playwright.sync_api import expect

    product.mailbox.refusals[GONE] = "550 5.1.1 no such user"
    app = product.create_app("Bounced Feed", developer_email=GONE)
    _wait_until_set_aside(product, app["id"])
    page = product.new_page()
    log_in_as_admin(page)
    open_action(page, "Bounced Feed", "Manage Developer Portal Access")
    notice = page.locator(".notice-warn").filter(has_text="could not be delivered")
    expect(notice).to_contain_text(f"The last invite to {GONE} could not be delivered")
    expect(notice).to_contain_text("550 5.1.1 no such user")
    expect(notice).to_contain_text("Resend Invite")
    product.screenshot(page, "admin-developer-access-undelivered")

    del product.mailbox.refusals[GONE]  # the address works now
    page.get_by_role("button", name="Resend Invite").click()
    expect(page.get_by_role("status").filter(has_text="new invite")).to_be_visible()
    expect(notice).to_have_count(0)
    assert "/portal/signup#invite=" in product.link_in_mail(GONE)


def _wait_until_set_aside(product: Product, app_id: str) -> None:
    """The running worker sets the refused invite aside at once; bounded, not timed."""
    deadline = time.monotonic() + 30
    while product.admin_api.developer(app_id).json().get("delivery_problem") is None:
        assert time.monotonic() < deadline, "the refused invite was never set aside"
        time.sleep(0.05)
