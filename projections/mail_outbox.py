"""The mail outbox: one row per event that calls for an e-mail, written with its tracking.

Because the row and the position commit together, each such event yields exactly one row,
however often the projection restarts. Rows hold no secret: links and codes are derived from
ids with SECRET_KEY when the message is rendered (workers/mail_templates.py).
"""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.apps import IntegrationApp
from domain.catalog import MANAGED_TYPES
from domain.developers import Signup
from projections.sql import SqlCursor
from projections.view import View, iso


class MailOutboxView(View):
    name = "mail_outbox"
    tables = ("mail_outbox", "mail_apps")
    not_from_events = {"mail_outbox": ("status", "sent_at")}
    schema = (
        "CREATE TABLE IF NOT EXISTS mail_outbox (position BIGINT PRIMARY KEY, kind TEXT NOT NULL, "
        "app_id TEXT NOT NULL, recipient TEXT NOT NULL, data TEXT NOT NULL, status TEXT NOT NULL, "
        "created_at TEXT NOT NULL, sent_at TEXT)",
        "CREATE INDEX IF NOT EXISTS mail_outbox_status ON mail_outbox (status, position)",
        # What the e-mails say about an app, kept from its Created event.
        "CREATE TABLE IF NOT EXISTS mail_apps (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
        "type TEXT NOT NULL, preset TEXT, developer TEXT)",
    )

    def pending(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.db.query(
            "SELECT o.position, o.kind, o.recipient, o.data, a.name AS app_name "
            "FROM mail_outbox o LEFT JOIN mail_apps a ON a.id = o.app_id "
            "WHERE o.status = 'pending' ORDER BY o.position LIMIT ?",
            (limit,),
        )
        for row in rows:
            row["data"] = json.loads(row["data"])
        return rows

    def all_messages(self) -> list[dict[str, Any]]:
        return self.db.query(
            "SELECT position, kind, recipient, status FROM mail_outbox ORDER BY position"
        )


class MailOutboxProjection(Projection[MailOutboxView]):
    name = "mail_outbox"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def _(self, e: IntegrationApp.Created, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            c.execute(
                "INSERT INTO mail_apps (id, name, type, preset) VALUES (?, ?, ?, ?)",
                (str(e.originator_id), e.name, e.app_type, e.preset),
            )
            if e.app_type in MANAGED_TYPES:
                self._queue(
                    c,
                    tracking,
                    e,
                    "team_new_app",
                    "@team",
                    {
                        "type": e.app_type,
                        "preset": e.preset,
                        "requested_by": e.actor["name"],
                        "entities": len(e.entity_ids),
                    },
                )

    @process_event.register
    def _(self, e: IntegrationApp.DeveloperLinked, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            c.execute(
                "UPDATE mail_apps SET developer = ? WHERE id = ?", (e.email, str(e.originator_id))
            )
            kind = "app_linked" if e.signed_up else "invite"
            self._queue(
                c,
                tracking,
                e,
                kind,
                e.email,
                {"invite_id": e.invite_id, "expires_at": iso(e.invite_expires_at)},
            )

    @process_event.register
    def _(self, e: IntegrationApp.InviteResent, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self._queue(
                c,
                tracking,
                e,
                "invite",
                self._developer_of(c, e),
                {"invite_id": e.invite_id, "expires_at": iso(e.invite_expires_at)},
            )

    @process_event.register
    def _(self, e: IntegrationApp.OtpReset, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self._queue(
                c,
                tracking,
                e,
                "otp_reset",
                self._developer_of(c, e),
                {"expires_at": iso(e.otp_expires_at)},
            )

    @process_event.register
    def _(self, e: IntegrationApp.DeveloperAccessRevoked, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            c.execute("UPDATE mail_apps SET developer = NULL WHERE id = ?", (str(e.originator_id),))
            self._queue(c, tracking, e, "access_revoked", e.email, {})

    @process_event.register
    def _(self, e: Signup.Started | Signup.CodeReissued, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self._queue(
                c,
                tracking,
                e,
                "signup_code",
                e.email,
                {
                    "challenge_id": e.challenge_id,
                    "expires_at": iso(e.expires_at),
                    "app_id": str(e.app_id),
                },
            )

    @staticmethod
    def _queue(
        c: SqlCursor, tracking: Tracking, e: Any, kind: str, recipient: str, data: dict[str, Any]
    ) -> None:
        app_id = data.pop("app_id", str(e.originator_id))
        c.execute(
            "INSERT INTO mail_outbox (position, kind, app_id, recipient, data, status, "
            "created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)",
            (tracking.notification_id, kind, app_id, recipient, json.dumps(data), iso(e.timestamp)),
        )

    @staticmethod
    def _developer_of(c: SqlCursor, e: Any) -> str:
        row = c.execute(
            "SELECT developer FROM mail_apps WHERE id = ?", (str(e.originator_id),)
        ).fetchone()
        return str(row["developer"]) if row and row["developer"] else ""
