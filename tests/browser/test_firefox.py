"""The main screens in Firefox too: Debian's firefox-esr driven over WebDriver BiDi by
puppeteer-core (tests/browser/firefox/journey.mjs; Playwright's BiDi client needs a newer
Firefox than the ESR). One backend is enough here: the screens do not know which one runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import ADMIN, DEVELOPER, SCREENSHOTS, Product
from tests.browser.test_sessions_and_roles import DEV_PASSWORD, sign_up_developer
from tests.e2e.client import PASSWORD
from tests.e2e.portal_client import OAuthClient

CHECK = Path(__file__).parent / "firefox"


def firefox_tools() -> tuple[str, str]:
    """Firefox and Node with puppeteer-core installed (`make test` runs `npm ci` for it)."""
    firefox = (
        os.environ.get("FIREFOX_PATH") or shutil.which("firefox-esr") or shutil.which("firefox")
    )
    node = shutil.which("node")
    installed = (CHECK / "node_modules" / "puppeteer-core" / "package.json").is_file()
    missing = [
        what
        for what, ok in [("firefox-esr", firefox), ("node", node), ("npm ci", installed)]
        if not ok
    ]
    if missing:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"the Firefox check needs {', '.join(missing)}")
        pytest.skip(f"the Firefox check needs {', '.join(missing)}")
    assert firefox and node
    return firefox, node


class TestFirefox:
    backend = "sqlite"

    def test_admin_and_developer_screens_work_in_firefox(self, product: Product) -> None:
        firefox, node = firefox_tools()
        linked = product.create_app("Portal In Firefox", entity_ids=product.entity_ids)
        sign_up_developer(product)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        run = subprocess.run(
            [node, str(CHECK / "journey.mjs")],
            env={
                **os.environ,
                "BASE_URL": product.url,
                "FIREFOX": firefox,
                "SCREENSHOTS": str(SCREENSHOTS),
                "ADMIN_EMAIL": ADMIN,
                "ADMIN_PASSWORD": PASSWORD,
                "APP_NAME": "Made In Firefox",
                "DEV_EMAIL": DEVELOPER,
                "DEV_PASSWORD": DEV_PASSWORD,
                "DEV_APP_NAME": "Portal In Firefox",
                "DEV_OTP": linked["otp"],
            },
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        outcome = json.loads(run.stdout.strip().splitlines()[-1])
        assert outcome["version"].startswith("firefox/")

        # What Firefox did is what the API now tells: the app it created, still live after
        # "No" in the Revoke dialog, and the portal app verified, its secret working.
        [made] = product.admin_api.list_apps(name="Made In Firefox").json()
        assert made["status"] == "pending_verification"
        assert made["developer"]["email"] == "firefox-dev@example.com"
        assert product.admin_api.app(linked["id"]).json()["status"] == "active"
        token = OAuthClient(product.url, linked["client_id"], outcome["secret"]).token_basic()
        assert token.status_code == 200, token.text
