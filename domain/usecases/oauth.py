"""OAuth 2.0 client credentials: access tokens issued to an app, and their revocation."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from domain.actor import Actor
from domain.apps import IntegrationApp
from domain.credentials import token_digest
from domain.errors import NotFoundError
from domain.naming import index_id
from domain.tokens import AccessToken
from domain.usecases.base import UseCases

DEFAULT_TOKEN_TTL = timedelta(seconds=3600)


def client_actor(app: IntegrationApp) -> Actor:
    return Actor(type="client", id=app.client_id, name=app.client_id)


class OAuthUseCases(UseCases):
    token_ttl: timedelta = DEFAULT_TOKEN_TTL

    def client_app(self, app_id: UUID) -> IntegrationApp | None:
        """The app behind a client id, if it may obtain tokens now (live state)."""
        try:
            app = self._get(app_id, IntegrationApp)
        except NotFoundError:
            return None
        if app.revoked or app.secret_digest is None:
            return None
        return app

    def record_access_token(self, app: IntegrationApp, token: str) -> int:
        """Records a token the OAuth server issued (its digest only); returns its lifetime."""
        expires_at = self.clock.now() + self.token_ttl
        self.save(
            AccessToken(
                app.id,
                app.client_id,
                token_digest(token),
                expires_at,
                client_actor(app).as_event_data(),
            )
        )
        return int(self.token_ttl.total_seconds())

    def find_access_token(self, token: str) -> AccessToken | None:
        token_id = index_id("access-token", token_digest(token))
        if token_id not in self.repository:
            return None
        return self._get(token_id, AccessToken)

    def revoke_access_token(self, app: IntegrationApp, token: AccessToken) -> None:
        """RFC 7009: revoking an unknown or already revoked token is not an error."""
        if token.revoked or token.app_id != app.id:
            return
        token.revoke(app.id, client_actor(app).as_event_data())
        self.save(token)
