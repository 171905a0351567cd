"""The mail outbox: one row per event that calls for an e-mail, written with its tracking.

Because the row and the position commit together, each such event yields exactly one row,
however often the projection restarts. Rows hold no secret: links and codes are derived from
ids with SECRET_KEY when the message is rendered (workers/mail_templates.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.apps import IntegrationApp
from domain.mail_policy import APP_DEVELOPER, RECIPIENT_SEPARATOR, Mail, mail_for
from projections.sql import SqlCursor, SqlDatabase
from projections.view import View, iso

# Delivery state, added to databases created before it existed (see `create_tables`).
DELIVERY_COLUMNS = {
    "attempts": "INTEGER NOT NULL DEFAULT 0",
    "next_attempt_at": "TEXT",
    "last_error": "TEXT",
    "set_aside_at": "TEXT",
}
APP_INDEX = "CREATE INDEX IF NOT EXISTS mail_outbox_app ON mail_outbox (app_id, position)"


class MailOutboxView(View):
    """Rows are `pending` (due at `next_attempt_at`), `sent`, or `set_aside` for good."""

    name = "mail_outbox"
    tables = ("mail_outbox", "mail_apps")
    not_from_events = {"mail_outbox": ("status", "sent_at", *DELIVERY_COLUMNS)}
    schema = (
        "CREATE TABLE IF NOT EXISTS mail_outbox (position BIGINT PRIMARY KEY, kind TEXT NOT NULL, "
        "app_id TEXT NOT NULL, recipient TEXT NOT NULL, data TEXT NOT NULL, status TEXT NOT NULL, "
        "created_at TEXT NOT NULL, sent_at TEXT, "
        + ", ".join(f"{name} {kind}" for name, kind in DELIVERY_COLUMNS.items())
        + ")",
        "CREATE INDEX IF NOT EXISTS mail_outbox_status ON mail_outbox (status, position)",
        APP_INDEX,  # for `delivery_problem`
        # What the e-mails say about an app, kept from its Created event.
        "CREATE TABLE IF NOT EXISTS mail_apps (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
        "type TEXT NOT NULL, preset TEXT, developer TEXT)",
    )

    def __init__(self, db: SqlDatabase) -> None:
        super().__init__(db)
        # Rows this process's projection has queued and committed: the sender looks again
        # when it grows (or when its poll comes round), not after every batch, most of which
        # queue none. Counted when the transaction ends (`wake`), so the sender never sees
        # the count of a row it cannot read yet.
        self.queued = 0
        self._queued_in_transaction = 0

    def create_tables(self) -> None:
        super().create_tables()
        # An outbox from before per-message retries: the added columns' defaults are right,
        # and `delivery_problem` needs the index.
        self.add_missing_columns("mail_outbox", DELIVERY_COLUMNS, lambda c: c.execute(APP_INDEX))

    # -- what the projection writes, in the event's transaction `c` --------------------------

    def app_created(
        self, c: SqlCursor, app_id: str, name: str, app_type: str, preset: str | None
    ) -> None:
        c.execute(
            "INSERT INTO mail_apps (id, name, type, preset) VALUES (?, ?, ?, ?)",
            (app_id, name, app_type, preset),
        )

    def developer_linked(self, c: SqlCursor, app_id: str, email: str) -> None:
        c.execute("UPDATE mail_apps SET developer = ? WHERE id = ?", (email, app_id))

    def developer_unlinked(self, c: SqlCursor, app_id: str) -> None:
        c.execute("UPDATE mail_apps SET developer = NULL WHERE id = ?", (app_id,))

    def queue(self, c: SqlCursor, position: int, mail: Mail, at: datetime) -> None:
        """One pending row for the event at `position` (its primary key: never two)."""
        recipients = []
        for recipient in mail.recipients:
            if recipient == APP_DEVELOPER:
                row = c.execute("SELECT developer FROM mail_apps WHERE id = ?", (mail.app_id,))
                found = row.fetchone()
                recipient = str(found["developer"]) if found and found["developer"] else ""
            if recipient:
                recipients.append(recipient)
        recipient = RECIPIENT_SEPARATOR.join(recipients)
        c.execute(
            "INSERT INTO mail_outbox (position, kind, app_id, recipient, data, status, "
            "created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)",
            (position, mail.kind.value, mail.app_id, recipient, json.dumps(mail.data), iso(at)),
        )
        with self._progress:  # the sender's stop wakes this view from another thread
            self._queued_in_transaction += 1

    def wake(self) -> None:
        # After a commit. A failed transaction's rows are counted at the next one's: at
        # worst one needless look for the sender.
        with self._progress:
            self.queued += self._queued_in_transaction
            self._queued_in_transaction = 0
        super().wake()

    # -- delivery state: only the mail sender moves it -------------------------------------

    def pending(self, now: datetime, limit: int = 50) -> list[dict[str, Any]]:
        """The rows due at `now`, oldest first; a row waiting for its retry is not among them."""
        rows = self.db.query(
            "SELECT o.position, o.kind, o.app_id, o.recipient, o.data, o.attempts, "
            "a.name AS app_name FROM mail_outbox o LEFT JOIN mail_apps a ON a.id = o.app_id "
            "WHERE o.status = 'pending' AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?) "
            "ORDER BY o.position LIMIT ?",
            (iso(now), limit),
        )
        for row in rows:
            row["data"] = json.loads(row["data"])
        return rows

    @contextmanager
    def claim(self, position: int, at: datetime) -> Iterator[bool]:
        """Marks a pending row sent, committed when the block ends; False if another sender
        has it. The message is finished only after this commit (adapters/mailer.py)."""
        with self.db.transaction() as c:
            claimed = c.execute(
                "UPDATE mail_outbox SET status = 'sent', sent_at = ? "
                "WHERE position = ? AND status = 'pending' RETURNING position",
                (iso(at), position),
            ).fetchone()
            yield claimed is not None

    def requeue(
        self, position: int, error: str, next_attempt_at: datetime, *, claimed: bool = False
    ) -> bool:
        """One more failed attempt: due again at `next_attempt_at`. `claimed` when this sender
        had marked it sent (the server refused the end); otherwise only a pending row."""
        with self.db.transaction() as c:
            row = c.execute(
                "UPDATE mail_outbox SET status = 'pending', sent_at = NULL, "
                "attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
                "WHERE position = ? AND status = ? RETURNING position",
                (error, iso(next_attempt_at), position, "sent" if claimed else "pending"),
            ).fetchone()
        return row is not None

    def set_aside(self, position: int, error: str, at: datetime) -> bool:
        """A pending row is never to be tried again; False if it is no longer pending."""
        with self.db.transaction() as c:
            row = c.execute(
                "UPDATE mail_outbox SET status = 'set_aside', sent_at = NULL, "
                "attempts = attempts + 1, last_error = ?, set_aside_at = ?, next_attempt_at = NULL "
                "WHERE position = ? AND status = 'pending' RETURNING position",
                (error, iso(at), position),
            ).fetchone()
        return row is not None

    def delivery_problem(self, app_id: str, recipient: str) -> dict[str, Any] | None:
        """The app's latest mail to `recipient` if it was set aside: a later mail that went
        out, or one still on its way (e.g. a resent invite), clears it."""
        row = self.db.query_one(
            "SELECT kind, recipient, status, last_error, set_aside_at FROM mail_outbox "
            "WHERE app_id = ? AND recipient = ? ORDER BY position DESC LIMIT 1",
            (app_id, recipient),
        )
        if row is None or row["status"] != "set_aside":
            return None
        return {
            "kind": row["kind"],
            "recipient": row["recipient"],
            "reason": row["last_error"],
            "at": row["set_aside_at"],
        }

    def all_messages(self) -> list[dict[str, Any]]:
        return self.db.query(
            "SELECT position, kind, recipient, status, attempts, last_error, next_attempt_at "
            "FROM mail_outbox ORDER BY position"
        )


class MailOutboxProjection(Projection[MailOutboxView]):
    """Keeps what the e-mails say about each app, and stores the mail domain.mail_policy
    calls for; which event sends what is decided there, not here."""

    name = "mail_outbox"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self._store_mail(domain_event, tracking)

    @process_event.register
    def _(self, e: IntegrationApp.Created, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.app_created(c, str(e.originator_id), e.name, e.app_type, e.preset)
            self._queue(c, e, tracking)

    @process_event.register
    def _(self, e: IntegrationApp.DeveloperLinked, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.developer_linked(c, str(e.originator_id), e.email)
            self._queue(c, e, tracking)

    @process_event.register
    def _(self, e: IntegrationApp.DeveloperAccessRevoked, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.developer_unlinked(c, str(e.originator_id))
            self._queue(c, e, tracking)

    def _store_mail(self, e: Any, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self._queue(c, e, tracking)

    def _queue(self, c: SqlCursor, e: Any, tracking: Tracking) -> None:
        mail = mail_for(e)
        if mail is not None:
            self.view.queue(c, tracking.notification_id, mail, e.timestamp)
