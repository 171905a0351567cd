"""What every group of use cases relies on: the application's repository, clock and ports."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.apps import IntegrationApp
from domain.credentials import InviteTokens, OtpDigests, SignupCodes
from domain.errors import ConcurrentChangeError, NotFoundError
from domain.groups import Group
from domain.ports import Clock, OtpGenerator, PasswordHasher, PasswordStrength

A = TypeVar("A", bound=Aggregate)


class UseCases(Application[UUID]):
    """Typed access to the collaborators the composition root gives the application."""

    clock: Clock
    passwords: PasswordHasher
    password_strength: PasswordStrength
    new_otp: OtpGenerator
    invites: InviteTokens
    signup_codes: SignupCodes
    otps: OtpDigests

    _dummy_password_hash: str | None = None

    def _password_matches(self, stored_hash: str | None, password: str) -> bool:
        """Exactly one verify, whether or not the account exists (`stored_hash` None).

        An unknown e-mail is checked against a dummy hash made once by the same hasher, so
        refusing it costs what refusing a wrong password costs: timing names no account.
        """
        if stored_hash is None:
            if self._dummy_password_hash is None:
                self._dummy_password_hash = self.passwords.hash(secrets.token_urlsafe(16))
            self.passwords.verify(self._dummy_password_hash, password)
            return False
        return self.passwords.verify(stored_hash, password)

    def _get(self, aggregate_id: UUID, kind: type[A]) -> A:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise _not_found(kind) from None
        if not isinstance(aggregate, kind):
            raise _not_found(kind)
        return aggregate

    def _owned(self, actor: Actor, aggregate_id: UUID, kind: type[A]) -> A:
        """The aggregate if it belongs to the actor's group. Another group's answers exactly as
        an unknown id does, to the byte (SPEC 2): 404 says nothing about what exists."""
        aggregate = self._get(aggregate_id, kind)
        try:
            actor.require_group(aggregate.group_id)  # type: ignore[attr-defined]
        except NotFoundError:
            raise _not_found(kind) from None
        return aggregate

    def _group_of(self, actor: Actor) -> Group:
        if actor.group_id is None:
            raise NotFoundError("group not found")
        return self._get(actor.group_id, Group)

    def _app_for(self, actor: Actor, app_id: UUID) -> IntegrationApp:
        """The app if the actor's group owns it; 404 for anything else."""
        return self._owned(actor, app_id, IntegrationApp)

    @staticmethod
    def _position(recordings: list[Any]) -> int:
        return int(recordings[-1].notification.id) if recordings else 0


def _not_found(kind: type[Aggregate]) -> NotFoundError:
    noun = "integration application" if kind is IntegrationApp else kind.__name__.lower()
    return NotFoundError(f"{noun} not found")


F = TypeVar("F", bound=Callable[..., Any])


def retried_on_conflict(attempts: int = 5) -> Callable[[F], F]:
    """For commands that are safe to repeat: a lost race is retried on fresh state.

    Logins, for instance, append to the user's aggregate; two at once must both succeed.
    """

    def decorate(command: F) -> F:
        @wraps(command)
        def retrying(*args: Any, **kwargs: Any) -> Any:
            for attempt in range(attempts):
                try:
                    return command(*args, **kwargs)
                except ConcurrentChangeError:
                    if attempt == attempts - 1:
                        raise
            raise AssertionError("unreachable")

        return retrying  # type: ignore[return-value]

    return decorate
