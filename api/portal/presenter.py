"""An app as the portal shows it to its developer."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from api.applications.presenter import effective_status
from api.auth import current_actor
from api.services import services
from domain.errors import NotFoundError
from domain.status import Status
from projections.view import iso

STATES = {
    Status.PENDING_VERIFICATION: "OTP verification needed",
    Status.OTP_EXPIRED: "OTP verification needed: the OTP expired, ask your admin for a new one",
    Status.OTP_LOCKED: "OTP verification needed: the OTP is locked, ask your admin to reset it",
    Status.ACTIVE: "active",
    Status.REVOKED: "revoked: the application no longer works",
}
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
    status = effective_status(row, iso(services().clock.now()) or "")
    entity_ids = json.loads(row["entity_ids"])
    return {
        "id": row["id"],
        "name": row["name"],
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
    }
