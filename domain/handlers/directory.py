"""Groups, entities, users, permissions and admin sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.accounting import open_books
from domain.actor import MANAGE_APPS, ROLES, Actor
from domain.credentials import new_token, token_digest
from domain.errors import AuthenticationError, ConflictError, ValidationError
from domain.groups import INTEGRATIONS_PLAN, PLANS, Group
from domain.handlers.retry import retried_on_conflict
from domain.naming import index_id, is_email, normalise_email, readable_name
from domain.passwords import Passwords
from domain.ports import Clock
from domain.store import EventStore
from domain.users import PERMISSIONS, PracticeAdmins, User, UserEmail

SESSION_TTL = timedelta(hours=8)
FIRST_ADMIN_NAME = "Practice Admin"


@dataclass(frozen=True)
class Session:
    token: str
    expires_at: datetime
    user: User
    position: int


@dataclass(frozen=True)
class UserRecorded:
    user: User
    position: int


@dataclass(frozen=True)
class GroupBootstrapped:
    group: Group
    admin: User
    position: int


class DirectoryHandler:
    def __init__(self, store: EventStore, clock: Clock, passwords: Passwords) -> None:
        self.store = store
        self.clock = clock
        self.passwords = passwords

    def bootstrap_group(
        self,
        name: str,
        entities: list[tuple[str, str]],
        email: str,
        password: str,
        plan: str = INTEGRATIONS_PLAN,
    ) -> GroupBootstrapped:
        """A group on `plan`, its entities and its first practice admin. The admin and the
        plan are checked before anything is recorded: a refused bootstrap leaves no group."""
        system = Actor.system("bootstrap")
        if plan not in PLANS:
            raise ValidationError(f"plan must be one of {', '.join(PLANS)}", "plan")
        self.passwords.check_rules(password, email, FIRST_ADMIN_NAME)
        if not is_email(normalise_email(email)):
            raise ValidationError("not a valid e-mail address", "email")
        if self.has_user(email):
            raise ConflictError("a user with this e-mail already exists", "email")
        group = self.register_group(name, entities, system, plan)
        admin = self.create_user(
            system, group.id, email, FIRST_ADMIN_NAME, "practice_admin", password
        )
        return GroupBootstrapped(group, admin.user, admin.position)

    def register_group(
        self,
        name: str,
        entities: list[tuple[str, str]],
        actor: Actor,
        plan: str = INTEGRATIONS_PLAN,
    ) -> Group:
        name = readable_name(name, "group", 200)
        who = actor.as_event_data()
        group = Group(name=name, actor=who)
        group.change_plan(plan, who)  # (no event when it is AIQ3, every group's first plan)
        books = [
            open_books(group.add_entity(code, entity_name, who), group.id, who)
            for code, entity_name in entities
        ]
        self.store.record(group, *books)
        return group

    def group(self, actor: Actor) -> Group:
        """The actor's group and its settings (any of its users may read them)."""
        return self.store.group_of(actor)

    @retried_on_conflict()
    def change_plan(self, actor: Actor, group_id: UUID, plan: str) -> tuple[Group, int]:
        """SPEC 11: the vendor's team (or an operator) moves a group to another plan. Off
        AIQ3 its apps are suspended, back on it they are as they were (the views apply it to
        every app of the group, including one created at the same moment)."""
        actor.require_staff()
        group = self.store.get(group_id, Group)
        group.change_plan(plan, actor.as_event_data())
        return group, self.store.record(group)

    @retried_on_conflict()
    def set_secret_lifetime(self, actor: Actor, days: int) -> tuple[Group, int]:
        """SPEC 14: how long client secrets issued from now on live (practice admins)."""
        actor.require_practice_admin()
        group = self.store.group_of(actor)
        group.set_secret_lifetime(days, actor.as_event_data())
        return group, self.store.record(group)

    def create_user(
        self,
        actor: Actor,
        group_id: UUID,
        email: str,
        full_name: str,
        role: str,
        password: str,
        permissions: list[str] | None = None,
    ) -> UserRecorded:
        actor.require_practice_admin()
        actor.require_group(group_id)
        email = normalise_email(email)
        if not is_email(email):
            raise ValidationError("not a valid e-mail address", "email")
        if role not in ROLES:
            raise ValidationError(f"role must be one of {', '.join(ROLES)}", "role")
        _check_permissions(permissions or [])
        self.passwords.check_rules(password, email, full_name)
        full_name = readable_name(full_name, "full_name", 200)
        user = User(
            group_id=group_id,
            email=email,
            full_name=full_name,
            role=role,
            password_hash=self.passwords.hash(password),
            permissions=permissions or [],
            actor=actor.as_event_data(),
        )
        admins = [self._admins_joined(group_id, user.id)] if role == "practice_admin" else []
        try:
            position = self.store.record(user, UserEmail(email=email, user_id=user.id), *admins)
        except IntegrityError:
            raise ConflictError("a user with this e-mail already exists", "email") from None
        return UserRecorded(user, position)

    def update_user(
        self,
        actor: Actor,
        user_id: UUID,
        role: str | None = None,
        permissions: list[str] | None = None,
        full_name: str | None = None,
    ) -> UserRecorded:
        actor.require_practice_admin()
        user = self.store.owned(actor, user_id, User)
        who = actor.as_event_data()
        roster: list[PracticeAdmins] = []
        if role is not None and role != user.role:
            if role not in ROLES:
                raise ValidationError(f"role must be one of {', '.join(ROLES)}", "role")
            roster = self._roster_after(user, role)
            user.change_role(role, who)
        if permissions is not None:
            _check_permissions(permissions)
            for permission in sorted(set(permissions) - set(user.permissions)):
                user.grant(permission, who)
            for permission in sorted(set(user.permissions) - set(permissions)):
                user.remove(permission, who)
        if full_name is not None:
            full_name = readable_name(full_name, "full_name", 200)
        if full_name is not None and full_name != user.full_name:
            user.rename(full_name, who)
        return UserRecorded(user, self.store.record(user, *roster))

    def _roster_after(self, user: User, role: str) -> list[PracticeAdmins]:
        """The practice admins' roster as this role change leaves it (refused for the last)."""
        if role == "practice_admin":
            return [self._admins_joined(user.group_id, user.id)]
        if user.role != "practice_admin":
            return []
        admins = self._practice_admins(user.group_id)
        admins.leave(user.id)
        return [admins]

    def _practice_admins(self, group_id: UUID) -> PracticeAdmins:
        """The group's roster; a group from before rosters starts an empty one."""
        roster = self.store.find(PracticeAdmins.create_id(group_id), PracticeAdmins)
        return roster or PracticeAdmins(group_id=group_id)

    def _admins_joined(self, group_id: UUID, user_id: UUID) -> PracticeAdmins:
        admins = self._practice_admins(group_id)
        admins.join(user_id)
        return admins

    def login(self, email: str, password: str) -> Session:
        user = self._user_by_email(normalise_email(email))
        stored = user.password_hash if user else None
        if not self.passwords.matches(stored, password) or user is None:
            raise AuthenticationError("wrong e-mail or password")
        token = new_token()
        expires_at = self.clock.now() + SESSION_TTL
        user, position = self._start_session(user.id, token_digest(token), expires_at)
        return Session(token=token, expires_at=expires_at, user=user, position=position)

    @retried_on_conflict(attempts=20)
    def _start_session(self, user_id: UUID, digest: str, expires_at: datetime) -> tuple[User, int]:
        """Appends to the user's events: logins from several devices at once may race."""
        user = self.store.get(user_id, User)
        me = Actor(type="admin", id=str(user.id), name=user.email)
        user.start_session(digest, expires_at, me.as_event_data())
        return user, self.store.record(user)

    @retried_on_conflict()
    def logout(self, actor: Actor, token: str) -> int:
        user = self.store.get(UUID(actor.id), User)
        user.end_session(token_digest(token), actor.as_event_data())
        return self.store.record(user)

    def has_user(self, email: str) -> bool:
        return self._user_by_email(normalise_email(email)) is not None

    def _user_by_email(self, email: str) -> User | None:
        index = self.store.find(index_id("user-email", email), UserEmail)
        return None if index is None else self.store.get(index.user_id, User)


def _check_permissions(permissions: list[str]) -> None:
    unknown = set(permissions) - set(PERMISSIONS)
    if unknown:
        raise ValidationError(f"unknown permission; the only one is {MANAGE_APPS}", "permissions")
