"""Browser tests: Debian's Chromium, headless, driven by Playwright, against the real app.

Each test gets the whole product on a loopback port (API, portal, OAuth, SOAP and the
workers in-process), a real SMTP server, and a fresh browser context. Screenshots of the main
screens are saved under tests/artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from composition.root import Services, build_services
from entrypoints.cli import bootstrap_group
from tests.conftest import LiveServer
from tests.e2e.client import PASSWORD, AdminApi
from tests.mailbox import Mailbox, body, free_port
from tests.support import FakeClock

SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
ADMIN = "admin@a.example"
DEVELOPER = "dev@example.com"
# Without the background-networking flags Chromium keeps dialling Google on a closed network.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Twelve entities, so the portal's Entities Assigned tab has a second page (10 a page).
ENTITIES = [(f"E{n:02}", f"Entity {n:02} Ltd") for n in range(1, 13)]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the run; CI (REQUIRE_BROWSER=1) fails if it is missing."""
    executable = chromium_path()
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        executable = None
    else:
        # A loaded 2-core CI machine answers slower than a laptop; waiting is bounded anyway.
        expect.set_options(timeout=15_000)
    if executable is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Chromium and Playwright are required (apt-get install chromium)")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@dataclass
class Product:
    """The running product as a browser test sees it."""

    url: str
    services: Services
    mailbox: Mailbox
    ids: dict[str, Any]
    admin_api: AdminApi
    backend: str
    new_page: Callable[..., Any]
    pages: list[Any] = field(default_factory=list)

    @property
    def entity_ids(self) -> list[str]:
        return [self.ids["entities"][code] for code, _ in ENTITIES]

    def create_app(self, name: str, **overrides: Any) -> dict[str, Any]:
        """A new_integration app made through the admin API (the UI path has its own tests)."""
        fields = {
            "type": "new_integration",
            "name": name,
            "description": "Syncs invoices",
            "category": "accounting",
            "developer_email": DEVELOPER,
            "api_permission": "read",
            "entity_ids": self.entity_ids[:1],
            **overrides,
        }
        response = self.admin_api.create_app(**fields)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def screenshot(self, page: Any, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}-{self.backend}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def link_in_mail(self, address: str, count: int = 1) -> str:
        """The newest invite link sent to `address`, once `count` mails have arrived there."""
        return self._newest(address, count, r"(http://\S+/portal/signup#invite=\S+)")

    def code_in_mail(self, address: str, count: int) -> str:
        """The newest sign-up code sent to `address`, once `count` mails have arrived there."""
        return self._newest(address, count, r"verification code is (\d{6})")

    def _newest(self, address: str, count: int, pattern: str) -> str:
        messages = self.mailbox.wait_for(address, count, timeout=30)
        for message in reversed(messages):
            match = re.search(pattern, body(message))
            if match:
                return match.group(1)
        raise AssertionError(f"no mail to {address} matches {pattern}")


@pytest.fixture
def product(
    request: pytest.FixtureRequest,
    make_settings: Any,
    clock: FakeClock,
    browser: Any,
) -> Iterator[Product]:
    mailbox = Mailbox().start()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # BASE_URL is the live address, so the e-mailed invite link opens in the browser as is.
    settings = make_settings(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(mailbox.port),
        BASE_URL=url,
        TEAM_EMAIL="team@aiq.example",
        # The webhook screens' tests deliver to a receiver on loopback (plain http); https to
        # private addresses is still refused.
        WEBHOOK_ALLOW_LOOPBACK="true",
    )
    services = build_services(settings, clock=clock)
    services.start_workers()
    server = LiveServer(create_app(services), port=port)
    ids = bootstrap_group(services, "Group A", ENTITIES, ADMIN, PASSWORD)
    contexts: list[Any] = []
    page_errors: list[str] = []

    def new_page(viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(
            base_url=url,
            viewport=viewport or {"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        return page

    backend = "postgres" if settings.database_url.startswith("postgres") else "sqlite"
    found = Product(
        url=url,
        services=services,
        mailbox=mailbox,
        ids=ids,
        admin_api=AdminApi(url).login(ADMIN),
        backend=backend,
        new_page=new_page,
    )
    yield found
    for context in contexts:
        context.close()
    server.stop()
    services.close()
    mailbox.stop()
    # A script error on any page is a defect even when the assertions passed.
    assert not page_errors, page_errors


def log_in_as_admin(
    page: Any, email: str = ADMIN, password: str = PASSWORD, navigate: bool = True
) -> None:
    if navigate:
        page.goto("/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
