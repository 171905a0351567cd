"""Usage per app and UTC day (SPEC 15), kept without an event per call: counts added in
batches (workers/usage_counter.py), one upsert per key, in tables of their own beside the
views (the same database; not rebuilt from events, as nothing records each call)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from projections.sql import SqlDatabase

Key = tuple[str, str, str]  # app id, UTC day (YYYY-MM-DD), metric

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS usage_daily (app_id TEXT NOT NULL, day TEXT NOT NULL, "
    "metric TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (app_id, day, metric))",
    "CREATE TABLE IF NOT EXISTS usage_last_used (app_id TEXT PRIMARY KEY, at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS usage_last_used_at ON usage_last_used (at)",
)


class UsageStore:
    def __init__(self, db: SqlDatabase) -> None:
        self.db = db

    def create_tables(self) -> None:
        with self.db.transaction() as c:
            for statement in SCHEMA:
                c.execute(statement)

    def add(self, counts: Mapping[Key, int], last_used: Mapping[str, str]) -> None:
        """Adds the counts and moves each app's last use forward, in one transaction."""
        with self.db.transaction() as c:
            if counts:
                c.executemany(
                    "INSERT INTO usage_daily (app_id, day, metric, n) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (app_id, day, metric) "
                    "DO UPDATE SET n = usage_daily.n + excluded.n",
                    [(*key, n) for key, n in sorted(counts.items())],  # one order: no deadlock
                )
            if last_used:
                c.executemany(
                    "INSERT INTO usage_last_used (app_id, at) VALUES (?, ?) "
                    "ON CONFLICT (app_id) DO UPDATE SET at = CASE WHEN excluded.at > "
                    "usage_last_used.at THEN excluded.at ELSE usage_last_used.at END",
                    sorted(last_used.items()),
                )

    def days(self, app_id: str, first: str, last: str) -> list[dict[str, Any]]:
        """Each day from `first` to `last` (YYYY-MM-DD) with what was counted on it."""
        return self.db.query(
            "SELECT day, metric, n FROM usage_daily WHERE app_id = ? AND day >= ? AND day <= ? "
            "ORDER BY day, metric",
            (app_id, first, last),
        )

    def last_used(self, app_ids: list[str]) -> dict[str, str]:
        if not app_ids:
            return {}
        marks = ", ".join("?" for _ in app_ids)
        rows = self.db.query(
            f"SELECT app_id, at FROM usage_last_used WHERE app_id IN ({marks})", app_ids
        )
        return {str(r["app_id"]): str(r["at"]) for r in rows}
