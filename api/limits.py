"""Throttling (flask-limiter), keyed by client address; RATELIMIT_ENABLED=false turns it off.

The limiter is configured per app by `init_app`; it holds no connection until then.
"""

from __future__ import annotations

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, headers_enabled=True)


def address_and_email() -> str:
    """Guessing one account's password is limited even when addresses rotate slowly."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return f"{get_remote_address()}|{str(email or '').strip().lower()[:254]}"
