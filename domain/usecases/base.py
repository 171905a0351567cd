"""What every group of use cases relies on: the application's repository, clock and ports."""

from __future__ import annotations

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
from domain.ports import Clock, OtpGenerator, PasswordHasher

A = TypeVar("A", bound=Aggregate)


class UseCases(Application[UUID]):
    """Typed access to the collaborators the composition root gives the application."""

    clock: Clock
    passwords: PasswordHasher
    new_otp: OtpGenerator
    invites: InviteTokens
    signup_codes: SignupCodes
    otps: OtpDigests

    def _get(self, aggregate_id: UUID, kind: type[A]) -> A:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(f"{kind.__name__} not found") from None
        if not isinstance(aggregate, kind):
            raise NotFoundError(f"{kind.__name__} not found")
        return aggregate

    def _group_of(self, actor: Actor) -> Group:
        if actor.group_id is None:
            raise NotFoundError("group not found")
        return self._get(actor.group_id, Group)

    def _app_for(self, actor: Actor, app_id: UUID) -> IntegrationApp:
        """The app if the actor's group owns it; 404 for anything else."""
        app = self._get(app_id, IntegrationApp)
        actor.require_group(app.group_id)
        return app

    @staticmethod
    def _position(recordings: list[Any]) -> int:
        return int(recordings[-1].notification.id) if recordings else 0


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
