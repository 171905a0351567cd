"""Users of a group: roles, the permission to manage apps, and their login sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.actor import MANAGE_APPS
from domain.errors import ConflictError
from domain.naming import index_id

PERMISSIONS = (MANAGE_APPS,)


Actor = dict[str, Any]


class User(Aggregate):
    class Registered(Aggregate.Created):
        group_id: UUID
        email: str
        full_name: str
        role: str
        password_hash: str
        permissions: list[str]
        actor: Actor

    class RoleChanged(Aggregate.Event):
        role: str
        actor: Actor

    class PermissionGranted(Aggregate.Event):
        permission: str
        actor: Actor

    class PermissionRemoved(Aggregate.Event):
        permission: str
        actor: Actor

    class Renamed(Aggregate.Event):
        full_name: str
        actor: Actor

    class SessionStarted(Aggregate.Event):
        token_digest: str
        expires_at: datetime
        actor: Actor

    class SessionEnded(Aggregate.Event):
        token_digest: str
        actor: Actor

    @event(Registered)
    def __init__(
        self,
        group_id: UUID,
        email: str,
        full_name: str,
        role: str,
        password_hash: str,
        permissions: list[str],
        actor: dict[str, Any],
    ) -> None:
        self.group_id = group_id
        self.email = email
        self.full_name = full_name
        self.role = role
        self.password_hash = password_hash
        self.permissions = sorted(set(permissions))
        self.sessions: dict[str, datetime] = {}

    @event(RoleChanged)
    def change_role(self, role: str, actor: dict[str, Any]) -> None:
        self.role = role

    @event(PermissionGranted)
    def grant(self, permission: str, actor: dict[str, Any]) -> None:
        self.permissions = sorted({*self.permissions, permission})

    @event(PermissionRemoved)
    def remove(self, permission: str, actor: dict[str, Any]) -> None:
        self.permissions = [p for p in self.permissions if p != permission]

    @event(Renamed)
    def rename(self, full_name: str, actor: dict[str, Any]) -> None:
        self.full_name = full_name

    @event(SessionStarted)
    def start_session(self, token_digest: str, expires_at: datetime, actor: dict[str, Any]) -> None:
        self.sessions[token_digest] = expires_at

    @event(SessionEnded)
    def end_session(self, token_digest: str, actor: dict[str, Any]) -> None:
        self.sessions.pop(token_digest, None)


class UserEmail(Aggregate):
    """Claims an e-mail address for one user, across all groups."""

    class Claimed(Aggregate.Created):
        email: str
        user_id: UUID

    @staticmethod
    def create_id(email: str) -> UUID:
        return index_id("user-email", email)

    @event(Claimed)
    def __init__(self, email: str, user_id: UUID) -> None:
        self.email = email
        self.user_id = user_id


class PracticeAdmins(Aggregate):
    """Who the practice admins of one group are, so that no change leaves the group without one.

    Every promotion and demotion is saved with this roster: two admins demoting each other at
    once touch the same aggregate, so one of them meets a conflict instead of both succeeding.
    """

    class Started(Aggregate.Created):
        group_id: UUID

    class Joined(Aggregate.Event):
        user_id: UUID

    class Left(Aggregate.Event):
        user_id: UUID

    @staticmethod
    def create_id(group_id: UUID) -> UUID:
        return index_id("practice-admins", str(group_id))

    @event(Started)
    def __init__(self, group_id: UUID) -> None:
        self.group_id = group_id
        self.user_ids: set[UUID] = set()

    @event(Joined)
    def join(self, user_id: UUID) -> None:
        self.user_ids.add(user_id)

    def leave(self, user_id: UUID) -> None:
        if not self.user_ids - {user_id}:
            raise ConflictError(
                "the group's last practice admin cannot stop being one;"
                " make another user practice admin first",
                "role",
            )
        self._leave(user_id)

    @event(Left)
    def _leave(self, user_id: UUID) -> None:
        self.user_ids.discard(user_id)
