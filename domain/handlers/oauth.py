"""OAuth 2.0 client credentials: access tokens issued to an app, and their revocation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from domain.actor import Actor
from domain.apps import IntegrationApp
from domain.credentials import token_digest
from domain.naming import index_id
from domain.ports import Clock
from domain.store import EventStore
from domain.tokens import AccessToken

DEFAULT_TOKEN_TTL = timedelta(seconds=3600)


@dataclass(frozen=True)
class IssuedToken:
    expires_in: int
    position: int


def client_actor(app: IntegrationApp) -> Actor:
    return Actor(type="client", id=app.client_id, name=app.client_id)


class OAuthHandler:
    def __init__(
        self, store: EventStore, clock: Clock, token_ttl: timedelta = DEFAULT_TOKEN_TTL
    ) -> None:
        self.store = store
        self.clock = clock
        self.token_ttl = token_ttl

    def client_app(self, app_id: UUID) -> IntegrationApp | None:
        """The app behind a client id, if it may obtain tokens now (live state)."""
        app = self.store.find(app_id, IntegrationApp)
        if app is None or app.revoked or app.secret_digest is None:
            return None
        return app

    def record_access_token(self, app: IntegrationApp, token: str) -> IssuedToken:
        """Records a token the OAuth server issued (its digest only)."""
        expires_at = self.clock.now() + self.token_ttl
        token_record = AccessToken(
            app.id,
            app.client_id,
            token_digest(token),
            expires_at,
            client_actor(app).as_event_data(),
        )
        return IssuedToken(int(self.token_ttl.total_seconds()), self.store.record(token_record))

    def find_access_token(self, token: str) -> AccessToken | None:
        return self.store.find(index_id("access-token", token_digest(token)), AccessToken)

    def revoke_access_token(self, app: IntegrationApp, token: AccessToken) -> int:
        """RFC 7009: revoking an unknown or already revoked token is not an error."""
        if token.revoked or token.app_id != app.id:
            return 0
        token.revoke(app.id, client_actor(app).as_event_data())
        return self.store.record(token)
