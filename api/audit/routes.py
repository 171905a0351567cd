"""Auditors' reads: the activity log CSV and the event history with point-in-time state."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, stream_with_context

from api.applications.routes import read_app
from api.audit.csv_stream import csv_lines
from api.audit.schemas import HistoryArgs, HistorySchema
from api.auth import PlanGatedBlueprint, current_actor
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
