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
from domain.naming import has_control_characters, index_id, is_email, normalise_email
from domain.usecases.base import UseCases, retried_on_conflict
from domain.users import PERMISSIONS, User, UserEmail

SESSION_TTL = timedelta(hours=8)
MIN_PASSWORD = 12


@dataclass(frozen=True)
class Session:
    token: str
    expires_at: datetime
    user: User


def check_password_rules(password: str) -> None:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= 256:
        raise ValidationError(f"password must be {MIN_PASSWORD}-256 characters", "password")


class DirectoryUseCases(UseCases):
    def register_group(self, name: str, entities: list[tuple[str, str]], actor: Actor) -> Group:
        name = name.strip()
        if not 1 <= len(name) <= 200 or has_control_characters(name):
            raise ValidationError("group name must be 1-200 printable characters", "group")
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
        check_password_rules(password)
        if not 1 <= len(full_name.strip()) <= 200 or has_control_characters(full_name):
            raise ValidationError("full_name must be 1-200 printable characters", "full_name")
        user = User(
            group_id=group_id,
            email=email,
            full_name=full_name.strip(),
            role=role,
            password_hash=self.passwords.hash(password),
            permissions=permissions or [],
            actor=actor.as_event_data(),
        )
        try:
            self.save(user, UserEmail(email=email, user_id=user.id))
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
        user = self._get(user_id, User)
        actor.require_group(user.group_id)
        who = actor.as_event_data()
        if role is not None and role != user.role:
            if role not in ROLES:
                raise ValidationError(f"role must be one of {', '.join(ROLES)}", "role")
            user.change_role(role, who)
        if permissions is not None:
            self._check_permissions(permissions)
            for permission in sorted(set(permissions) - set(user.permissions)):
                user.grant(permission, who)
            for permission in sorted(set(user.permissions) - set(permissions)):
                user.remove(permission, who)
        if full_name is not None and full_name.strip() != user.full_name:
            user.rename(full_name.strip(), who)
        self.save(user)
        return user

    @staticmethod
    def _check_permissions(permissions: list[str]) -> None:
        unknown = set(permissions) - set(PERMISSIONS)
        if unknown:
            raise ValidationError(
                f"unknown permission; the only one is {MANAGE_APPS}", "permissions"
            )

    def login(self, email: str, password: str) -> Session:
        user = self._user_by_email(normalise_email(email))
        # Verify against a real hash even for unknown e-mails, so timing reveals nothing.
        stored = user.password_hash if user else self.passwords.hash("timing-equaliser")
        if not self.passwords.verify(stored, password) or user is None:
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
