"""An app as the portal shows it to its developer."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from api.applications.presenter import credentials, effective_status
from api.auth import current_actor
from api.services import services
from domain.catalog import PARTNER_INTEGRATION
from domain.errors import NotFoundError
from domain.status import Status
from projections.view import iso

STATES = {
    Status.PENDING_VERIFICATION: "OTP verification needed",
    Status.OTP_EXPIRED: "OTP verification needed: the OTP expired, ask your admin for a new one",
    Status.OTP_LOCKED: "OTP verification needed: the OTP is locked, ask your admin to reset it",
    Status.ACTIVE: "active",
    Status.SUSPENDED: (
        "suspended: the customer's plan no longer includes integrations; it works again, as"
        " it was, when they return to AIQ3"
    ),
    Status.REVOKED: "revoked: the application no longer works",
}
EXPIRY_BANNER_DAYS = 30
# The client id is the developer's to see once they verified the app (and after a revoke).
SHOWS_CLIENT_ID = frozenset({Status.ACTIVE, Status.REVOKED})


def owned_by_developer(app_id: UUID) -> dict[str, Any]:
    """The app's row if the calling developer is linked to it now; 404 otherwise."""
    row = services().app_list.get(str(app_id))
    if row is None or row["dev_email"] != current_actor().name:
        raise NotFoundError("application not found")
    return row


def portal_app(row: dict[str, Any]) -> dict[str, Any]:
    base = services().settings.base_url
    now = iso(services().clock.now()) or ""
    status = effective_status(row, now)
    entity_ids = json.loads(row["entity_ids"])
    secrets = credentials(row, now)
    return {
        "id": row["id"],
        "name": row["name"],
        "customer": _customer(row),
        "description": row["description"],
        "type": row["type"],
        "api_permission": row["api_permission"],
        "status": status.value,
        "state": STATES.get(status, status.value),
        "client_id": row["client_id"] if status in SHOWS_CLIENT_ID else None,
        "token_url": f"{base}/oauth/token",
        "wsdl_url": f"{base}/soap?wsdl",
        "docs": [
            {"title": "API documentation (OpenAPI)", "url": f"{base}/docs"},
            {"title": "SOAP API (WSDL)", "url": f"{base}/soap?wsdl"},
            {
                "title": "OAuth 2.0 server metadata",
                "url": f"{base}/.well-known/oauth-authorization-server",
            },
        ],
        "entity_ids": entity_ids,
        "entity_count": len(entity_ids),
        **secrets,
        "secret_expiry_warning": _expiry_warning(secrets["secret_expires_in_days"]),
        "client_keys": [
            {"kid": k["kid"], "alg": k["alg"], "kty": k["kty"]}
            for k in json.loads(row["client_keys"] or "[]")
        ],
    }


def _customer(row: dict[str, Any]) -> str | None:
    """For a partner's developer, whose installation this is (SPEC 12): the installing
    group; their own apps are their group's."""
    if row["type"] != PARTNER_INTEGRATION:
        return None
    group = services().directory.group(row["group_id"])
    return group["name"] if group else None


def _expiry_warning(days: int | None) -> str | None:
    """The portal's banner (SPEC 14), from 30 days before the secret expires."""
    if days is None or days > EXPIRY_BANNER_DAYS:
        return None
    if days == 0:
        return "Your client secret expires today: generate a new one now."
    return f"Your client secret expires in {days} day{'s' if days > 1 else ''}: generate a new one."
