"""The application list: one row per app with the fields of SPEC 7, filterable and paged."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.apps import IntegrationApp
from domain.catalog import AIQ_INTEGRATE
from domain.developers import DeveloperAccount
from projections.sql import SqlCursor
from projections.view import View, iso

COLUMNS = (
    "id, group_id, type, preset, name, description, category, api_permission, status, "
    "entity_ids, created_at, updated_at, client_id, version, dev_email, dev_signed_up, "
    "invite_expires_at, otp_verified, otp_expires_at, linked_at"
)
SORTABLE = ("name", "created_at", "updated_at", "status", "type", "category")


@dataclass
class AppQuery:
    group_id: str
    now: str
    status: list[str] = field(default_factory=list)
    type: str | None = None
    category: str | None = None
    name: str | None = None
    developer_email: str | None = None
    entity_id: str | None = None
    created_from: str | None = None
    created_to: str | None = None
    sort: str = "-created_at"
    page: int = 1
    page_size: int = 20


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _status_clause(status: str, now: str) -> tuple[str, list[Any]]:
    # An OTP expires by the clock, before the expiry recorder writes its event.
    if status == "otp_expired":
        return (
            "(status = 'otp_expired' OR (status = 'pending_verification' AND otp_expires_at <= ?))",
            [now],
        )
    if status == "pending_verification":
        return "(status = 'pending_verification' AND otp_expires_at > ?)", [now]
    return "status = ?", [status]


class AppListView(View):
    name = "app_list"
    tables = ("app_list_entities", "app_list")
    schema = (
        "CREATE TABLE IF NOT EXISTS app_list (id TEXT PRIMARY KEY, group_id TEXT NOT NULL, "
        "type TEXT, preset TEXT, name TEXT, name_key TEXT, description TEXT, category TEXT, "
        "api_permission TEXT, status TEXT, entity_ids TEXT, created_at TEXT, updated_at TEXT, "
        "client_id TEXT, version INTEGER, dev_email TEXT, dev_signed_up INTEGER, "
        "invite_expires_at TEXT, otp_verified INTEGER, otp_expires_at TEXT, linked_at TEXT, "
        "invite_expired INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX IF NOT EXISTS app_list_group_created ON app_list (group_id, created_at)",
        "CREATE INDEX IF NOT EXISTS app_list_group_status ON app_list "
        "(group_id, status, created_at)",
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

    def get(self, app_id: str) -> dict[str, Any] | None:
        return self.db.query_one(f"SELECT {COLUMNS} FROM app_list WHERE id = ?", (app_id,))

    def expiry_candidates(self, now: str, limit: int = 500) -> list[str]:
        """Apps whose OTP or invite passed its time and has no expiry event yet."""
        rows = self.db.query(
            "SELECT id FROM app_list WHERE (status = 'pending_verification' "
            "AND otp_expires_at <= ?) OR (status <> 'revoked' AND dev_signed_up = 0 "
            "AND invite_expired = 0 AND invite_expires_at <= ?) ORDER BY id LIMIT ?",
            (now, now, limit),
        )
        return [r["id"] for r in rows]

    def of_developer(self, email: str) -> list[dict[str, Any]]:
        """The apps a developer is linked to now, newest first (the portal home)."""
        return self.db.query(
            f"SELECT {COLUMNS} FROM app_list WHERE dev_email = ? ORDER BY created_at DESC",
            (email,),
        )

    def search(self, q: AppQuery) -> tuple[list[dict[str, Any]], int]:
        where, params = ["group_id = ?"], [q.group_id]
        if q.status:
            clauses = [_status_clause(s, q.now) for s in q.status]
            where.append("(" + " OR ".join(c for c, _ in clauses) + ")")
            params += [p for _, ps in clauses for p in ps]
        for column, value in (("type", q.type), ("category", q.category)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        for column, value in (("name_key", q.name), ("dev_email", q.developer_email)):
            if value:
                where.append(f"{column} LIKE ? ESCAPE '\\'")
                params.append(_like(value))
        if q.entity_id:
            where.append(
                "EXISTS (SELECT 1 FROM app_list_entities e "
                "WHERE e.app_id = app_list.id AND e.entity_id = ?)"
            )
            params.append(q.entity_id)
        if q.created_from:
            where.append("created_at >= ?")
            params.append(q.created_from)
        if q.created_to:
            where.append("created_at <= ?")
            params.append(q.created_to)
        # Names sort case-insensitively: "alpha" belongs before "Beta".
        column = {"name": "name_key"}.get(q.sort.lstrip("-"), q.sort.lstrip("-"))
        order = "DESC" if q.sort.startswith("-") else "ASC"
        sql_where = " AND ".join(where)
        with self.db.reading() as c:
            total = c.execute(
                f"SELECT COUNT(*) AS n FROM app_list WHERE {sql_where}", params
            ).scalar()
            rows = c.execute(
                f"SELECT {COLUMNS} FROM app_list WHERE {sql_where} "
                f"ORDER BY {column} {order}, id {order} LIMIT ? OFFSET ?",
                [*params, q.page_size, (q.page - 1) * q.page_size],
            ).fetchall()
        return rows, int(total)


class AppListProjection(Projection[AppListView]):
    name = "app_list"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def _(self, e: IntegrationApp.Created, tracking: Tracking) -> None:
        status = "requested" if e.app_type == AIQ_INTEGRATE else "no_developer"
        with self.view.tracked(tracking) as c:
            c.execute(
                "INSERT INTO app_list (id, group_id, type, preset, name, name_key, description, "
                "category, api_permission, status, entity_ids, created_at, updated_at, "
                "client_id, version, dev_signed_up, otp_verified) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
                (
                    str(e.originator_id),
                    str(e.group_id),
                    e.app_type,
                    e.preset,
                    e.name,
                    e.name.lower(),
                    e.description,
                    e.category,
                    e.api_permission,
                    status,
                    json.dumps(e.entity_ids),
                    iso(e.timestamp),
                    iso(e.timestamp),
                    e.client_id,
                    e.originator_version,
                ),
            )
            self._set_entities(c, str(e.originator_id), e.entity_ids)

    @process_event.register
    def _(self, e: IntegrationApp.Edited, tracking: Tracking) -> None:
        changes = dict(e.changes)
        with self.view.tracked(tracking) as c:
            if "entity_ids" in changes:
                self._set_entities(c, str(e.originator_id), changes["entity_ids"])
                changes["entity_ids"] = json.dumps(changes["entity_ids"])
            self._update(c, e, **changes)

    @process_event.register
    def _(self, e: IntegrationApp.Revoked, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self._update(c, e, status="revoked")

    @process_event.register
    def _(self, e: IntegrationApp.DeveloperLinked, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self._update(
                c,
                e,
                status="pending_verification",
                dev_email=e.email,
                dev_signed_up=int(e.signed_up),
                invite_expires_at=iso(e.invite_expires_at),
                otp_verified=0,
                otp_expires_at=iso(e.otp_expires_at),
                linked_at=iso(e.linked_at),
                invite_expired=0,
            )

    @process_event.register
    def _(self, e: IntegrationApp.InviteResent, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self._update(c, e, invite_expires_at=iso(e.invite_expires_at), invite_expired=0)

    @process_event.register
    def _(self, e: IntegrationApp.OtpExpired, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self._update(c, e, status="otp_expired")

    @process_event.register
    def _(self, e: IntegrationApp.InviteExpired, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self._update(c, e, invite_expired=1)

    @process_event.register
    def _(self, e: IntegrationApp.DeveloperAccessRevoked, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self._update(
                c,
                e,
                status="no_developer",
                dev_email=None,
                dev_signed_up=0,
                invite_expires_at=None,
                otp_verified=0,
                otp_expires_at=None,
                linked_at=None,
            )

    @process_event.register
    def _(self, e: IntegrationApp.OtpReset, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self._update(
                c,
                e,
                status="pending_verification",
                otp_verified=0,
                otp_expires_at=iso(e.otp_expires_at),
            )

    @process_event.register
    def _(self, e: IntegrationApp.OtpAttemptFailed, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self._update(c, e, **({"status": "otp_locked"} if e.locked else {}))

    @process_event.register
    def _(self, e: IntegrationApp.OtpVerified, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self._update(c, e, status="active", otp_verified=1)

    @process_event.register
    def _(self, e: DeveloperAccount.Registered, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            c.execute("UPDATE app_list SET dev_signed_up = 1 WHERE dev_email = ?", (e.email,))

    @staticmethod
    def _update(c: SqlCursor, e: Any, **columns: Any) -> None:
        columns.update(updated_at=iso(e.timestamp), version=e.originator_version)
        assignments = ", ".join(f"{name} = ?" for name in columns)
        c.execute(
            f"UPDATE app_list SET {assignments} WHERE id = ?",
            [*columns.values(), str(e.originator_id)],
        )

    @staticmethod
    def _set_entities(c: SqlCursor, app_id: str, entity_ids: list[str]) -> None:
        c.execute("DELETE FROM app_list_entities WHERE app_id = ?", (app_id,))
        for entity_id in entity_ids:
            c.execute(
                "INSERT INTO app_list_entities (app_id, entity_id) VALUES (?, ?)",
                (app_id, entity_id),
            )
