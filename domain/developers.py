"""Developer Portal accounts, and the e-mailed code that proves an address at sign-up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError, GoneError, ValidationError
from domain.naming import index_id

Actor = dict[str, Any]
SIGNUP_CODE_ATTEMPTS = 5
# Wrong codes for one invite over every code re-sent for it: asking for a new code would
# otherwise give 5 more guesses each time. Then only a new invite (Resend Invite) helps.
SIGNUP_INVITE_ATTEMPTS = 15


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
        invite_id: str = ""  # "" in events recorded before invites were counted

    class CodeReissued(Aggregate.Event):
        email: str
        challenge_id: str
        app_id: UUID
        expires_at: datetime
        actor: Actor
        invite_id: str = ""

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
        self,
        email: str,
        challenge_id: str,
        app_id: UUID,
        expires_at: datetime,
        actor: Actor,
        invite_id: str = "",
    ) -> None:
        self.email = email
        self.challenge_id = challenge_id
        self.app_id = app_id
        self.expires_at = expires_at
        self.invite_id = invite_id
        self.attempts = 0
        self.completed = False
        self.wrong_codes_per_invite: dict[str, int] = {}

    @event(CodeReissued)
    def reissue(
        self,
        email: str,
        challenge_id: str,
        app_id: UUID,
        expires_at: datetime,
        actor: Actor,
        invite_id: str = "",
    ) -> None:
        self.challenge_id, self.app_id, self.expires_at = challenge_id, app_id, expires_at
        self.invite_id = invite_id
        self.attempts = 0  # per code; the invite's total in wrong_codes_per_invite stays

    def try_code(self, matches: Callable[[str], bool], now: datetime, actor: Actor) -> bool:
        """One attempt at the e-mailed code: True if `matches` (checked against the
        challenge) accepts it; a wrong one is counted, for this code and for the invite."""
        self.refuse_exhausted_invite(self.invite_id)
        if self.attempts >= SIGNUP_CODE_ATTEMPTS:
            raise ConflictError("too many wrong codes; ask for a new code", "code")
        if now >= self.expires_at:
            raise GoneError("the code has expired; ask for a new one", "code")
        if matches(self.challenge_id):
            return True
        self.fail_attempt(self.attempts + 1, actor)
        return False

    def wrong_code_problem(self) -> ValidationError:
        """What the developer is told after a wrong code."""
        if self.invite_exhausted(self.invite_id):
            return ValidationError(
                "wrong code; too many wrong codes for this invite: ask your admin to resend it",
                "code",
            )
        left = SIGNUP_CODE_ATTEMPTS - self.attempts
        message = f"wrong code; {left} attempts left" if left else "wrong code; ask for a new code"
        return ValidationError(message, "code")

    @event(CodeAttemptFailed)
    def fail_attempt(self, attempts: int, actor: Actor) -> None:
        self.attempts = attempts
        wrong = self.wrong_codes_per_invite
        wrong[self.invite_id] = wrong.get(self.invite_id, 0) + 1

    def invite_exhausted(self, invite_id: str) -> bool:
        """True once this invite has had its total of wrong codes, across re-sent codes."""
        return self.wrong_codes_per_invite.get(invite_id, 0) >= SIGNUP_INVITE_ATTEMPTS

    def refuse_exhausted_invite(self, invite_id: str) -> None:
        if self.invite_exhausted(invite_id):
            raise GoneError(
                "too many wrong codes for this invite; ask your admin to resend the invite",
                "invite_token",
            )

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
