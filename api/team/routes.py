"""The vendor's team (prefix /team/v1, SPEC 11): its sessions, the groups and their plans,
and the queue of managed apps (AIQ Integrate, Connectors) it sets up.

Staff sessions are known here only: a staff token is refused by /api/v1 and /portal/v1, and
theirs here. Staff never see a secret and never change a group's app fields.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.applications.presenter import effective_status
from api.applications.schemas import STATUSES
from api.auth import ApiBlueprint, authenticate_staff, bearer_token, current_actor
from api.caching import no_store
from api.consistency import reads, settled
from api.ecosystem.routes import listing_shown
from api.ecosystem.schemas import DelistSchema, ListingArgs, ListingSchema, RejectSchema
from api.limits import ACCOUNT_GUESSES, address_and_email, limiter, refused, staff_email
from api.services import services
from api.session.schemas import LoginSchema
from api.team.schemas import (
    LinkDeveloperSchema,
    LinkedRequestSchema,
    NoteProgressSchema,
    PlanSchema,
    RequestArgs,
    RequestSchema,
    StaffSessionSchema,
    TeamGroupSchema,
)
from domain.errors import NotFoundError, ValidationError
from projections.view import iso


class TeamBlueprint(ApiBlueprint):
    authenticate = staticmethod(authenticate_staff)


blp = TeamBlueprint("team", __name__, url_prefix="/team/v1", description="The vendor's team")


@blp.route("/session", methods=["POST"])
@reads("team")  # every team request authenticates against the team view
@limiter.limit("10 per minute", key_func=address_and_email)
@limiter.limit("100 per minute")
@limiter.limit(ACCOUNT_GUESSES, key_func=staff_email, deduct_when=refused)
@blp.arguments(LoginSchema)
@blp.response(201, StaffSessionSchema)
@blp.alt_response(401, description="Wrong e-mail or password")
@blp.alt_response(429, description="Too many attempts; see Retry-After")
@no_store
def login(body: dict[str, Any]) -> dict[str, Any]:
    """Log in as a member of the team; returns a bearer session token for /team/v1."""
    session = services().commands.team.login(body["email"], body["password"])
    settled(session.position)
    staff = services().team.staff(str(session.staff.id))
    return {"token": session.token, "expires_at": session.expires_at, "staff": staff}


@blp.route("/session", methods=["DELETE"])
@reads("team")
@blp.login_required
@blp.response(204)
def logout() -> None:
    """End this session at once."""
    settled(services().commands.team.logout(current_actor(), bearer_token()))


@blp.route("/groups")
@reads("directory")
@blp.login_required
@blp.response(200, TeamGroupSchema(many=True))
def groups() -> list[dict[str, Any]]:
    """Every customer group and its product plan."""
    return services().directory.groups()


@blp.route("/groups/<uuid:group_id>/plan", methods=["PUT"])
@reads("directory", "app_list", "access")  # access: the next token or call sees it
@blp.login_required
@blp.arguments(PlanSchema)
@blp.response(200, TeamGroupSchema)
@blp.alt_response(404, description="No such group")
def change_plan(body: dict[str, Any], group_id: UUID) -> dict[str, Any] | None:
    """Move a group to another plan: off AIQ3 its apps are suspended at once, back on AIQ3
    they work as before."""
    _, position = services().commands.directory.change_plan(current_actor(), group_id, body["plan"])
    settled(position)
    return services().directory.group(str(group_id))


@blp.route("/requests")
@reads("team", "app_list", "directory")
@blp.login_required
@blp.arguments(RequestArgs, location="query")
@blp.response(200, RequestSchema(many=True))
def requests(args: dict[str, Any]) -> list[dict[str, Any]]:
    """The managed apps of every group, newest first, with who asked and where they stand."""
    wanted = [s.strip() for s in (args.get("status") or "").split(",") if s.strip()]
    unknown = [s for s in wanted if s not in STATUSES]
    if unknown:
        raise ValidationError(f"unknown status; use {', '.join(STATUSES)}", "status")
    found = [_request(row) for row in _rows(services().team.requests())]
    return [r for r in found if not wanted or r["status"] in wanted]


@blp.route("/requests/<uuid:app_id>/developer", methods=["PUT"])
@reads("team", "app_list", "directory")
@blp.login_required
@blp.arguments(LinkDeveloperSchema)
@blp.response(200, LinkedRequestSchema)
@blp.alt_response(404, description="No such managed app")
@blp.alt_response(409, description="A developer is linked already, or the app is revoked")
@no_store
def link_developer(body: dict[str, Any], app_id: UUID) -> dict[str, Any]:
    """Link one of the team's developers: invited (or told) by e-mail; the OTP is shown here
    once, for the staff member to pass on."""
    issued = services().commands.team.link_developer(current_actor(), app_id, body["email"])
    settled(issued.position)
    return {**_one(app_id), "otp": issued.otp}


@blp.route("/requests/<uuid:app_id>/progress", methods=["POST"])
@reads("team", "app_list", "directory")
@blp.login_required
@blp.arguments(NoteProgressSchema)
@blp.response(200, RequestSchema)
@blp.alt_response(404, description="No such managed app")
def note_progress(body: dict[str, Any], app_id: UUID) -> dict[str, Any]:
    """Say where the set-up stands (in_progress or done), with a note the group's admins
    see in the app's activity log."""
    noted = services().commands.team.note_progress(
        current_actor(), app_id, body["state"], body["note"]
    )
    settled(noted.position)
    return _one(app_id)


