"""Developer Portal accounts, and the e-mailed code that proves an address at sign-up."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.naming import index_id

Actor = dict[str, Any]
SIGNUP_CODE_ATTEMPTS = 5


class DeveloperAccount(Aggregate):
    """One per e-mail address, across all groups: a developer may serve several customers."""

    class Registered(Aggregate.Created):
        email: str
        full_name: str
        password_hash: str
        actor: Actor

    class SessionStarted(Aggregate.Event):
        token_digest: str
        expires_at: datetime
        actor: Actor

    class SessionEnded(Aggregate.Event):
        token_digest: str
        actor: Actor

    @staticmethod
    def create_id(email: str) -> UUID:
        return index_id("developer-account", email)

    @event(Registered)
    def __init__(self, email: str, full_name: str, password_hash: str, actor: Actor) -> None:
        self.email = email
        self.full_name = full_name
        self.password_hash = password_hash

    @event(SessionStarted)
    def start_session(self, token_digest: str, expires_at: datetime, actor: Actor) -> None:
        pass

    @event(SessionEnded)
    def end_session(self, token_digest: str, actor: Actor) -> None:
        pass


class Signup(Aggregate):
    """The sign-up code challenge for one e-mail address; the code itself is never stored.

    The code is derived from `challenge_id` with the server's key (see credentials.py), so the
    mailer can write it into the e-mail while no event holds it.
    """

    class Started(Aggregate.Created):
        email: str
        challenge_id: str
        app_id: UUID
        expires_at: datetime
        actor: Actor

    class CodeReissued(Aggregate.Event):
        email: str
        challenge_id: str
        app_id: UUID
        expires_at: datetime
        actor: Actor

    class CodeAttemptFailed(Aggregate.Event):
        attempts: int
        actor: Actor

    class Completed(Aggregate.Event):
        actor: Actor

    @staticmethod
    def create_id(email: str) -> UUID:
        return index_id("signup", email)

    @event(Started)
    def __init__(
        self, email: str, challenge_id: str, app_id: UUID, expires_at: datetime, actor: Actor
    ) -> None:
        self.email = email
        self.challenge_id = challenge_id
        self.app_id = app_id
        self.expires_at = expires_at
        self.attempts = 0
        self.completed = False

    @event(CodeReissued)
    def reissue(
        self, email: str, challenge_id: str, app_id: UUID, expires_at: datetime, actor: Actor
    ) -> None:
        self.challenge_id, self.app_id, self.expires_at = challenge_id, app_id, expires_at
        self.attempts = 0

    @event(CodeAttemptFailed)
    def fail_attempt(self, attempts: int, actor: Actor) -> None:
        self.attempts = attempts

    @event(Completed)
    def complete(self, actor: Actor) -> None:
        self.completed = True


class InviteRef(Aggregate):
    """Finds the app an invite was issued for, from the invite id inside the token."""

    class Issued(Aggregate.Created):
        invite_id: str
        app_id: UUID

    @staticmethod
    def create_id(invite_id: str) -> UUID:
        return index_id("invite", invite_id)

    @event(Issued)
    def __init__(self, invite_id: str, app_id: UUID) -> None:
        self.invite_id = invite_id
        self.app_id = app_id
