"""Manage Developer Portal Access for one application (SPEC 4)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.applications.routes import read_app
from api.auth import PlanGatedBlueprint, current_actor
from api.caching import no_store
from api.consistency import reads, settled
from api.developer.schemas import (
    AppWithOtpSchema,
    DeveloperAccessSchema,
    RegisterDeveloperSchema,
)
from api.limits import PER_APP_RESENDS, app_in_url, done, limiter
from api.services import services
from domain.errors import NotFoundError

blp = PlanGatedBlueprint(
    "developer",
    __name__,
    url_prefix="/api/v1/integration-applications/<uuid:app_id>/developer",
    description="Manage Developer Portal Access",
)


@blp.route("")
@reads("app_list", "mail_outbox")
@blp.login_required
@blp.response(200, DeveloperAccessSchema)
def view(app_id: UUID) -> dict[str, Any]:
    """The linked developer: e-mail, signed up, invite and OTP state, when linked, and the
    latest e-mail to them that could not be delivered."""
    developer = read_app(app_id)["developer"]
    if developer is None:
        raise NotFoundError("no developer is linked to this application")
    return _with_delivery_problem(app_id, developer)


def _with_delivery_problem(app_id: UUID, developer: dict[str, Any]) -> dict[str, Any]:
    problem = services().mail_outbox.delivery_problem(str(app_id), developer["email"])
    return {**developer, "delivery_problem": problem}


@blp.route("", methods=["PUT"])
@reads("app_list")
@blp.login_required
@blp.arguments(RegisterDeveloperSchema)
@blp.response(200, AppWithOtpSchema)
@blp.alt_response(409, description="A developer is already linked")
@no_store
def register(body: dict[str, Any], app_id: UUID) -> dict[str, Any]:
    """Link a developer: they get an invite (or a notification) and a new OTP is shown once."""
    linked = services().commands.developers.register_developer(
        current_actor(), app_id, body["email"]
    )
    settled(linked.position)
    return {**read_app(app_id), "otp": linked.otp}


@blp.route("", methods=["DELETE"])
@blp.login_required
@blp.response(204)
def revoke_access(app_id: UUID) -> None:
    """Revoke the developer's access to this app in the portal; the API keeps working."""
    # Nothing to wait for: the portal reads the event store for this app, and its list
    # waits for what was recorded before it was asked.
    services().commands.developers.revoke_developer_access(current_actor(), app_id)


@blp.route("/resend-invite", methods=["POST"])
@reads("app_list", "mail_outbox")
@limiter.limit(PER_APP_RESENDS, key_func=app_in_url, deduct_when=done)
@blp.login_required
@blp.response(200, DeveloperAccessSchema)
@blp.alt_response(429, description="Too many for this application; see Retry-After")
def resend_invite(app_id: UUID) -> dict[str, Any]:
    """A new invite, valid 3 days; the previous one stops working."""
    settled(services().commands.developers.resend_invite(current_actor(), app_id).position)
    return _with_delivery_problem(app_id, read_app(app_id)["developer"])


@blp.route("/reset-otp", methods=["POST"])
@reads("app_list")
@limiter.limit(PER_APP_RESENDS, key_func=app_in_url, deduct_when=done)
@blp.login_required
@blp.response(200, AppWithOtpSchema)
@blp.alt_response(429, description="Too many for this application; see Retry-After")
@no_store
def reset_otp(app_id: UUID) -> dict[str, Any]:
    """A new OTP, shown once; the old one stops working and attempts start again."""
    issued = services().commands.developers.reset_otp(current_actor(), app_id)
    settled(issued.position)
    return {**read_app(app_id), "otp": issued.otp}
