"""What `make run` gives a person: `integrations serve --demo` (gunicorn, SQLite), opened in a
browser at the printed address and logged into with the printed credentials."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_journeys import create_app_through_the_wizard
from tests.integration.test_cli import DemoServer


def test_the_demo_server_serves_the_ui_with_the_printed_credentials(
    browser: Any, tmp_path: Path
) -> None:
    server = DemoServer(f"sqlite:///{tmp_path / 'demo.sqlite3'}", tmp_path / "serve.log")
    try:
        server.wait_until_up()
        printed = re.search(r"admin screens: (\S+)", server.output())
        assert printed, server.output()[-3000:]
        email, password = server.credentials()
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base)
        errors: list[str] = []
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(printed.group(1))
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Integration Applications")).to_be_visible()
        expect(page.get_by_text("Signed in as Practice Admin (admin@demo.example)")).to_be_visible()
        otp = create_app_through_the_wizard(page, "Demo Sync", ["DEMO-UK"])
        page.get_by_role("button", name="Done").click()
        expect(page.get_by_role("row").filter(has_text="Demo Sync")).to_contain_text("DEMO-UK")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "demo-server-list.png"), full_page=True)
        # Without SMTP the invite is written under var/mail; the OTP never is.
        assert otp not in server.output()
        context.close()
        assert errors == []
        assert server.terminate() == 0
    finally:
        server.close()