def _one(app_id: UUID) -> dict[str, Any]:
    row = services().team.request(str(app_id))
    if row is None:
        raise NotFoundError("request not found")
    return _request(_rows([row])[0])


def _rows(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each request with its app's row and group's name (one read of each view)."""
    svc = services()
    apps = svc.app_list.many([r["app_id"] for r in requests])
    names = {g["id"]: g["name"] for g in svc.directory.groups()}
    return [
        {**r, "app": apps[r["app_id"]], "group_name": names.get(r["group_id"], "")}
        for r in requests
        if r["app_id"] in apps
    ]


def _request(row: dict[str, Any]) -> dict[str, Any]:
    app = row["app"]
    return {
        "app_id": row["app_id"],
        "group_id": row["group_id"],
        "group_name": row["group_name"],
        "type": row["type"],
        "preset": row["preset"],
        "name": app["name"],
        "status": effective_status(app, iso(services().clock.now()) or "").value,
        "acknowledged_by": row["requested_by"],
        "acknowledged_at": row["requested_at"],
        "developer_email": app["dev_email"],
        "progress": {
            "state": row["progress_state"],
            "note": row["progress_note"] or "",
            "at": row["progress_at"],
            "by": row["progress_by"],
        },
    }


@blp.route("/listings")
@reads("ecosystem")
@blp.login_required
@blp.arguments(ListingArgs, location="query")
@blp.response(200, ListingSchema(many=True))
def listings(args: dict[str, Any]) -> list[dict[str, Any]]:
    """The partner listings, the oldest waiting first; `status=submitted` is the review queue."""
    svc = services()
    return [
        {**row, "installations": svc.ecosystem.installations(row["id"])}
        for row in svc.ecosystem.listings(args.get("status"))
    ]


@blp.route("/listings/<uuid:listing_id>/approve", methods=["POST"])
@reads("ecosystem")
@blp.login_required
@blp.response(200, ListingSchema)
@blp.alt_response(409, description="The listing is not waiting for review")
def approve_listing(listing_id: UUID) -> dict[str, Any]:
    """Publish the listing in the ecosystem; its group's admins are e-mailed."""
    settled(services().commands.ecosystem.approve(current_actor(), listing_id).position)
    return listing_shown(str(listing_id))


@blp.route("/listings/<uuid:listing_id>/reject", methods=["POST"])
@reads("ecosystem")
@blp.login_required
@blp.arguments(RejectSchema)
@blp.response(200, ListingSchema)
@blp.alt_response(409, description="The listing is not waiting for review")
def reject_listing(body: dict[str, Any], listing_id: UUID) -> dict[str, Any]:
    """Refuse the listing, saying why; its group's admins are e-mailed the reason."""
    rejected = services().commands.ecosystem.reject(current_actor(), listing_id, body["reason"])
    settled(rejected.position)
    return listing_shown(str(listing_id))


@blp.route("/listings/<uuid:listing_id>/delist", methods=["POST"])
@reads("ecosystem", "app_list", "access")  # access: revoked installations stop at once
@blp.login_required
@blp.arguments(DelistSchema)
@blp.response(200, ListingSchema)
@blp.alt_response(409, description="The listing is not published")
def delist_listing(body: dict[str, Any], listing_id: UUID) -> dict[str, Any]:
    """Take a published listing out of the ecosystem; with revoke_installations, every
    installation is revoked too. Each installing group's admins are e-mailed."""
    delisted = services().commands.ecosystem.delist(
        current_actor(), listing_id, body["reason"], body["revoke_installations"]
    )
    settled(delisted.position)
    return listing_shown(str(listing_id))
