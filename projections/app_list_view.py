"""The application list's tables, and one named change per event that moves them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.status import StatusFacts, settled_status_of, status_of
from projections.app_list_queries import FACT_COLUMNS, SETTLED_STATUS, AppListQueries, name_key
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
# Added after the facts, and worked out from them: the status before any moment is reached,
# what the list filters and sorts on (projections/status_sql.py).
SETTLED_COLUMNS = {SETTLED_STATUS: "TEXT"}
# Added with it, so that every filter and sort of the list reads an index, not the table: a
# status filter and its count (the moment is there for the clock's statuses), the status
# sort (status by status, in id order), and the sorts that had none. Each sort ends with id.
LIST_INDEXES = (
    "CREATE INDEX IF NOT EXISTS app_list_group_settled ON app_list "
    f"(group_id, {SETTLED_STATUS}, created_at, otp_expires_at)",
    "CREATE INDEX IF NOT EXISTS app_list_group_settled_id ON app_list "
    f"(group_id, {SETTLED_STATUS}, id)",
    "CREATE INDEX IF NOT EXISTS app_list_group_updated ON app_list (group_id, updated_at)",
    "CREATE INDEX IF NOT EXISTS app_list_group_type ON app_list (group_id, type, id)",
    "CREATE INDEX IF NOT EXISTS app_list_group_category_id ON app_list (group_id, category, id)",
)
# With the default sample, PostgreSQL guesses that a substring such as "0587" matches 1% of
# the names, and reads the whole group in date order to find the 20 that do (~90 ms over
# 100k apps); with these samples it sees how few match and reads them from the trigram index.
SUBSTRING_STATISTICS = tuple(
    f"ALTER TABLE app_list ALTER COLUMN {column} SET STATISTICS 1000"
    for column in ("name_key", "dev_email")
)
# Added with them: an app's group beside its entities, so that the apps of one entity are
# counted in this table alone (AppListQueries.search).
ENTITY_COLUMNS = {"group_id": "TEXT"}
ENTITY_INDEX = (
    "CREATE INDEX IF NOT EXISTS app_list_entities_group ON app_list_entities (group_id, entity_id)"
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
        + ", ".join(f"{name} {kind}" for name, kind in {**ADDED_COLUMNS, **SETTLED_COLUMNS}.items())
        + ")",
        "CREATE INDEX IF NOT EXISTS app_list_group_created ON app_list (group_id, created_at)",
        "CREATE INDEX IF NOT EXISTS app_list_group_name ON app_list (group_id, name_key)",
        "CREATE INDEX IF NOT EXISTS app_list_group_category ON app_list "
        "(group_id, category, name_key)",
        "CREATE INDEX IF NOT EXISTS app_list_dev_email ON app_list (dev_email)",
        *LIST_INDEXES,
        "CREATE TABLE IF NOT EXISTS app_list_entities (app_id TEXT NOT NULL, "
        "entity_id TEXT NOT NULL, "
        + ", ".join(f"{name} {kind}" for name, kind in ENTITY_COLUMNS.items())
        + ", PRIMARY KEY (app_id, entity_id))",
        "CREATE INDEX IF NOT EXISTS app_list_entities_entity ON app_list_entities (entity_id)",
        ENTITY_INDEX,
    )
    # Substring filters (name, developer e-mail) use trigram indexes where PostgreSQL has
    # pg_trgm; without it they still work, by scanning.
    postgres_schema = (
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX IF NOT EXISTS app_list_name_trgm ON app_list "
        "USING gin (name_key gin_trgm_ops)",
        "CREATE INDEX IF NOT EXISTS app_list_dev_email_trgm ON app_list "
        "USING gin (dev_email gin_trgm_ops)",
        *SUBSTRING_STATISTICS,
    )

    def create_tables(self) -> None:
        super().create_tables()
        self.add_missing_columns("app_list", ADDED_COLUMNS, _backfill)
        self.add_missing_columns("app_list", SETTLED_COLUMNS, _settle)
        self.add_missing_columns("app_list_entities", ENTITY_COLUMNS, _group_entities)

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
        facts = StatusFacts(app_type=app_type)  # those of the row as inserted
        c.execute(
            "INSERT INTO app_list (id, group_id, type, preset, name, name_key, description, "
            "category, api_permission, entity_ids, created_at, updated_at, client_id, version, "
            "status, settled_status, dev_signed_up, otp_verified) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
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
                status_of(facts, change.at),
                settled_status_of(facts),
            ),
        )
        self._set_entities(c, change.app_id, entity_ids)

    def description_changed(self, c: SqlCursor, change: Change, description: str) -> None:
        self._update(c, change, description=description)

    def category_changed(self, c: SqlCursor, change: Change, category: str | None) -> None:
        self._update(c, change, category=category)

    def entities_changed(self, c: SqlCursor, change: Change, entity_ids: list[str]) -> None:
        self._set_entities(c, change.app_id, entity_ids)
        self._update(c, change, entity_ids=json.dumps(entity_ids))

    def app_revoked(self, c: SqlCursor, change: Change) -> None:
        self._update(c, change, restate_at=change.at, revoked=1)

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
        self._update(c, change, restate_at=change.at, **link)

    def developer_unlinked(self, c: SqlCursor, change: Change) -> None:
        self._update(c, change, restate_at=change.at, **NO_LINK)

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
            restate_at=change.at,
            otp_verified=0,
            otp_locked=0,
            otp_expires_at=iso(otp_expires_at),
            otp_expiry_recorded=0,
        )

    def otp_attempt_failed(self, c: SqlCursor, change: Change, locked: bool) -> None:
        self._update(c, change, restate_at=change.at, **({"otp_locked": 1} if locked else {}))

    def otp_verified(self, c: SqlCursor, change: Change) -> None:
        self._update(c, change, restate_at=change.at, otp_verified=1)

    def otp_expired(self, c: SqlCursor, change: Change, otp_expires_at: datetime) -> None:
        # The event says the clock passed the expiry, whatever its own timestamp.
        self._update(c, change, restate_at=max(change.at, otp_expires_at), otp_expiry_recorded=1)

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _update(
        c: SqlCursor, change: Change, restate_at: datetime | None = None, **columns: Any
    ) -> None:
        """Sets `columns`; with `restate_at`, also the status at that time and the settled
        status, by the same rules the queries apply, in the same statement: the facts it
        sets are given to the rules as they are set, the others are read from the row."""
        columns.update(updated_at=iso(change.at), version=change.version)
        assignments, params = [f"{name} = ?" for name in columns], list(columns.values())
        if restate_at is not None:
            known = {fact: columns[col] for fact, col in FACT_COLUMNS.items() if col in columns}
            for column, now in (("status", iso(restate_at)), (SETTLED_STATUS, None)):
                case, case_params = status_sql(FACT_COLUMNS, now, known)
                assignments.append(f"{column} = {case}")
                params += case_params
        c.execute(
            f"UPDATE app_list SET {', '.join(assignments)} WHERE id = ?", [*params, change.app_id]
        )

    @staticmethod
    def _set_entities(c: SqlCursor, app_id: str, entity_ids: list[str]) -> None:
        c.execute("DELETE FROM app_list_entities WHERE app_id = ?", (app_id,))
        for entity_id in entity_ids:
            c.execute(
                "INSERT INTO app_list_entities (app_id, entity_id, group_id) "
                "SELECT id, ?, group_id FROM app_list WHERE id = ?",
                (entity_id, app_id),
            )


def _settle(c: SqlCursor) -> None:
    case, params = status_sql(FACT_COLUMNS, None)
    c.execute(f"UPDATE app_list SET {SETTLED_STATUS} = {case}", params)
    for index in LIST_INDEXES:
        c.execute(index)
    if c.dialect == "postgres":
        for statement in SUBSTRING_STATISTICS:
            c.execute(statement)


def _group_entities(c: SqlCursor) -> None:
    c.execute(
        "UPDATE app_list_entities SET group_id = "
        "(SELECT group_id FROM app_list WHERE app_list.id = app_list_entities.app_id)"
    )
    c.execute(ENTITY_INDEX)


def _backfill(c: SqlCursor) -> None:
    c.execute(BACKFILL)
    # Name keys stored before they followed domain.naming were only lower-cased.
    for row in c.execute("SELECT id, name FROM app_list").fetchall():
        c.execute(
            "UPDATE app_list SET name_key = ? WHERE id = ?", (name_key(row["name"]), row["id"])
        )
