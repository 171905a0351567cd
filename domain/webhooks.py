"""Webhook endpoints (SPEC 15): where a group's events are POSTed, and which.

No event holds the signing secret: it is derived from SECRET_KEY and the endpoint's random
`secret_nonce` when a delivery is signed (the way invite tokens are, domain.credentials), and
shown once when the endpoint is made or its secret rotated.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError, ValidationError

Actor = dict[str, Any]

# What an endpoint may subscribe to ("*": everything), and the domain events each stands for
# (projections/webhooks.py maps them).
EVENT_TYPES = (
    "app.created",
    "app.updated",
    "app.revoked",
    "app.suspended",
    "app.restored",
    "developer.linked",
    "developer.removed",
    "app.verified",
    "credentials.issued",
    "credentials.ended",
    "credentials.expiring",
    "token.issued",
    "call.denied",
    "user.created",
    "group.plan_changed",
)
ALL_EVENTS = "*"
MAX_ENDPOINTS = 20
MAX_DESCRIPTION = 500
SECRET_PREFIX = "whsec_"


def check_events(events: object) -> list[str]:
    if not isinstance(events, list) or not events:
        raise ValidationError('events must list at least one event type, or ["*"]', "events")
    unknown = [e for e in events if e != ALL_EVENTS and e not in EVENT_TYPES]
    if unknown:
        raise ValidationError(
            f"unknown event types: {', '.join(map(str, unknown))[:200]};"
            f" use * or {', '.join(EVENT_TYPES)}",
            "events",
        )
    return sorted(set(events))


class WebhookSecrets:
    """Signing secrets that are never stored: HMAC(SECRET_KEY, endpoint id + nonce)."""

    def __init__(self, secret_key: str) -> None:
        self._key = secret_key.encode()

    @staticmethod
    def new_nonce() -> str:
        return secrets.token_hex(16)

    def secret_for(self, webhook_id: UUID, nonce: str) -> str:
        raw = hmac.new(self._key, f"webhook:{webhook_id}:{nonce}".encode(), hashlib.sha256)
        return SECRET_PREFIX + base64.b64encode(raw.digest()).decode()


class Webhook(Aggregate):
    class Created(Aggregate.Created):
        group_id: UUID
        url: str
        events: list[str]
        description: str
        secret_nonce: str  # not the secret: it takes SECRET_KEY to derive one from it
        actor: Actor

    class Changed(Aggregate.Event):
        url: str
        events: list[str]
        description: str
        active: bool
        actor: Actor

    class SecretRotated(Aggregate.Event):
        secret_nonce: str
        actor: Actor

    class Deleted(Aggregate.Event):
        actor: Actor

    @event(Created)
    def __init__(
        self,
        group_id: UUID,
        url: str,
        events: list[str],
        description: str,
        secret_nonce: str,
        actor: Actor,
    ) -> None:
        self.group_id = group_id
        self.url = url
        self.events = list(events)
        self.description = description
        self.secret_nonce = secret_nonce
        self.active = True
        self.deleted = False

    def require_live(self) -> None:
        if self.deleted:
            raise ConflictError("the webhook was deleted")

    def change(
        self, url: str, events: list[str], description: str, active: bool, actor: Actor
    ) -> bool:
        self.require_live()
        now = (self.url, self.events, self.description, self.active)
        if now == (url, events, description, active):
            return False
        self._change(url, events, description, active, actor)
        return True

    @event(Changed)
    def _change(
        self, url: str, events: list[str], description: str, active: bool, actor: Actor
    ) -> None:
        self.url, self.events, self.description, self.active = (
            url,
            list(events),
            description,
            active,
        )

    def rotate_secret(self, nonce: str, actor: Actor) -> None:
        self.require_live()
        self._rotate_secret(nonce, actor)

    @event(SecretRotated)
    def _rotate_secret(self, secret_nonce: str, actor: Actor) -> None:
        self.secret_nonce = secret_nonce

    def delete(self, actor: Actor) -> None:
        self.require_live()
        self._delete(actor)

    @event(Deleted)
    def _delete(self, actor: Actor) -> None:
        self.deleted = True
