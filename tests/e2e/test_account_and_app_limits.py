"""Limits that hold whatever the address: wrong passwords per account, resends per app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import count
from typing import Any

import pytest
import requests

from tests.e2e.client import PASSWORD, AdminApi
from tests.e2e.test_portal_edges import (  # noqa: F401
    DEV,
    DEV_PASSWORD,
    Live,
    assert_error,
    mailbox,
    other_than,
    serve_group_a,
)
from tests.mailbox import Mailbox
from tests.support import FakeClock

ACCOUNT_GUESSES = 20  # api/limits.py: "20 per hour" wrong passwords per account
PER_APP_RESENDS = 5  # api/limits.py: "5 per hour" per application
_addresses = count(1)


def new_address() -> str:
    """A client address not used before, so no per-address limit is ever reached."""
    n = next(_addresses)
    return f"198.51.{n // 250}.{n % 250 + 1}"


@pytest.fixture
def proxied(
    make_settings: Callable[..., Any],
    clock: FakeClock,
    mailbox: Mailbox,  # noqa: F811
) -> Iterator[Live]:
    """Behind one trusted proxy: the client address comes from X-Forwarded-For."""
    settings = make_settings(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(mailbox.port),
        TRUSTED_PROXIES="1",
        RATELIMIT_ENABLED="true",
    )
    yield from serve_group_a(settings, clock, mailbox, [("A1", "Alpha Ltd")])


def login_from_anywhere(url: str, email: str, password: str) -> requests.Response:
    return requests.post(
        url,
        json={"email": email, "password": password},
        headers={"X-Forwarded-For": new_address()},
        timeout=30,
    )


def assert_account_locks(url: str, email: str, password: str, other_email: str) -> None:
    # Correct passwords use none of the allowance, from however many addresses.
    for _ in range(ACCOUNT_GUESSES + 1):
        assert login_from_anywhere(url, email, password).status_code == 201
    # Wrong ones, each from a new address (so the per-address limits never apply).
    wrong = [
        login_from_anywhere(url, f" {email.upper()} ", f"wrong password {n}")
        for n in range(ACCOUNT_GUESSES + 1)
    ]
    assert [r.status_code for r in wrong] == [401] * ACCOUNT_GUESSES + [429]
    assert_error(wrong[-1], 429)
    assert int(wrong[-1].headers["Retry-After"]) > 0
    # While locked, the real user's correct password is refused too: the trade-off chosen.
    locked = login_from_anywhere(url, email, password)
    assert_error(locked, 429)
    assert int(locked.headers["Retry-After"]) > 0
    # Other accounts are not affected.
    assert login_from_anywhere(url, other_email, "wrong password").status_code == 401


def test_wrong_admin_passwords_from_rotating_addresses_lock_the_account(proxied: Live) -> None:
    url = f"{proxied.base}/api/v1/session"
    assert_account_locks(url, "admin@a.example", PASSWORD, "someone@a.example")


def test_wrong_portal_passwords_from_rotating_addresses_lock_the_account(proxied: Live) -> None:
    proxied.create()
    proxied.sign_up()  # from 127.0.0.1, which is then the proxy's (untrusted) address
    url = f"{proxied.base}/portal/v1/session"
    assert_account_locks(url, DEV, DEV_PASSWORD, "someone@example.com")


def test_resend_invite_and_reset_otp_are_limited_per_application(proxied: Live) -> None:
    first, second = proxied.create(), proxied.create()
    admin = proxied.admin
    for action in (admin.resend_invite, admin.reset_otp):
        answers = [action(first["id"]) for _ in range(PER_APP_RESENDS + 1)]
        assert [a.status_code for a in answers] == [200] * PER_APP_RESENDS + [429]
        assert_error(answers[-1], 429)
        assert int(answers[-1].headers["Retry-After"]) > 0
        # Another application is not affected, nor is another admin session spared.
        assert action(second["id"]).status_code == 200
        other_session = AdminApi(proxied.base).login("admin@a.example")
        assert_error(getattr(other_session, action.__name__)(first["id"]), 429)


def test_refused_resends_do_not_use_up_the_allowance(proxied: Live) -> None:
    app = proxied.create()
    stranger = AdminApi(proxied.base)  # not logged in: 401, counted for nothing
    for _ in range(PER_APP_RESENDS + 1):
        assert stranger.resend_invite(app["id"]).status_code == 401
    assert proxied.admin.resend_invite(app["id"]).status_code == 200


def test_an_invite_takes_15_wrong_codes_in_all_then_only_a_resent_invite_helps(
    proxied: Live,
) -> None:
    app = proxied.create()
    token = proxied.invite()
    dev = proxied.portal()
    for _ in range(3):  # asking for a new code allows 5 more wrong ones, but not forever
        assert dev.start_signup(token).status_code == 202
        code = proxied.code()
        for _ in range(5):
            assert_error(dev.complete_signup(token, other_than(code)), 422, "code", "wrong code")
    assert_error(dev.start_signup(token), 410, "invite_token", "resend the invite")
    assert_error(dev.complete_signup(token, code), 410, "invite_token", "resend the invite")

    assert proxied.admin.resend_invite(app["id"]).status_code == 200
    proxied.sign_up(DEV, proxied.invite())
