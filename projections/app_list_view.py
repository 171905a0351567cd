"""The application list's tables, and one named change per event that moves them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from projections.app_list_queries import FACT_COLUMNS, AppListQueries, name_key
from projections.sql import SqlCursor
from projections.status_sql import status_sql
from projections.view import iso

# Facts added after the first release; tables from before get them from what they stored.
ADDED_COLUMNS = {
    "revoked": "INTEGER NOT NULL DEFAULT 0",
    "developer_linked": "INTEGER NOT NULL DEFAULT 0",
    "ever_had_developer": "INTEGER NOT NULL DEFAULT 0",
    "otp_locked": "INTEGER NOT NULL DEFAULT 0",
    "otp_expiry_recorded": "INTEGER NOT NULL DEFAULT 0",
}
# The old `status` column tells these facts apart (a revoked app's other facts no longer
# matter to its status); `integrations replay app_list` shows what a rebuild would differ in.
BACKFILL = (
    "UPDATE app_list SET revoked = CASE WHEN status = 'revoked' THEN 1 ELSE 0 END, "
    "developer_linked = CASE WHEN dev_email IS NULL THEN 0 ELSE 1 END, "
    "ever_had_developer = CASE WHEN dev_email IS NOT NULL OR status = 'no_developer' "
    "THEN 1 ELSE 0 END, "
    "otp_locked = CASE WHEN status = 'otp_locked' THEN 1 ELSE 0 END, "
    "otp_expiry_recorded = CASE WHEN status = 'otp_expired' THEN 1 ELSE 0 END"
)
# What a developer link sets when it goes away.
NO_LINK = {
    "developer_linked": 0,
    "dev_email": None,
    "dev_signed_up": 0,
    "invite_expires_at": None,
    "otp_verified": 0,
    "otp_locked": 0,
    "otp_expires_at": None,
    "otp_expiry_recorded": 0,
    "linked_at": None,
}


@dataclass(frozen=True)
class Change:
    """Which app an event changed, when, and to which version of the aggregate."""

    app_id: str
    at: datetime
    version: int


class AppListView(AppListQueries):
    name = "app_list"
    tables = ("app_list_entities", "app_list")
    schema = (
        "CREATE TABLE IF NOT EXISTS app_list (id TEXT PRIMARY KEY, group_id TEXT NOT NULL, "
        "type TEXT, preset TEXT, name TEXT, name_key TEXT, description TEXT, category TEXT, "
        "api_permission TEXT, status TEXT, entity_ids TEXT, created_at TEXT, updated_at TEXT, "
        "client_id TEXT, version INTEGER, dev_email TEXT, dev_signed_up INTEGER, "
        "invite_expires_at TEXT, otp_verified INTEGER, otp_expires_at TEXT, linked_at TEXT, "
        "invite_expired INTEGER NOT NULL DEFAULT 0, "
        + ", ".join(f"{name} {kind}" for name, kind in ADDED_COLUMNS.items())
        + ")",
        "CREATE INDEX IF NOT EXISTS app_list_group_created ON app_list (group_id, created_at)",
        "CREATE INDEX IF NOT EXISTS app_list_group_name ON app_list (group_id, name_key)",
        "CREATE INDEX IF NOT EXISTS app_list_group_category ON app_list "
        "(group_id, category, name_key)",
        "CREATE INDEX IF NOT EXISTS app_list_dev_email ON app_list (dev_email)",
        "CREATE TABLE IF NOT EXISTS app_list_entities (app_id TEXT NOT NULL, "
        "entity_id TEXT NOT NULL, PRIMARY KEY (app_id, entity_id))",
        "CREATE INDEX IF NOT EXISTS app_list_entities_entity ON app_list_entities (entity_id)",
    )
    # Substring filters (name, developer e-mail) use trigram indexes where PostgreSQL has
    # pg_trgm; without it they still work, by scanning.
    postgres_schema = (
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX IF NOT EXISTS app_list_name_trgm ON app_list "
        "USING gin (name_key gin_trgm_ops)",
        "CREATE INDEX IF NOT EXISTS app_list_dev_email_trgm ON app_list "
        "USING gin (dev_email gin_trgm_ops)",
    )

    def create_tables(self) -> None:
        super().create_tables()
        self.add_missing_columns("app_list", ADDED_COLUMNS, _backfill)

    # -- one change per event; each runs in the event's transaction `c` ---------------------

    def app_created(
        self,
        c: SqlCursor,
        change: Change,
        *,
        group_id: str,
        app_type: str,
        preset: str | None,
        name: str,
        description: str,
        category: str | None,
        api_permission: str,
        entity_ids: list[str],
        client_id: str,
    ) -> None:
        c.execute(
            "INSERT INTO app_list (id, group_id, type, preset, name, name_key, description, "
            "category, api_permission, entity_ids, created_at, updated_at, client_id, version, "
            "dev_signed_up, otp_verified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
            (
                change.app_id,
                group_id,
                app_type,
                preset,
                name,
                name_key(name),
                description,
                category,
                api_permission,
                json.dumps(entity_ids),
                iso(change.at),
                iso(change.at),
                client_id,
                change.version,
            ),
        )
        self._set_entities(c, change.app_id, entity_ids)
        self._restate(c, change.app_id, change.at)

    def description_changed(self, c: SqlCursor, change: Change, description: str) -> None:
        self._update(c, change, description=description)

    def category_changed(self, c: SqlCursor, change: Change, category: str | None) -> None:
        self._update(c, change, category=category)

    def entities_changed(self, c: SqlCursor, change: Change, entity_ids: list[str]) -> None:
        self._set_entities(c, change.app_id, entity_ids)
        self._update(c, change, entity_ids=json.dumps(entity_ids))

    def app_revoked(self, c: SqlCursor, change: Change) -> None:
        self._update(c, change, revoked=1)
        self._restate(c, change.app_id, change.at)

    def developer_linked(
        self,
        c: SqlCursor,
        change: Change,
        *,
        email: str,
        signed_up: bool,
        invite_expires_at: datetime | None,
        otp_expires_at: datetime,
        linked_at: datetime,
    ) -> None:
        link = {
            **NO_LINK,
            "developer_linked": 1,
            "ever_had_developer": 1,
            "dev_email": email,
            "dev_signed_up": int(signed_up),
            "invite_expires_at": iso(invite_expires_at),
            "otp_expires_at": iso(otp_expires_at),
            "linked_at": iso(linked_at),
            "invite_expired": 0,
        }
        self._update(c, change, **link)
        self._restate(c, change.app_id, change.at)

    def developer_unlinked(self, c: SqlCursor, change: Change) -> None:
        self._update(c, change, **NO_LINK)
        self._restate(c, change.app_id, change.at)

    def developer_signed_up(self, c: SqlCursor, email: str) -> None:
        c.execute("UPDATE app_list SET dev_signed_up = 1 WHERE dev_email = ?", (email,))

    def invite_resent(self, c: SqlCursor, change: Change, invite_expires_at: datetime) -> None:
        self._update(c, change, invite_expires_at=iso(invite_expires_at), invite_expired=0)

    def invite_expired(self, c: SqlCursor, change: Change) -> None:
        self._update(c, change, invite_expired=1)

    def otp_reset(self, c: SqlCursor, change: Change, otp_expires_at: datetime) -> None:
        self._update(
            c,
            change,
            otp_verified=0,
            otp_locked=0,
            otp_expires_at=iso(otp_expires_at),
            otp_expiry_recorded=0,
        )
        self._restate(c, change.app_id, change.at)

    def otp_attempt_failed(self, c: SqlCursor, change: Change, locked: bool) -> None:
        self._update(c, change, **({"otp_locked": 1} if locked else {}))
        self._restate(c, change.app_id, change.at)

    def otp_verified(self, c: SqlCursor, change: Change) -> None:
        self._update(c, change, otp_verified=1)
        self._restate(c, change.app_id, change.at)

    def otp_expired(self, c: SqlCursor, change: Change, otp_expires_at: datetime) -> None:
        self._update(c, change, otp_expiry_recorded=1)
        # The event says the clock passed the expiry, whatever its own timestamp.
        self._restate(c, change.app_id, max(change.at, otp_expires_at))

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _update(c: SqlCursor, change: Change, **columns: Any) -> None:
        columns.update(updated_at=iso(change.at), version=change.version)
        assignments = ", ".join(f"{name} = ?" for name in columns)
        c.execute(
            f"UPDATE app_list SET {assignments} WHERE id = ?", [*columns.values(), change.app_id]
        )

    @staticmethod
    def _restate(c: SqlCursor, app_id: str, at: datetime) -> None:
        """Stores the status at `at`, by the same rules the queries apply at their `now`."""
        case, params = status_sql(FACT_COLUMNS, iso(at) or "")
        c.execute(f"UPDATE app_list SET status = {case} WHERE id = ?", [*params, app_id])

    @staticmethod
    def _set_entities(c: SqlCursor, app_id: str, entity_ids: list[str]) -> None:
        c.execute("DELETE FROM app_list_entities WHERE app_id = ?", (app_id,))
        for entity_id in entity_ids:
            c.execute(
                "INSERT INTO app_list_entities (app_id, entity_id) VALUES (?, ?)",
                (app_id, entity_id),
            )


def _backfill(c: SqlCursor) -> None:
    c.execute(BACKFILL)
    # Name keys stored before they followed domain.naming were only lower-cased.
    for row in c.execute("SELECT id, name FROM app_list").fetchall():
        c.execute(
            "UPDATE app_list SET name_key = ? WHERE id = ?", (name_key(row["name"]), row["id"])
        )
