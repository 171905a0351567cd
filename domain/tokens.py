"""OAuth 2.0 access tokens: one small aggregate each, found by the token's digest."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.naming import index_id

Actor = dict[str, Any]


class AccessToken(Aggregate):
    class Issued(Aggregate.Created):
        app_id: UUID
        client_id: str
        token_digest: str
        expires_at: datetime
        actor: Actor

    class Revoked(Aggregate.Event):
        app_id: UUID
        actor: Actor

    @staticmethod
    def create_id(token_digest: str) -> UUID:
        return index_id("access-token", token_digest)

    @event(Issued)
    def __init__(
        self, app_id: UUID, client_id: str, token_digest: str, expires_at: datetime, actor: Actor
    ) -> None:
        self.app_id = app_id
        self.client_id = client_id
        self.token_digest = token_digest
        self.expires_at = expires_at
        self.revoked = False

    @event(Revoked)
    def revoke(self, app_id: UUID, actor: Actor) -> None:
        self.revoked = True
