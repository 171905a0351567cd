"""The Developer Portal's own view: developer accounts and their sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.developers import DeveloperAccount
from projections.sql import SqlCursor
from projections.view import View, iso, only_tracks


class PortalView(View):
    name = "portal"
    tables = ("portal_sessions", "portal_accounts")
    schema = (
        "CREATE TABLE IF NOT EXISTS portal_accounts (id TEXT PRIMARY KEY, email TEXT NOT NULL "
        "UNIQUE, full_name TEXT NOT NULL, created_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS portal_sessions (token_digest TEXT PRIMARY KEY, "
        "account_id TEXT NOT NULL, expires_at TEXT NOT NULL)",
    )

    def session_account(self, token_digest: str, now: str) -> dict[str, Any] | None:
        return self.db.query_one(
            "SELECT a.id, a.email, a.full_name, a.created_at FROM portal_sessions s "
            "JOIN portal_accounts a ON a.id = s.account_id "
            "WHERE s.token_digest = ? AND s.expires_at > ?",
            (token_digest, now),
        )

    def account(self, email: str) -> dict[str, Any] | None:
        return self.db.query_one(
            "SELECT id, email, full_name, created_at FROM portal_accounts WHERE email = ?",
            (email,),
        )

    # -- one change per event, in the event's transaction `c` -------------------------------

    def account_registered(
        self, c: SqlCursor, account_id: str, email: str, full_name: str, at: datetime
    ) -> None:
        c.execute(
            "INSERT INTO portal_accounts (id, email, full_name, created_at) VALUES (?, ?, ?, ?)",
            (account_id, email, full_name, iso(at)),
        )

    def session_started(
        self, c: SqlCursor, token_digest: str, account_id: str, expires_at: datetime
    ) -> None:
        c.execute(
            "INSERT INTO portal_sessions (token_digest, account_id, expires_at) VALUES (?, ?, ?)",
            (token_digest, account_id, iso(expires_at)),
        )

    def session_ended(self, c: SqlCursor, token_digest: str) -> None:
        c.execute("DELETE FROM portal_sessions WHERE token_digest = ?", (token_digest,))


class PortalProjection(Projection[PortalView]):
    name = "portal"

    @singledispatchmethod
    @only_tracks
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def _(self, e: DeveloperAccount.Registered, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.account_registered(c, str(e.originator_id), e.email, e.full_name, e.timestamp)

    @process_event.register
    def _(self, e: DeveloperAccount.SessionStarted, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.session_started(c, e.token_digest, str(e.originator_id), e.expires_at)

    @process_event.register
    def _(self, e: DeveloperAccount.SessionEnded, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.session_ended(c, e.token_digest)
