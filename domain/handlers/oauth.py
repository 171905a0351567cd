"""OAuth 2.0 client credentials: access tokens issued to an app, and their revocation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from domain.actor import Actor
from domain.apps import IntegrationApp
from domain.credentials import new_token_id
from domain.errors import ConcurrentChangeError
from domain.group_commit import GroupCommit
from domain.ports import Clock, TokenSigner
from domain.store import EventStore
from domain.tokens import AccessClaims, AccessToken, UsedAssertion

DEFAULT_TOKEN_TTL = timedelta(seconds=3600)


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    position: int


def client_actor(app: IntegrationApp) -> Actor:
    return Actor(type="client", id=app.client_id, name=app.client_id)


class OAuthHandler:
    def __init__(
        self,
        store: EventStore,
        clock: Clock,
        signer: TokenSigner,
        token_ttl: timedelta = DEFAULT_TOKEN_TTL,
    ) -> None:
        self.store = store
        self.clock = clock
        self.signer = signer
        self.token_ttl = token_ttl
        # Issuances of this process's threads at the same moment share one transaction.
        self.issuances = GroupCommit(store)

    def client_app(self, app_id: UUID) -> IntegrationApp | None:
        """The app behind a client id, if it may obtain tokens now (live state). Read-only:
        it may be shared with other requests (EventStore.current)."""
        app = self.store.current(app_id, IntegrationApp)
        if app is None or not app.may_obtain_tokens:
            return None
        return app

    def use_assertion(self, client_id: str, jti: str, expires_at: datetime) -> bool:
        """Records a client assertion's jti; False if it was used before (by any process)."""
        try:
            self.store.record(UsedAssertion(client_id, jti, expires_at))
        except ConcurrentChangeError:
            return False
        return True

    def issue_access_token(
        self, app: IntegrationApp, secret_version: int | None = None, key_id: str | None = None
    ) -> IssuedToken:
        """Signs a token for the app and records its issuance (the jti, never the token).

        Nobody need wait for a view after this: the token itself carries what an API call
        checks, and the app's access row exists since the app was created.
        """
        # Whole seconds: the JWT's exp is in seconds, and the record must say the same.
        issued_at = self.clock.now().replace(microsecond=0)
        claims = AccessClaims(
            jti=new_token_id(),
            app_id=app.id,
            client_id=app.client_id,
            issued_at=issued_at,
            expires_at=issued_at + self.token_ttl,
            secret_version=None if key_id else (secret_version or 0),
            key_id=key_id,
        )
        token = self.signer.sign(claims)
        record = AccessToken(
            app.id, app.client_id, claims.jti, claims.expires_at, client_actor(app).as_event_data()
        )
        position = self.issuances.record(record)
        return IssuedToken(token, int(self.token_ttl.total_seconds()), position)

    def find_access_token(self, jti: str) -> AccessToken | None:
        return self.store.find(AccessToken.create_id(jti), AccessToken)

    def revoke_access_token(self, app: IntegrationApp, token: AccessToken) -> int:
        """RFC 7009: revoking an unknown or already revoked token is not an error."""
        if token.revoked or token.app_id != app.id:
            return 0
        token.revoke(app.id, client_actor(app).as_event_data())
        return self.store.record(token)
