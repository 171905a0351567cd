"""Test doubles for the outside world only: a clock you can move, and test databases."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
import pytest
import redis

from domain.actor import Actor
from entrypoints.cli import bootstrap_group

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


REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")


def require_redis() -> str:
    """The shared throttle storage; in CI (REQUIRE_REDIS=1) unreachable fails, locally skips."""
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=3).ping()
        return REDIS_TEST_URL
    except redis.RedisError:
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail(f"Redis is required but cannot be reached at {REDIS_TEST_URL}")
        pytest.skip("Redis not reachable")


ADMIN_EMAIL = "admin@g.example"


def seeded_group(
    services: Any, entities: tuple[tuple[str, str], ...] = (("E1", "One"),)
) -> tuple[dict[str, Any], Actor]:
    """A group with its practice admin, through the real bootstrap; and that admin as actor."""
    ids = bootstrap_group(services, "G", list(entities), ADMIN_EMAIL, "admin pass 12")
    return ids, admin_actor(ids, ADMIN_EMAIL)


def admin_actor(ids: Mapping[str, Any], email: str) -> Actor:
    """The practice admin that `bootstrap_group` created, as the actor of its commands."""
    return Actor(
        type="admin",
        id=str(ids["admin_id"]),
        name=email,
        group_id=UUID(str(ids["group_id"])),
        role="practice_admin",
    )


def new_integration(name: str, entity_ids: list[str], **overrides: Any) -> dict[str, Any]:
    """A valid create body for a new_integration app."""
    return {
        "type": "new_integration",
        "name": name,
        "description": "d",
        "category": "crm",
        "api_permission": "read",
        "developer_email": "dev@example.com",
        "entity_ids": entity_ids,
        **overrides,
    }
