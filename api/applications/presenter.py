"""An app list row as the API shows it (SPEC 7), with the status the clock implies."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from config.settings import Settings
from domain.actor import Actor
from domain.errors import NotFoundError
from domain.status import Status, status_of
from projections.app_list import facts_of


def effective_status(row: dict[str, Any], now: str) -> Status:
    """The status at `now` (ISO 8601) from the row's facts, by the one rule (domain.status)."""
    return status_of(facts_of(row), datetime.fromisoformat(now))


def present_app(
    row: dict[str, Any],
    now: str,
    last_used_at: str | None = None,
    default_rate_limit: int = Settings.default_app_rate_limit,
) -> dict[str, Any]:
    """`last_used_at` is kept apart from the row (adapters/usage.py): the caller reads it,
    for many apps at once in a list."""
    developer = None
    if row["dev_email"]:
        developer = {
            "email": row["dev_email"],
            "signed_up": bool(row["dev_signed_up"]),
            "invite_expires_at": row["invite_expires_at"],
            "otp_verified": bool(row["otp_verified"]),
            "otp_expires_at": row["otp_expires_at"],
            "linked_at": row["linked_at"],
        }
    return {
        "id": row["id"],
        "type": row["type"],
        "preset": row["preset"],
        "name": row["name"],
        "description": row["description"],
        "category": row["category"],
        "api_permission": row["api_permission"],
        "entity_ids": json.loads(row["entity_ids"]),
        "status": effective_status(row, now).value,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "client_id": row["client_id"],
        "developer": developer,
        "listing_id": row["listing_id"],
        "partner": row["partner"],
        "rate_limit_per_minute": row["rate_limit"] or default_rate_limit,
        "last_used_at": last_used_at,
        **credentials(row, now),
    }


def credentials(row: dict[str, Any], now: str) -> dict[str, Any]:
    """What the app authenticates with, and its allowlist (SPEC 14)."""
    expires = row["secret_expires_at"]
    days = None
    if expires:
        left = datetime.fromisoformat(expires) - datetime.fromisoformat(now)
        days = max(0, left.days)
    keys = json.loads(row["client_keys"] or "[]")
    methods = []
    # A verified app got its first secret with the verification; only ending takes it away.
    if (expires or row["otp_verified"]) and not row["secret_ended"]:
        methods.append("client_secret")
    if keys:
        methods.append("private_key_jwt")
    return {
        "allowed_ips": json.loads(row["allowed_ips"] or "[]"),
        "secret_expires_at": expires,
        "secret_expires_in_days": days,
        "auth_methods": methods,
    }


def owned_row(row: dict[str, Any] | None, actor: Actor) -> dict[str, Any]:
    """The row if it belongs to the actor's group; anything else does not exist (404)."""
    if row is None or row["group_id"] != str(actor.group_id):
        raise NotFoundError("integration application not found")
    return row
