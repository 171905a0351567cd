"""The application list's tables, and one named change per event that moves them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.status import settled_status_of, status_of
from projections.app_list_queries import (
    FACT_COLUMNS,
    SETTLED_STATUS,
    AppListQueries,
    facts_of,
    name_key,
)
from projections.sql import SqlCursor
from projections.status_sql import status_sql
from projections.view import iso

# Added with product plans (SPEC 11), first of all: the other additions' backfills read every
# fact column. 0 is right for every row from before (no group had left AIQ3).
PLAN_COLUMNS = {"suspended": "INTEGER NOT NULL DEFAULT 0"}
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
# Credentials (SPEC 14), added later. NULL is right for the apps from before: their secrets
# never expire, they had no allowlist and no keys, so no backfill is needed.
CREDENTIAL_COLUMNS = {
    "allowed_ips": "TEXT",
    "secret_expires_at": "TEXT",
    "secret_warned_days": "INTEGER",
    "client_keys": "TEXT",
    "secret_ended": "INTEGER",
}
# Partner integrations (SPEC 12): the listing an installation came from, and its partner.
PARTNER_COLUMNS = {"listing_id": "TEXT", "partner": "TEXT"}
# The app's quota on SOAP calls (SPEC 15); NULL: the deployment's default.
QUOTA_COLUMNS = {"rate_limit": "INTEGER"}
SECRET_EXPIRY_INDEX = (
    "CREATE INDEX IF NOT EXISTS app_list_group_secret_expiry ON app_list "
    "(group_id, secret_expires_at)"
)
# What a developer link sets when it goes away.
NO_LINK: dict[str, Any] = {
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
# A new app's row, before its own fields: no facts yet, no developer.
NEW_ROW: dict[str, Any] = {
    **NO_LINK,
    **dict.fromkeys(ADDED_COLUMNS, 0),
    **dict.fromkeys(PLAN_COLUMNS, 0),
    **dict.fromkeys(CREDENTIAL_COLUMNS),
    **dict.fromkeys(PARTNER_COLUMNS),
    **dict.fromkeys(QUOTA_COLUMNS),
    "invite_expired": 0,
    "status": None,
    SETTLED_STATUS: None,
}


@dataclass(frozen=True)
class Change:
    """Which app an event changed, when, and to which version of the aggregate."""

    app_id: str
    at: datetime
    version: int


class AppListView(AppListQueries):
    name = "app_list"
    tables = ("app_list_entities", "app_list", "app_list_groups")
    schema = (
        "CREATE TABLE IF NOT EXISTS app_list (id TEXT PRIMARY KEY, group_id TEXT NOT NULL, "
        "type TEXT, preset TEXT, name TEXT, name_key TEXT, description TEXT, category TEXT, "
        "api_permission TEXT, status TEXT, entity_ids TEXT, created_at TEXT, updated_at TEXT, "
        "client_id TEXT, version INTEGER, dev_email TEXT, dev_signed_up INTEGER, "
        "invite_expires_at TEXT, otp_verified INTEGER, otp_expires_at TEXT, linked_at TEXT, "
        "invite_expired INTEGER NOT NULL DEFAULT 0, "
        + ", ".join(
            f"{name} {kind}"
            for name, kind in {
                **ADDED_COLUMNS,
                **SETTLED_COLUMNS,
                **CREDENTIAL_COLUMNS,
                **PLAN_COLUMNS,
                **PARTNER_COLUMNS,
                **QUOTA_COLUMNS,
            }.items()
        )
        + ")",
        "CREATE INDEX IF NOT EXISTS app_list_group_created ON app_list (group_id, created_at)",
        "CREATE INDEX IF NOT EXISTS app_list_group_name ON app_list (group_id, name_key)",
        "CREATE INDEX IF NOT EXISTS app_list_group_category ON app_list "
        "(group_id, category, name_key)",
        "CREATE INDEX IF NOT EXISTS app_list_dev_email ON app_list (dev_email)",
        *LIST_INDEXES,
        SECRET_EXPIRY_INDEX,
        "CREATE TABLE IF NOT EXISTS app_list_entities (app_id TEXT NOT NULL, "
        "entity_id TEXT NOT NULL, "
        + ", ".join(f"{name} {kind}" for name, kind in ENTITY_COLUMNS.items())
        + ", PRIMARY KEY (app_id, entity_id))",
        "CREATE INDEX IF NOT EXISTS app_list_entities_entity ON app_list_entities (entity_id)",
        ENTITY_INDEX,
        # Groups whose apps are suspended (off AIQ3), for the apps they create later.
        "CREATE TABLE IF NOT EXISTS app_list_groups (group_id TEXT PRIMARY KEY, "
        "suspended INTEGER NOT NULL)",
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
        self.add_missing_columns("app_list", PLAN_COLUMNS, lambda c: None)
        self.add_missing_columns("app_list", ADDED_COLUMNS, _backfill)
        self.add_missing_columns("app_list", SETTLED_COLUMNS, _settle)
        self.add_missing_columns("app_list_entities", ENTITY_COLUMNS, _group_entities)
        self.add_missing_columns(
            "app_list", CREDENTIAL_COLUMNS, lambda c: c.execute(SECRET_EXPIRY_INDEX)
        )
        self.add_missing_columns("app_list", PARTNER_COLUMNS, lambda c: None)
        self.add_missing_columns("app_list", QUOTA_COLUMNS, lambda c: None)

    # -- one change per event, folded into the batch's rows (see `flush`) --------------------
    # Each change takes the event's transaction `c`, to read a row the batch has not met yet.

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
        row = {
            **NEW_ROW,
            "id": change.app_id,
            "group_id": group_id,
            "type": app_type,
            "preset": preset,
            "name": name,
            "name_key": name_key(name),
            "description": description,
            "category": category,
            "api_permission": api_permission,
            "entity_ids": json.dumps(entity_ids),
            "created_at": iso(change.at),
            "updated_at": iso(change.at),
            "client_id": client_id,
            "version": change.version,
            "suspended": self._group_suspended(c, group_id),
        }
        self._rows()[change.app_id] = PendingRow(
            row, new=True, entities=entity_ids, restate_at=change.at
        )

    def description_changed(self, c: SqlCursor, change: Change, description: str) -> None:
        self._update(c, change, description=description)

    def category_changed(self, c: SqlCursor, change: Change, category: str | None) -> None:
        self._update(c, change, category=category)

    def entities_changed(self, c: SqlCursor, change: Change, entity_ids: list[str]) -> None:
        pending = self._update(c, change, entity_ids=json.dumps(entity_ids))
        if pending is not None:
            pending.entities = entity_ids

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
        """Every app linked to `email`: those of this batch, and those written before."""
        for pending in self._rows().values():
            if pending.row["dev_email"] == email:
                pending.row["dev_signed_up"] = 1
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

    def partner_installed(
        self, c: SqlCursor, change: Change, listing_id: str, partner: str
    ) -> None:
        self._update(c, change, listing_id=listing_id, partner=partner)

    def rate_limit_changed(self, c: SqlCursor, change: Change, limit: int | None) -> None:
        self._update(c, change, rate_limit=limit)

    def allowed_ips_changed(self, c: SqlCursor, change: Change, allowed_ips: list[str]) -> None:
        self._update(c, change, allowed_ips=json.dumps(allowed_ips))

    def secret_issued(self, c: SqlCursor, change: Change, expires_at: datetime | None) -> None:
        self._update(
            c, change, secret_expires_at=iso(expires_at), secret_warned_days=None, secret_ended=0
        )

    def secrets_ended(self, c: SqlCursor, change: Change) -> None:
        self._update(c, change, secret_expires_at=None, secret_warned_days=None, secret_ended=1)

    def secret_expiry_warned(self, c: SqlCursor, change: Change, days: int) -> None:
        self._update(c, change, secret_warned_days=days)

    def client_key_added(self, c: SqlCursor, change: Change, jwk: dict[str, Any]) -> None:
        pending = self._pending(c, change.app_id)
        if pending is not None:
            keys = [*json.loads(pending.row["client_keys"] or "[]"), jwk]
            self._update(c, change, client_keys=json.dumps(keys))

    def client_key_removed(self, c: SqlCursor, change: Change, kid: str) -> None:
        pending = self._pending(c, change.app_id)
        if pending is not None:
            keys = [k for k in json.loads(pending.row["client_keys"] or "[]") if k["kid"] != kid]
            self._update(c, change, client_keys=json.dumps(keys))

    def plan_changed(self, c: SqlCursor, group_id: str, suspended: bool, at: datetime) -> None:
        """The group left or returned to AIQ3: every app of it, in this batch and written
        before, is suspended or has its other facts' status again (SPEC 11). Not an edit of
        the apps: their version and updated_at stay."""
        flag = int(suspended)
        c.execute(
            "INSERT INTO app_list_groups (group_id, suspended) VALUES (?, ?) "
            "ON CONFLICT (group_id) DO UPDATE SET suspended = excluded.suspended",
            (group_id, flag),
        )
        self._suspended()[group_id] = flag
        for pending in self._rows().values():
            if pending.row["group_id"] == group_id:
                pending.row["suspended"] = flag
                pending.restate_at = at
        # The statuses as the new fact makes them: SET reads the row as it was, so the
        # fact's column is read as the value it is getting.
        facts = {**FACT_COLUMNS, "suspended": str(flag)}
        settled, settled_params = status_sql(facts, None)
        current, current_params = status_sql(facts, iso(at))
        c.execute(
            f"UPDATE app_list SET suspended = ?, {SETTLED_STATUS} = {settled}, "
            f"status = {current} WHERE group_id = ?",
            (flag, *settled_params, *current_params, group_id),
        )

    def _group_suspended(self, c: SqlCursor, group_id: str) -> int:
        """Read once per group, then kept while the runner's batches follow one another (see
        `View.forget`): a read inside the batch's pipeline waits for the server, and a rebuild
        creates thousands of apps in a handful of groups (it was a third of the app list's
        rebuild time)."""
        known = self._suspended()
        if group_id not in known:
            row = c.execute(
                "SELECT suspended FROM app_list_groups WHERE group_id = ?", (group_id,)
            ).fetchone()
            known[group_id] = int(row["suspended"]) if row else 0
        return known[group_id]

    # -- the batch's rows, written once each ------------------------------------------------

    def flush(self, c: SqlCursor) -> None:
        """Writes every row the batch changed, in one statement per kind of write (new rows,
        changed rows, their entities) instead of one per event: a rebuild's events mostly
        change apps created in the same batch, which are then inserted as they end up."""
        rows = self._rows()
        if not rows:
            return
        for pending in rows.values():
            pending.restate()
        changed = [p for p in rows.values() if not p.new]
        _insert_rows(c, [p.row for p in rows.values() if p.new])
        _update_rows(c, [p.row for p in changed])
        replaced = [(p.row["id"],) for p in changed if p.entities is not None]
        if replaced:
            c.executemany("DELETE FROM app_list_entities WHERE app_id = ?", replaced)
        links = [
            (p.row["id"], entity_id, p.row["group_id"])
            for p in rows.values()
            for entity_id in p.entities or ()
        ]
        c.insert_many("app_list_entities", ("app_id", "entity_id", "group_id"), links)
        rows.clear()

    def discard(self) -> None:
        self._rows().clear()

    def forget(self) -> None:
        self._suspended().clear()

    def _rows(self) -> dict[str, PendingRow]:
        """This thread's rows changed and not written yet (each runner thread has its own)."""
        rows: dict[str, PendingRow] | None = getattr(self._batch, "rows", None)
        if rows is None:
            rows = self._batch.rows = {}
        return rows

    def _suspended(self) -> dict[str, int]:
        """The groups this thread has met: whether their apps are suspended."""
        groups: dict[str, int] | None = getattr(self._batch, "groups", None)
        if groups is None:
            groups = self._batch.groups = {}
        return groups

    def _update(
        self, c: SqlCursor, change: Change, restate_at: datetime | None = None, **columns: Any
    ) -> PendingRow | None:
        """Sets `columns` on the app's row; with `restate_at`, its status is worked out again
        for that moment when the batch is written (only these changes move the facts, so the
        last one's moment and the final facts give the status that event by event would)."""
        pending = self._pending(c, change.app_id)
        if pending is None:
            return None  # an app this view never had (e.g. created before it existed)
        pending.row.update(columns, updated_at=iso(change.at), version=change.version)
        if restate_at is not None:
            pending.restate_at = restate_at
        return pending

    def _pending(self, c: SqlCursor, app_id: str) -> PendingRow | None:
        rows = self._rows()
        if app_id not in rows:
            row = c.execute("SELECT * FROM app_list WHERE id = ?", (app_id,)).fetchone()
            if row is None:
                return None
            rows[app_id] = PendingRow(row, new=False)
        return rows[app_id]


