"""The application list's queries: one row per app with the fields of SPEC 7.

A row keeps the facts its status follows from (domain.status); the status people see is
derived from them at the time asked, in Python (`facts_of`) and in SQL (projections/status_sql)
from the `settled_status` column, the status before any moment is reached, and the moments.
The `status` column is the status as of the last change to those facts, for the expiry
recorder's bookkeeping and for readers without a clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from domain.apps import SECRET_WARNING_DAYS
from domain.naming import normalise_name
from domain.status import Status, StatusFacts
from projections.sql import SqlCursor
from projections.status_sql import status_filter
from projections.view import View, iso

COLUMNS = (
    "id, group_id, type, preset, name, description, category, api_permission, status, "
    "entity_ids, created_at, updated_at, client_id, version, dev_email, dev_signed_up, "
    "invite_expires_at, otp_verified, otp_expires_at, linked_at, "
    "revoked, suspended, developer_linked, ever_had_developer, otp_locked, "
    "allowed_ips, secret_expires_at, secret_warned_days, client_keys, secret_ended, "
    "listing_id, partner, rate_limit"
)
SORTABLE = ("name", "created_at", "updated_at", "status", "type", "category")
# domain.status's facts -> the columns that hold them.
FACT_COLUMNS = {
    "revoked": "revoked",
    "suspended": "suspended",
    "developer_linked": "developer_linked",
    "app_type": "type",
    "ever_had_developer": "ever_had_developer",
    "otp_verified": "otp_verified",
    "otp_locked": "otp_locked",
    "otp_expires_at": "otp_expires_at",
}
# The column of the status before any moment is reached (projections.status_sql).
SETTLED_STATUS = "settled_status"
IN_GROUP = "group_id = ?"
OF_ENTITY = (
    "EXISTS (SELECT 1 FROM app_list_entities e WHERE e.app_id = app_list.id AND e.entity_id = ?)"
)


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
    secret_expires_before: str | None = None
    unused_since: str | None = None
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
        suspended=bool(row["suspended"]),
        developer_linked=bool(row["developer_linked"]),
        app_type=row["type"] or "",
        ever_had_developer=bool(row["ever_had_developer"]),
        otp_verified=bool(row["otp_verified"]),
        otp_locked=bool(row["otp_locked"]),
        otp_expires_at=None if expires is None else datetime.fromisoformat(expires),
    )


class AppListQueries(View):
    """The reads the edge calls; the tables and their changes are in app_list_view.py."""

    def get(self, app_id: str, with_last_used: bool = False) -> dict[str, Any] | None:
        """The app's row; `with_last_used`: and its `last_used_at`, in the same read (the
        table is kept beside the views, adapters/usage.py)."""
        last_used = (
            ", (SELECT u.at FROM usage_last_used u WHERE u.app_id = app_list.id) AS last_used_at"
            if with_last_used
            else ""
        )
        return self.db.query_one(
            f"SELECT {COLUMNS}{last_used} FROM app_list WHERE id = ?", (app_id,)
        )

    def many(self, app_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The rows of these apps, by id (any group's: for the vendor's team)."""
        rows: dict[str, dict[str, Any]] = {}
        for start in range(0, len(app_ids), 500):
            chunk = app_ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for row in self.db.query(
                f"SELECT {COLUMNS} FROM app_list WHERE id IN ({marks})", chunk
            ):
                rows[row["id"]] = row
        return rows

    def expiry_candidates(self, now: str, limit: int = 500) -> list[str]:
        """Apps whose OTP or invite passed its time and has no expiry event yet, and apps
        whose client secret is due a warning it has not had (SPEC 14: 30, 7, 1 days)."""
        expired, params = status_filter([Status.OTP_EXPIRED], SETTLED_STATUS, FACT_COLUMNS, now)
        moment = datetime.fromisoformat(now)
        warnings = " OR ".join(
            "(secret_expires_at <= ? AND (secret_warned_days IS NULL OR secret_warned_days > ?))"
            for _ in SECRET_WARNING_DAYS
        )
        warning_params: list[Any] = []
        for days in SECRET_WARNING_DAYS:
            warning_params += [iso(moment + timedelta(days=days)), days]
        rows = self.db.query(
            f"SELECT id FROM app_list WHERE ({expired} AND otp_expiry_recorded = 0) "
            "OR (revoked = 0 AND dev_signed_up = 0 AND invite_expired = 0 "
            "AND invite_expires_at <= ?) "
            f"OR (revoked = 0 AND secret_expires_at > ? AND ({warnings})) ORDER BY id LIMIT ?",
            (*params, now, now, *warning_params, limit),
        )
        return [r["id"] for r in rows]

    def of_developer(self, email: str) -> list[dict[str, Any]]:
        """The apps a developer is linked to now, newest first (the portal home)."""
        return self.db.query(
            f"SELECT {COLUMNS} FROM app_list WHERE dev_email = ? ORDER BY created_at DESC",
            (email,),
        )

    def search(self, q: AppQuery) -> tuple[list[dict[str, Any]], int]:
        conditions = self._conditions(q)
        where = " AND ".join(sql for sql, _ in conditions)
        params = [p for _, ps in conditions for p in ps]
        with self.db.reading() as c:
            total = int(c.execute(*self._count(conditions, where, params)).scalar())
            if q.sort.lstrip("-") == "status":
                return self._by_status(c, q, where, params, total), total
            order = self._order(q.sort)
            rows = c.execute(
                f"SELECT {COLUMNS} FROM app_list WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                [*params, q.page_size, (q.page - 1) * q.page_size],
            ).fetchall()
        return rows, total

    @staticmethod
    def _conditions(q: AppQuery) -> list[tuple[str, list[Any]]]:
        """The query's filters as SQL conditions with their parameters, the group's first."""
        conditions: list[tuple[str, list[Any]]] = [(IN_GROUP, [q.group_id])]
        if q.status:
            statuses = [Status(s) for s in q.status]
            conditions.append(status_filter(statuses, SETTLED_STATUS, FACT_COLUMNS, q.now))
        for column, value in (("type", q.type), ("category", q.category)):
            if value:
                conditions.append((f"{column} = ?", [value]))
        for column, value in (
            ("name_key", q.name and name_key(q.name)),
            ("dev_email", q.developer_email),
        ):
            if value:
                conditions.append((f"{column} LIKE ? ESCAPE '\\'", [_like(value.lower())]))
        if q.entity_id:
            conditions.append((OF_ENTITY, [q.entity_id]))
        if q.created_from:
            conditions.append(("created_at >= ?", [q.created_from]))
        if q.created_to:
            conditions.append(("created_at <= ?", [q.created_to]))
        if q.secret_expires_before:
            conditions.append(("secret_expires_at < ?", [q.secret_expires_before]))
        if q.unused_since:
            # usage_last_used is kept beside the views (adapters/usage.py), not from events.
            conditions.append(
                (
                    "NOT EXISTS (SELECT 1 FROM usage_last_used u WHERE u.app_id = app_list.id "
                    "AND u.at >= ?)",
                    [q.unused_since],
                )
            )
        return conditions

    @staticmethod
    def _count(
        conditions: list[tuple[str, list[Any]]], where: str, params: list[Any]
    ) -> tuple[str, list[Any]]:
        """Exact, for "page N of M". Every filter has an index the count is read from alone
        (index-only: it grows with the rows matched, ~10 ms per 100k); the apps of an entity,
        when nothing else is asked, are counted in the entities table rather than joined to
        every app of the group. Counts kept per group and status by the projection would
        answer the unfiltered list at once, but cost every status change a write more, and
        every other filter would still count this way."""
        if [sql for sql, _ in conditions] == [IN_GROUP, OF_ENTITY]:
            return (
                "SELECT COUNT(*) AS n FROM app_list_entities WHERE group_id = ? AND entity_id = ?",
                params,
            )
        return f"SELECT COUNT(*) AS n FROM app_list WHERE {where}", params

    @staticmethod
    def _order(sort: str) -> str:
        direction = "DESC" if sort.startswith("-") else "ASC"
        column = sort.lstrip("-")
        if column == "name":
            column = "name_key"  # names sort case-insensitively: "alpha" before "Beta"
        return f"{column} {direction}, id {direction}"

    @staticmethod
    def _by_status(
        c: SqlCursor, q: AppQuery, where: str, params: list[Any], total: int
    ) -> list[dict[str, Any]]:
        """The page sorted by the status shown at `now` (not the one last stored), then id.

        Rather than work out every row's status and sort them all, it reads the statuses in
        their order, each in id order (what the index on the settled status and id gives),
        counting those the page starts after to skip them."""
        descending = q.sort.startswith("-")
        rows: list[dict[str, Any]] = []
        skip = (q.page - 1) * q.page_size
        for status in sorted(Status, key=lambda s: s.value, reverse=descending):
            if len(rows) == q.page_size or skip >= total:
                break
            clause, status_params = status_filter([status], SETTLED_STATUS, FACT_COLUMNS, q.now)
            if skip:
                count = c.execute(
                    f"SELECT COUNT(*) AS n FROM app_list WHERE {where} AND {clause}",
                    [*params, *status_params],
                ).scalar()
                if skip >= count:
                    skip, total = skip - count, total - count
                    continue
            rows += c.execute(
                f"SELECT {COLUMNS} FROM app_list WHERE {where} AND {clause} "
                f"ORDER BY id {'DESC' if descending else 'ASC'} LIMIT ? OFFSET ?",
                [*params, *status_params, q.page_size - len(rows), skip],
            ).fetchall()
            skip = 0
        return rows
