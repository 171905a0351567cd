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
from domain.groups import Group
from domain.naming import index_id, is_email, normalise_email, readable_name
from domain.ports import PasswordStrength
from domain.usecases.base import UseCases, retried_on_conflict
from domain.users import PERMISSIONS, PracticeAdmins, User, UserEmail

SESSION_TTL = timedelta(hours=8)
MIN_PASSWORD = 12


@dataclass(frozen=True)
class Session:
    token: str
    expires_at: datetime
    user: User


def check_password_rules(password: str, strength: PasswordStrength, *about_owner: str) -> None:
    """Every new password: 12-256 characters and hard to guess, also for someone who knows
    its owner's e-mail and name (`about_owner`)."""
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= 256:
        raise ValidationError(f"password must be {MIN_PASSWORD}-256 characters", "password")
    weakness = strength.weakness(password, [words for words in about_owner if words])
    if weakness:
        raise ValidationError(f"password is too easy to guess: {weakness}", "password")


class DirectoryUseCases(UseCases):
    def register_group(self, name: str, entities: list[tuple[str, str]], actor: Actor) -> Group:
        name = readable_name(name, "group", 200)
        group = Group(name=name, actor=actor.as_event_data())
        books = [
            open_books(
                group.add_entity(code, entity_name, actor.as_event_data()),
                group.id,
                actor.as_event_data(),
            )
            for code, entity_name in entities
        ]
        self.save(group, *books)
        return group

    def add_entity(self, actor: Actor, code: str, name: str) -> str:
        actor.require_practice_admin()
        group = self._group_of(actor)
        entity_id = group.add_entity(code, name, actor.as_event_data())
        self.save(group, open_books(entity_id, group.id, actor.as_event_data()))
        return entity_id

    def create_user(
        self,
        actor: Actor,
        group_id: UUID,
        email: str,
        full_name: str,
        role: str,
        password: str,
        permissions: list[str] | None = None,
    ) -> User:
        actor.require_practice_admin()
        actor.require_group(group_id)
        email = normalise_email(email)
        if not is_email(email):
            raise ValidationError("not a valid e-mail address", "email")
        if role not in ROLES:
            raise ValidationError(f"role must be one of {', '.join(ROLES)}", "role")
        self._check_permissions(permissions or [])
        check_password_rules(password, self.password_strength, email, full_name)
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
            self.save(user, UserEmail(email=email, user_id=user.id), *admins)
        except IntegrityError:
            raise ConflictError("a user with this e-mail already exists", "email") from None
        return user

    def update_user(
        self,
        actor: Actor,
        user_id: UUID,
        role: str | None = None,
        permissions: list[str] | None = None,
        full_name: str | None = None,
    ) -> User:
        actor.require_practice_admin()
        user = self._owned(actor, user_id, User)
        who = actor.as_event_data()
        roster: list[PracticeAdmins] = []
        if role is not None and role != user.role:
            if role not in ROLES:
                raise ValidationError(f"role must be one of {', '.join(ROLES)}", "role")
            roster = self._roster_after(user, role)
            user.change_role(role, who)
        if permissions is not None:
            self._check_permissions(permissions)
            for permission in sorted(set(permissions) - set(user.permissions)):
                user.grant(permission, who)
            for permission in sorted(set(user.permissions) - set(permissions)):
                user.remove(permission, who)
        if full_name is not None:
            full_name = readable_name(full_name, "full_name", 200)
        if full_name is not None and full_name != user.full_name:
            user.rename(full_name, who)
        self.save(user, *roster)
        return user

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
        roster_id = PracticeAdmins.create_id(group_id)
        if roster_id in self.repository:
            return self._get(roster_id, PracticeAdmins)
        return PracticeAdmins(group_id=group_id)

    def _admins_joined(self, group_id: UUID, user_id: UUID) -> PracticeAdmins:
        admins = self._practice_admins(group_id)
        admins.join(user_id)
        return admins

    @staticmethod
    def _check_permissions(permissions: list[str]) -> None:
        unknown = set(permissions) - set(PERMISSIONS)
        if unknown:
            raise ValidationError(
                f"unknown permission; the only one is {MANAGE_APPS}", "permissions"
            )

    def login(self, email: str, password: str) -> Session:
        user = self._user_by_email(normalise_email(email))
        stored = user.password_hash if user else None
        if not self._password_matches(stored, password) or user is None:
            raise AuthenticationError("wrong e-mail or password")
        token = new_token()
        expires_at = self.clock.now() + SESSION_TTL
        user = self._start_session(user.id, token_digest(token), expires_at)
        return Session(token=token, expires_at=expires_at, user=user)

    @retried_on_conflict(attempts=20)
    def _start_session(self, user_id: UUID, digest: str, expires_at: datetime) -> User:
        """Appends to the user's events: logins from several devices at once may race."""
        user = self._get(user_id, User)
        me = Actor(type="admin", id=str(user.id), name=user.email)
        user.start_session(digest, expires_at, me.as_event_data())
        self.save(user)
        return user

    @retried_on_conflict()
    def logout(self, actor: Actor, token: str) -> None:
        user = self._get(UUID(actor.id), User)
        user.end_session(token_digest(token), actor.as_event_data())
        self.save(user)

    def has_user(self, email: str) -> bool:
        return self._user_by_email(normalise_email(email)) is not None

    def _user_by_email(self, email: str) -> User | None:
        index_ref = index_id("user-email", email)
        if index_ref not in self.repository:
            return None
        index = self._get(index_ref, UserEmail)
        return self._get(index.user_id, User)