class PendingRow:
    """An app's row as the batch's events so far left it."""

    def __init__(
        self,
        row: dict[str, Any],
        new: bool,
        entities: list[str] | None = None,
        restate_at: datetime | None = None,
    ) -> None:
        self.row = row
        self.new = new  # not in the table yet
        self.entities = entities  # its entities, when this batch set them
        self.restate_at = restate_at  # the last change of facts, if any

    def restate(self) -> None:
        """The stored status at the last change of facts, and the settled status, by the
        rules the queries apply (domain.status)."""
        if self.restate_at is not None:
            facts = facts_of(self.row)
            self.row["status"] = status_of(facts, self.restate_at).value
            self.row[SETTLED_STATUS] = settled_status_of(facts).value
            self.restate_at = None


def _insert_rows(c: SqlCursor, rows: list[dict[str, Any]]) -> None:
    for columns, same in _by_columns(rows).items():
        c.insert_many("app_list", columns, [[row[name] for name in columns] for row in same])


def _update_rows(c: SqlCursor, rows: list[dict[str, Any]]) -> None:
    for columns, same in _by_columns(rows).items():
        names = [name for name in columns if name != "id"]
        c.executemany(
            f"UPDATE app_list SET {', '.join(f'{name} = ?' for name in names)} WHERE id = ?",
            [[*(row[name] for name in names), row["id"]] for row in same],
        )


def _by_columns(rows: list[dict[str, Any]]) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """Rows grouped by the columns they hold (a new row has this release's, a row read back
    the table's), so that each group is one statement."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    return groups


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
