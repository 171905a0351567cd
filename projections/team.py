"""The vendor's team's own view (SPEC 11): staff accounts, their sessions, and the request
queue, one row per managed app (AIQ Integrate, Connector) of any group."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.apps import IntegrationApp
from domain.catalog import MANAGED_TYPES
from domain.staff import StaffMember
from projections.sql import SqlCursor
from projections.view import View, iso, only_tracks

REQUEST_COLUMNS = (
    "app_id, group_id, type, preset, name, requested_by, requested_at, "
    "progress_state, progress_note, progress_at, progress_by"
)


class TeamView(View):
    name = "team"
    tables = ("team_sessions", "team_staff", "team_requests")
    schema = (
        "CREATE TABLE IF NOT EXISTS team_staff (id TEXT PRIMARY KEY, email TEXT NOT NULL "
        "UNIQUE, full_name TEXT NOT NULL, created_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS team_sessions (token_digest TEXT PRIMARY KEY, "
        "staff_id TEXT NOT NULL, expires_at TEXT NOT NULL)",
        # Who asked (and so acknowledged the charges and the data access) and when: the
        # app's creation, which the API refuses without those acknowledgements.
        "CREATE TABLE IF NOT EXISTS team_requests (app_id TEXT PRIMARY KEY, "
        "group_id TEXT NOT NULL, type TEXT NOT NULL, preset TEXT, name TEXT NOT NULL, "
        "requested_by TEXT NOT NULL, requested_at TEXT NOT NULL, progress_state TEXT, "
        "progress_note TEXT, progress_at TEXT, progress_by TEXT)",
        "CREATE INDEX IF NOT EXISTS team_requests_at ON team_requests (requested_at)",
    )

    def session_staff(self, token_digest: str, now: str) -> dict[str, Any] | None:
        return self.db.query_one(
            "SELECT m.id, m.email, m.full_name, m.created_at FROM team_sessions s "
            "JOIN team_staff m ON m.id = s.staff_id "
            "WHERE s.token_digest = ? AND s.expires_at > ?",
            (token_digest, now),
        )

    def staff(self, staff_id: str) -> dict[str, Any] | None:
        return self.db.query_one(
            "SELECT id, email, full_name, created_at FROM team_staff WHERE id = ?", (staff_id,)
        )

    def requests(self) -> list[dict[str, Any]]:
        """Every managed app, the newest request first."""
        return self.db.query(
            f"SELECT {REQUEST_COLUMNS} FROM team_requests ORDER BY requested_at DESC, app_id"
        )

    def request(self, app_id: str) -> dict[str, Any] | None:
        return self.db.query_one(
            f"SELECT {REQUEST_COLUMNS} FROM team_requests WHERE app_id = ?", (app_id,)
        )

    # -- one change per event, in the event's transaction `c` -------------------------------

    def staff_registered(
        self, c: SqlCursor, staff_id: str, email: str, full_name: str, at: datetime
    ) -> None:
        c.execute(
            "INSERT INTO team_staff (id, email, full_name, created_at) VALUES (?, ?, ?, ?)",
            (staff_id, email, full_name, iso(at)),
        )

    def session_started(
        self, c: SqlCursor, token_digest: str, staff_id: str, expires_at: datetime
    ) -> None:
        c.execute(
            "INSERT INTO team_sessions (token_digest, staff_id, expires_at) VALUES (?, ?, ?)",
            (token_digest, staff_id, iso(expires_at)),
        )

    def session_ended(self, c: SqlCursor, token_digest: str) -> None:
        c.execute("DELETE FROM team_sessions WHERE token_digest = ?", (token_digest,))

    def request_made(
        self,
        c: SqlCursor,
        app_id: str,
        group_id: str,
        app_type: str,
        preset: str | None,
        name: str,
        requested_by: str,
        at: datetime,
    ) -> None:
        c.execute(
            "INSERT INTO team_requests (app_id, group_id, type, preset, name, requested_by, "
            "requested_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (app_id, group_id, app_type, preset, name, requested_by, iso(at)),
        )

    def progress_noted(
        self, c: SqlCursor, app_id: str, state: str, note: str, by: str, at: datetime
    ) -> None:
        c.execute(
            "UPDATE team_requests SET progress_state = ?, progress_note = ?, progress_at = ?, "
            "progress_by = ? WHERE app_id = ?",
            (state, note, iso(at), by, app_id),
        )


class TeamProjection(Projection[TeamView]):
    name = "team"

    @singledispatchmethod
    @only_tracks
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def _(self, e: StaffMember.Registered, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.staff_registered(c, str(e.originator_id), e.email, e.full_name, e.timestamp)

    @process_event.register
    def _(self, e: StaffMember.SessionStarted, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.session_started(c, e.token_digest, str(e.originator_id), e.expires_at)

    @process_event.register
    def _(self, e: StaffMember.SessionEnded, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.session_ended(c, e.token_digest)

    @process_event.register
    def _(self, e: IntegrationApp.Created, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            if e.app_type in MANAGED_TYPES:
                self.view.request_made(
                    c,
                    str(e.originator_id),
                    str(e.group_id),
                    e.app_type,
                    e.preset,
                    e.name,
                    e.actor["name"],
                    e.timestamp,
                )

    @process_event.register
    def _(self, e: IntegrationApp.ProgressNoted, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.progress_noted(
                c, str(e.originator_id), e.state, e.note, e.actor["name"], e.timestamp
            )
