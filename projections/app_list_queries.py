"""The application list's queries: one row per app with the fields of SPEC 7.

A row keeps the facts its status follows from (domain.status); the status people see is
derived from them at the time asked, in Python (`facts_of`) and in SQL (projections/status_sql).
The `status` column is the status as of the last change to those facts, for the expiry
recorder's bookkeeping and for readers without a clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.naming import normalise_name
from domain.status import Status, StatusFacts
from projections.status_sql import status_filter, status_sql
from projections.view import View

COLUMNS = (
    "id, group_id, type, preset, name, description, category, api_permission, status, "
    "entity_ids, created_at, updated_at, client_id, version, dev_email, dev_signed_up, "
    "invite_expires_at, otp_verified, otp_expires_at, linked_at, "
    "revoked, developer_linked, ever_had_developer, otp_locked"
)
SORTABLE = ("name", "created_at", "updated_at", "status", "type", "category")
# domain.status's facts -> the columns that hold them.
FACT_COLUMNS = {
    "revoked": "revoked",
    "developer_linked": "developer_linked",
    "app_type": "type",
    "ever_had_developer": "ever_had_developer",
    "otp_verified": "otp_verified",
    "otp_locked": "otp_locked",
    "otp_expires_at": "otp_expires_at",
}


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


def name_key(name: str) -> str:
    """The key names are searched and sorted by: the domain's own normalisation."""
    return normalise_name(name)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def facts_of(row: dict[str, Any]) -> StatusFacts:
    """The status facts of a row read through `COLUMNS`."""
    expires = row["otp_expires_at"]
    return StatusFacts(
        revoked=bool(row["revoked"]),
        developer_linked=bool(row["developer_linked"]),
        app_type=row["type"] or "",
        ever_had_developer=bool(row["ever_had_developer"]),
        otp_verified=bool(row["otp_verified"]),
        otp_locked=bool(row["otp_locked"]),
        otp_expires_at=None if expires is None else datetime.fromisoformat(expires),
    )


class AppListQueries(View):
    """The reads the edge calls; the tables and their changes are in app_list_view.py."""

    def get(self, app_id: str) -> dict[str, Any] | None:
        return self.db.query_one(f"SELECT {COLUMNS} FROM app_list WHERE id = ?", (app_id,))

    def expiry_candidates(self, now: str, limit: int = 500) -> list[str]:
        """Apps whose OTP or invite passed its time and has no expiry event yet."""
        expired, params = status_filter([Status.OTP_EXPIRED], FACT_COLUMNS, now)
        rows = self.db.query(
            f"SELECT id FROM app_list WHERE ({expired} AND otp_expiry_recorded = 0) "
            "OR (revoked = 0 AND dev_signed_up = 0 AND invite_expired = 0 "
            "AND invite_expires_at <= ?) ORDER BY id LIMIT ?",
            (*params, now, limit),
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
            clause, status_params = status_filter(
                [Status(s) for s in q.status], FACT_COLUMNS, q.now
            )
            where.append(clause)
            params += status_params
        for column, value in (("type", q.type), ("category", q.category)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        for column, value in (
            ("name_key", q.name and name_key(q.name)),
            ("dev_email", q.developer_email),
        ):
            if value:
                where.append(f"{column} LIKE ? ESCAPE '\\'")
                params.append(_like(value.lower()))
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
        sql_where = " AND ".join(where)
        order, order_params = self._order(q)
        with self.db.reading() as c:
            total = c.execute(
                f"SELECT COUNT(*) AS n FROM app_list WHERE {sql_where}", params
            ).scalar()
            rows = c.execute(
                f"SELECT {COLUMNS} FROM app_list WHERE {sql_where} ORDER BY {order} "
                "LIMIT ? OFFSET ?",
                [*params, *order_params, q.page_size, (q.page - 1) * q.page_size],
            ).fetchall()
        return rows, int(total)

    @staticmethod
    def _order(q: AppQuery) -> tuple[str, list[Any]]:
        direction = "DESC" if q.sort.startswith("-") else "ASC"
        column, params = q.sort.lstrip("-"), list[Any]()
        if column == "name":
            column = "name_key"  # names sort case-insensitively: "alpha" before "Beta"
        elif column == "status":  # the status shown at `now`, not the one last stored
            column, params = status_sql(FACT_COLUMNS, q.now)
        return f"{column} {direction}, id {direction}", params
