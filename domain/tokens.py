"""OAuth 2.0 access tokens: signed JWTs (RFC 9068) that no event holds, and one small
aggregate per token, named by its `jti`, that records its issuance and its revocation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.naming import index_id

Actor = dict[str, Any]

# An ES256 JWT with our claims is about 600 characters (more with a long BASE_URL); the
# bound only keeps a caller from making the server parse megabytes before refusing them.
MAX_ACCESS_TOKEN_CHARS = 2048


@dataclass(frozen=True)
class AccessClaims:
    """What an access token says, once its signature has been checked."""

    jti: str
    app_id: UUID
    client_id: str
    issued_at: datetime
    expires_at: datetime
    # What the client authenticated with: the version of its secret (0 for a token from
    # before secrets had versions), or else the kid of its private_key_jwt key.
    secret_version: int | None = 0
    key_id: str | None = None


class InvalidAccessToken(Exception):
    """Not a token this server signed and still accepts: malformed, tampered with, signed
    by an unknown or retired key, or of the wrong type, issuer or audience. Deliberately
    says no more, to the caller or anyone else."""


class AccessToken(Aggregate):
    class Issued(Aggregate.Created):
        app_id: UUID
        client_id: str
        jti: str | None  # None: an opaque token from before signed tokens
        expires_at: datetime
        actor: Actor

        # Version 1 (opaque tokens) held the token's digest and no jti.
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.pop("token_digest", None)
            state["jti"] = None

    class Revoked(Aggregate.Event):
        app_id: UUID
        actor: Actor

    @staticmethod
    def create_id(jti: str) -> UUID:
        return index_id("access-token", jti)

    @event(Issued)
    def __init__(
        self, app_id: UUID, client_id: str, jti: str | None, expires_at: datetime, actor: Actor
    ) -> None:
        self.app_id = app_id
        self.client_id = client_id
        self.jti = jti
        self.expires_at = expires_at
        self.revoked = False

    @event(Revoked)
    def revoke(self, app_id: UUID, actor: Actor) -> None:
        self.revoked = True


class UsedAssertion(Aggregate):
    """A private_key_jwt client assertion's jti, used once (RFC 7523 3): recording a second
    one with the same id fails, in any process, so a replayed assertion is refused."""

    class Used(Aggregate.Created):
        client_id: str
        jti: str
        expires_at: datetime

    @staticmethod
    def create_id(client_id: str, jti: str) -> UUID:
        return index_id("client-assertion", f"{client_id}\n{jti}")

    @event(Used)
    def __init__(self, client_id: str, jti: str, expires_at: datetime) -> None:
        self.client_id = client_id
        self.jti = jti
        self.expires_at = expires_at
