"""Test doubles for the outside world only: a clock you can move, and test databases."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

PG_ADMIN_URL = os.environ.get(
    "DATABASE_TEST_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
FAST_ARGON2 = {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "8192"}


class FakeClock:
    """Starts at the real time (events are stamped by the store), moves only when told."""

    def __init__(self) -> None:
        self._now = datetime.now(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, **delta: float) -> None:
        with self._lock:
            self._now += timedelta(**delta)


class PostgresTestDatabase:
    """One scratch database per test run; every test starts with it emptied."""

    def __init__(self) -> None:
        self.name = f"integrations_test_{os.getpid()}"
        self.url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + self.name

    @staticmethod
    def reachable() -> bool:
        try:
            psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
            return True
        except psycopg.Error:
            return False

    def create(self) -> None:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def empty(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            tables = [
                r[0]
                for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ]
            if tables:
                names = ", ".join(f'"{t}"' for t in tables)
                conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


def require_postgres(db: PostgresTestDatabase) -> None:
    """In CI (REQUIRE_POSTGRES=1) an unreachable server fails the run; locally it skips."""
    if db.reachable():
        return
    if os.environ.get("REQUIRE_POSTGRES"):
        pytest.fail(f"PostgreSQL is required but cannot be reached at {PG_ADMIN_URL}")
    pytest.skip("PostgreSQL not reachable")
