"""Auditors' reads: each app's activity log (CSV, NDJSON), the group's audit export, and the
event history with point-in-time state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from flask import Response, stream_with_context

from api.applications.routes import read_app
from api.audit.csv_stream import GROUP_COLUMNS, GROUP_HEADER, csv_lines, ndjson_lines
from api.audit.schemas import AuditLogArgs, HistoryArgs, HistorySchema
from api.auth import ApiBlueprint, PlanGatedBlueprint, current_actor
from api.consistency import reads
from api.services import services
from api.timeparse import parse_moment
from domain.apps import describe
from domain.history import event_record
from projections.view import iso

blp = PlanGatedBlueprint(
    "audit",
    __name__,
    url_prefix="/api/v1/integration-applications/<uuid:app_id>",
    description="Activity log and history",
)


@blp.route("/activity-log.csv")
@reads("app_list", "activity_log")
@blp.login_required
@blp.alt_response(
    200, content_type="text/csv", description="One row per event, oldest first", success=True
)
def activity_log(app_id: UUID) -> Response:
    """Download the app's activity log as CSV (streamed)."""
    app = read_app(app_id)
    rows = services().activity_log.rows(app["id"])
    filename = f"activity-log-{app['id']}.csv"
    return Response(
        stream_with_context(csv_lines(rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blp.route("/activity-log.ndjson")
@reads("app_list", "activity_log")
@blp.login_required
@blp.alt_response(
    200,
    content_type="application/x-ndjson",
    description="One JSON object per line and event, oldest first",
    success=True,
)
def activity_log_ndjson(app_id: UUID) -> Response:
    """The app's activity log as NDJSON (streamed): the CSV's columns, one object a line."""
    app = read_app(app_id)
    rows = services().activity_log.rows(app["id"])
    return _download(ndjson_lines(rows), "application/x-ndjson", f"activity-log-{app['id']}.ndjson")


def _download(chunks: Iterator[str], mimetype: str, filename: str) -> Response:
    return Response(
        stream_with_context(chunks),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


group_blp = ApiBlueprint(
    "audit_export", __name__, url_prefix="/api/v1", description="The group's audit export"
)


@group_blp.route("/audit-log")
@reads("activity_log")
@group_blp.login_required
@group_blp.arguments(AuditLogArgs, location="query")
@group_blp.alt_response(
    200,
    content_type="text/csv",
    description="CSV (or NDJSON with format=ndjson): one line per event, in event order",
    success=True,
)
def audit_log(args: dict[str, Any]) -> Response:
    """Every event of your group (apps, users, permissions, plan, the team's actions), with
    the activity log's columns and app_id; streamed in constant memory."""
    actor = current_actor()
    actor.require_app_reader()
    since = parse_moment(args["from_"], "from") if args.get("from_") else None
    until = parse_moment(args["to"], "to", end_of_day=True) if args.get("to") else None
    app_id = str(args["app_id"]) if args.get("app_id") else None
    rows = services().activity_log.group_rows(str(actor.group_id), iso(since), iso(until), app_id)
    if args["format"] == "ndjson":
        return _download(
            ndjson_lines(rows, GROUP_HEADER, GROUP_COLUMNS),
            "application/x-ndjson",
            "audit-log.ndjson",
        )
    return _download(csv_lines(rows, GROUP_HEADER, GROUP_COLUMNS), "text/csv", "audit-log.csv")


@blp.route("/history")
@blp.login_required
@blp.arguments(HistoryArgs, location="query")
@blp.response(200, HistorySchema)
def history(args: dict[str, Any], app_id: UUID) -> dict[str, Any]:
    """Every event of the app up to `as_of`, and the app exactly as it was then."""
    svc = services()
    as_of = parse_moment(args["as_of"], "as_of") if args.get("as_of") else None
    found = svc.commands.apps.app_history(current_actor(), app_id, as_of)
    moment = as_of or svc.clock.now()  # statuses that depend on time are judged at this moment
    return {
        "as_of": iso(moment),
        "events": [event_record(e) for e in found.events],
        "state": describe(found.state, moment) if found.state is not None else None,
    }
