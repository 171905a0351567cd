"""Integration applications: create, list, read, edit and revoke (SPEC 7)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import request

from api.applications.presenter import owned_row, present_app
from api.applications.schemas import (
    AppCreateSchema,
    AppEditSchema,
    AppListArgs,
    AppSchema,
    CreatedAppSchema,
    RevokeSchema,
    RevokeSecretSchema,
    UsageArgs,
    UsageSchema,
)
from api.auth import PlanGatedBlueprint, current_actor
from api.caching import no_store
from api.consistency import reads, settled
from api.services import services
from api.timeparse import parse_moment
from api.usage_report import usage_report
from domain.commands import CreateApp, EditApp
from domain.errors import StaleVersionError, ValidationError
from projections.app_list import AppQuery
from projections.view import iso

# Beyond any real list (100 per page), and small enough for any database's OFFSET.
MAX_PAGE = 1_000_000

blp = PlanGatedBlueprint(
    "applications",
    __name__,
    url_prefix="/api/v1/integration-applications",
    description="Integration applications",
)


def _now() -> str:
    return iso(services().clock.now()) or ""


def _readable_row(app_id: UUID) -> dict[str, Any]:
    actor = current_actor()
    actor.require_app_reader()
    return owned_row(services().app_list.get(str(app_id), with_last_used=True), actor)


def read_app(app_id: UUID) -> dict[str, Any]:
    """The app as the list view has it, for the caller's group only."""
    return _presented(_readable_row(app_id))


def _presented(row: dict[str, Any]) -> dict[str, Any]:
    """A row of `_readable_row`, which carries its last use."""
    default = services().settings.default_app_rate_limit
    return present_app(row, _now(), row["last_used_at"], default)


def _if_match() -> int | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    try:
        return int(header.strip().strip('"').removeprefix("W/").strip('"'))
    except ValueError:
        raise StaleVersionError("If-Match must be an ETag from a GET of this app") from None


@blp.route("", methods=["POST"])
@reads("app_list")
@blp.login_required
@blp.arguments(AppCreateSchema)
@blp.response(201, CreatedAppSchema)
@blp.alt_response(409, description="The name is taken (names are unique across all groups)")
@blp.alt_response(422, description="A field is missing or invalid; `errors` names it")
@no_store
def create(body: dict[str, Any]) -> dict[str, Any]:
    """Create an application; the response carries the OTP, once."""
    created = services().commands.apps.create_app(current_actor(), CreateApp(**body))
    settled(created.position)
    return {**read_app(created.app.id), "otp": created.otp}


@blp.route("")
@reads("app_list")
@blp.login_required
@blp.arguments(AppListArgs, location="query")
@blp.response(200, AppSchema(many=True))
@blp.paginate()
def list_apps(args: dict[str, Any], pagination_parameters: Any) -> list[dict[str, Any]]:
    """List your group's applications: filters, sort and paging (total in X-Pagination)."""
    actor = current_actor()
    actor.require_app_reader()
    if pagination_parameters.page > MAX_PAGE:
        raise ValidationError(f"page must be at most {MAX_PAGE}", "page")
    now = _now()
    query = AppQuery(
        group_id=str(actor.group_id),
        now=now,
        status=[s.strip() for s in args.get("status", "").split(",") if s.strip()],
        type=args.get("type"),
        category=args.get("category"),
        name=args.get("name"),
        developer_email=args.get("developer_email"),
        entity_id=args.get("entity_id"),
        created_from=iso(parse_moment(args["created_from"], "created_from"))
        if args.get("created_from")
        else None,
        created_to=iso(parse_moment(args["created_to"], "created_to", end_of_day=True))
        if args.get("created_to")
        else None,
        secret_expires_before=iso(
            parse_moment(args["secret_expires_before"], "secret_expires_before")
        )
        if args.get("secret_expires_before")
        else None,
        unused_since=iso(parse_moment(args["unused_since"], "unused_since"))
        if args.get("unused_since")
        else None,
        sort=args["sort"],
        page=pagination_parameters.page,
        page_size=pagination_parameters.page_size,
    )
    rows, total = services().app_list.search(query)
    pagination_parameters.item_count = total
    last_used = services().usage_store.last_used([row["id"] for row in rows])
    default = services().settings.default_app_rate_limit
    return [present_app(row, now, last_used.get(row["id"]), default) for row in rows]


@blp.route("/<uuid:app_id>")
@reads("app_list")
@blp.login_required
@blp.response(200, AppSchema, headers={"ETag": {"description": "the app's version"}})
def detail(app_id: UUID) -> Any:
    """One application; its ETag goes in If-Match when you edit it."""
    row = _readable_row(app_id)
    return _presented(row), 200, {"ETag": f'"{row["version"]}"'}


@blp.route("/<uuid:app_id>", methods=["PATCH"])
@reads("app_list", "access")  # access: the very next SOAP call sees the change (SPEC 6)
@blp.login_required
@blp.arguments(AppEditSchema)
@blp.response(200, AppSchema)
@blp.alt_response(412, description="If-Match is stale: someone changed the app meanwhile")
def edit(body: dict[str, Any], app_id: UUID) -> dict[str, Any]:
    """Edit description, category, entities or allowed addresses, with immediate effect."""
    edit = EditApp(**body)
    edited = services().commands.apps.edit_app(current_actor(), app_id, edit, _if_match())
    settled(edited.position)
    return read_app(app_id)


@blp.route("/<uuid:app_id>/revoke", methods=["POST"])
@reads("app_list", "access")  # access: the very next SOAP call is refused (SPEC 6)
@blp.login_required
@blp.arguments(RevokeSchema)
@blp.response(200, AppSchema)
def revoke(body: dict[str, Any], app_id: UUID) -> dict[str, Any]:
    """Revoke the application irreversibly: every integration using it stops."""
    settled(services().commands.apps.revoke_app(current_actor(), app_id, body["confirm"]).position)
    return read_app(app_id)


@blp.route("/<uuid:app_id>/revoke-secret", methods=["POST"])
@reads("app_list", "access")  # access: tokens obtained with the secret fail their next call
@blp.login_required
@blp.arguments(RevokeSecretSchema)
@blp.response(200, AppSchema)
@blp.alt_response(409, description="The application has no client secret, or is revoked")
@blp.alt_response(422, description="confirm is not true")
def revoke_secret(body: dict[str, Any], app_id: UUID) -> dict[str, Any]:
    """End the client secret at once (no grace), and every token obtained with it; the
    developer is e-mailed and generates a new one in the portal."""
    if body["confirm"] is not True:
        raise ValidationError(
            "ending a secret stops the integration: send confirm: true", "confirm"
        )
    settled(services().commands.apps.end_secrets_now(current_actor(), app_id).position)
    return read_app(app_id)


@blp.route("/<uuid:app_id>/usage")
@reads("app_list")
@blp.login_required
@blp.arguments(UsageArgs, location="query")
@blp.response(200, UsageSchema)
def usage(args: dict[str, Any], app_id: UUID) -> dict[str, Any]:
    """Tokens, SOAP calls, writes and refused calls by code, per UTC day (every day of the
    range, zeros included; up to 366 days, the last 30 by default). Counted in each process
    and added every second, so the last second's calls may not be in it yet."""
    return usage_report(_readable_row(app_id)["id"], args.get("from_"), args.get("to"))
