"""Throttling (flask-limiter), keyed by client address; RATELIMIT_ENABLED=false turns it off.

The limiter is configured per app by `init_limits`; it holds no connection until then. The
counters live in RATELIMIT_STORAGE_URI: redis:// shares them between processes (memory://
counts per process, for one-process use).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from domain.naming import normalise_email

limiter = Limiter(key_func=get_remote_address, headers_enabled=True)

# Wrong passwords per account from any number of addresses: far above a person who mistypes
# (the per-address limit stops them first), far below guessing (480 a day at most).
ACCOUNT_GUESSES = "20 per hour"
# Each one e-mails the developer or replaces the OTP: an admin needs one or two.
PER_APP_RESENDS = "5 per hour"


class LimiterStorageError(RuntimeError):
    """The throttle storage cannot be used: the process must not start without it."""


def init_limits(app: Flask, storage_uri: str) -> None:
    """Configure the limiter for `app`; refuse to start if its storage is unusable.

    flask-limiter's in-memory fallback stays off (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED
    unset) and errors are not swallowed: a Redis outage answers 500s, never limits
    silently multiplied by the number of processes.
    """
    shown = _without_password(storage_uri)
    try:
        limiter.init_app(app)
        reachable = not limiter.enabled or limiter.storage.check()
    except Exception as error:  # the URI itself: unknown scheme, bad port, no client library
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise LimiterStorageError(
            f"RATELIMIT_STORAGE_URI={shown} is not usable: {reason}"
        ) from None
    if not reachable:
        raise LimiterStorageError(f"RATELIMIT_STORAGE_URI={shown} cannot be reached")


def _without_password(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    return uri.replace(f":{parts.password}@", ":***@", 1)


def _login_email() -> str:
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return normalise_email(str(email or ""))[:254]


def address_and_email() -> str:
    """Guessing one account's password is limited even when addresses rotate slowly."""
    return f"{get_remote_address()}|{_login_email()}"


def account_email() -> str:
    """One account's wrong passwords, whatever the address they come from."""
    return f"account|{_login_email()}"


def staff_email() -> str:
    """One staff account's wrong passwords (apart from any group user's of the same address)."""
    return f"staff|{_login_email()}"


def app_in_url() -> str:
    return f"app|{(request.view_args or {}).get('app_id')}"


def refused(response: Response) -> bool:
    """Only refused logins use up the per-account allowance."""
    return response.status_code == 401


def done(response: Response) -> bool:
    """Only e-mails actually sent and OTPs actually replaced count."""
    return response.status_code < 400
