"""The group's entities, users (practice admins manage them) and the app catalog."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.auth import ApiBlueprint, current_actor
from api.consistency import reads, settled
from api.directory.schemas import (
    EntitySchema,
    GroupSchema,
    GroupUpdateSchema,
    UserCreateSchema,
    UserSchema,
    UserUpdateSchema,
)
from api.services import services
from domain import catalog
from domain.groups import Group

blp = ApiBlueprint(
    "directory", __name__, url_prefix="/api/v1", description="Entities, users and the catalog"
)


def _group_id() -> str:
    return str(current_actor().group_id)


@blp.route("/entities")
@reads("directory")
@blp.login_required
@blp.response(200, EntitySchema(many=True))
def list_entities() -> list[dict[str, Any]]:
    """The entities (companies) of your group."""
    return services().directory.entities(_group_id())


@blp.route("/catalog")
@blp.login_required
@blp.response(200)
def get_catalog() -> dict[str, Any]:
    """Application types, AIQ Integrate presets, connectors and categories."""
    return catalog.as_document()


@blp.route("/users")
@reads("directory")
@blp.login_required
@blp.response(200, UserSchema(many=True))
def list_users() -> list[dict[str, Any]]:
    """The users of your group (practice admins and auditors)."""
    current_actor().require_user_reader()
    return services().directory.users(_group_id())


@blp.route("/users", methods=["POST"])
@reads("directory")
@blp.login_required
@blp.arguments(UserCreateSchema)
@blp.response(201, UserSchema)
def create_user(body: dict[str, Any]) -> dict[str, Any] | None:
    """Create a user of your group (practice admins only)."""
    actor = current_actor()
    assert actor.group_id is not None
    created = services().commands.directory.create_user(actor, actor.group_id, **body)
    settled(created.position)
    return services().directory.user(str(created.user.id))


@blp.route("/users/<uuid:user_id>", methods=["PATCH"])
@reads("directory")  # the user's next request, in any process, has the new permissions
@blp.login_required
@blp.arguments(UserUpdateSchema)
@blp.response(200, UserSchema)
def update_user(body: dict[str, Any], user_id: UUID) -> dict[str, Any] | None:
    """Change a user's role, name or permissions (practice admins only)."""
    updated = services().commands.directory.update_user(current_actor(), user_id, **body)
    settled(updated.position)
    return services().directory.user(str(updated.user.id))


def _group(group: Group) -> dict[str, Any]:
    return {
        "id": str(group.id),
        "name": group.name,
        "plan": group.plan,
        "integrations_available": group.integrations_available,
        "secret_lifetime_days": group.secret_lifetime_days,
    }


@blp.route("/group")
@blp.login_required
@blp.response(200, GroupSchema)
def get_group() -> dict[str, Any]:
    """Your group, its product plan and its settings (apps need the AIQ3 plan)."""
    return _group(services().commands.directory.group(current_actor()))


@blp.route("/group", methods=["PATCH"])
@blp.login_required
@blp.arguments(GroupUpdateSchema)
@blp.response(200, GroupSchema)
@blp.alt_response(403, description="Only practice admins change the group's settings")
def update_group(body: dict[str, Any]) -> dict[str, Any]:
    """Change how long new client secrets live (practice admins); secrets already issued
    keep their expiry, and a rotation gives the new lifetime."""
    group, _ = services().commands.directory.set_secret_lifetime(
        current_actor(), body["secret_lifetime_days"]
    )
    return _group(group)  # read from the aggregate itself: no view to wait for
