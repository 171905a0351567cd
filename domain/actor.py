"""Who performs a command: recorded on every event, checked before every change."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from domain.errors import NotFoundError, PermissionDeniedError

MANAGE_APPS = "manage_integration_applications"
ROLES = ("practice_admin", "user", "auditor")
ACTOR_TYPES = ("admin", "developer", "client", "system", "staff")


@dataclass(frozen=True)
class Actor:
    """A principal: its kind, identity and, for group users, role and permissions."""

    type: str
    id: str
    name: str
    group_id: UUID | None = None
    role: str | None = None
    permissions: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(type="system", id=name, name=name)

    def as_event_data(self) -> dict[str, Any]:
        """What an event keeps of its actor: enough to say who did it, nothing secret."""
        return {"type": self.type, "id": self.id, "name": self.name}

    @property
    def is_system(self) -> bool:
        return self.type == "system"

    @property
    def is_staff(self) -> bool:
        """The vendor's team (SPEC 11), or the system acting for it (CLI, bootstrap)."""
        return self.is_system or self.type == "staff"

    def require_staff(self) -> None:
        if not self.is_staff:
            raise PermissionDeniedError("only the vendor's team may do this")

    @property
    def can_manage_apps(self) -> bool:
        return self.is_system or self.role == "practice_admin" or MANAGE_APPS in self.permissions

    @property
    def can_read_group(self) -> bool:
        return self.is_system or (
            self.role in ROLES and (self.role != "user" or MANAGE_APPS in self.permissions)
        )

    @property
    def is_practice_admin(self) -> bool:
        return self.is_system or self.role == "practice_admin"

    @property
    def can_read_users(self) -> bool:
        return self.is_practice_admin or self.role == "auditor"

    def capabilities(self) -> dict[str, bool]:
        """What screens may offer this actor; the require_* checks still guard every call."""
        return {
            "manage_apps": self.can_manage_apps,
            "read_apps": self.can_read_group,
            "manage_users": self.is_practice_admin,
            "read_users": self.can_read_users,
        }

    def require_group(self, group_id: UUID) -> None:
        """Another group's things do not exist for this actor (404, never 403)."""
        if not self.is_system and self.group_id != group_id:
            raise NotFoundError("not found")

    def require_app_manager(self) -> None:
        if not self.can_manage_apps:
            raise PermissionDeniedError("you lack the permission manage_integration_applications")

    def require_app_reader(self) -> None:
        if not self.can_read_group:
            raise PermissionDeniedError("you lack the permission manage_integration_applications")

    def require_practice_admin(self) -> None:
        if not self.is_practice_admin:
            raise PermissionDeniedError("only a practice admin may do this")

    def require_user_reader(self) -> None:
        if not self.can_read_users:
            raise PermissionDeniedError("only practice admins and auditors may read users")
