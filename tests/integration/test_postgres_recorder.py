"""The one-statement PostgreSQL insert (adapters/postgres_recorder.py) keeps the stock recorder's
guarantees: positions in commit order (the table lock), a lost race as an IntegrityError."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from psycopg import sql

from adapters.postgres_recorder import OneStatementPostgresRecorder
from composition.root import Services, build_services
from config.settings import Settings

TOPIC = "tests:Event"


@pytest.fixture
def store_only(make_settings: Callable[..., Settings]) -> Iterator[Services]:
    """No projections: the events written here are not the product's."""
    services = build_services(make_settings())
    yield services
    services.close()


class TestOnPostgres:
    backend = "postgres"

    def test_the_store_uses_it_and_returns_each_events_position(self, store_only: Services) -> None:
        recorder = store_only.store.recorder
        assert isinstance(recorder, OneStatementPostgresRecorder)
        first = recorder.max_notification_id() or 0
        events = [StoredEvent(uuid4(), 1, TOPIC, b"{}") for _ in range(3)]
        assert recorder.insert_events(events) == [first + 1, first + 2, first + 3]
        stored = recorder.select_notifications(first + 1, 10)
        assert [(n.originator_id, n.id) for n in stored] == [
            (e.originator_id, first + 1 + i) for i, e in enumerate(events)
        ]

    def test_a_version_taken_already_is_an_integrity_error_and_nothing_is_written(
        self, store_only: Services
    ) -> None:
        recorder = store_only.store.recorder
        taken = StoredEvent(uuid4(), 1, TOPIC, b"{}")
        recorder.insert_events([taken])
        before = recorder.max_notification_id()
        fresh = StoredEvent(uuid4(), 1, TOPIC, b"{}")
        with pytest.raises(IntegrityError):
            recorder.insert_events([fresh, taken])
        assert recorder.max_notification_id() == before
        assert list(recorder.select_events(fresh.originator_id)) == []

    def test_an_insert_waits_for_an_earlier_uncommitted_one_so_positions_follow_commits(
        self, store_only: Services, database_url: str
    ) -> None:
        """Without the table lock a later insert would commit a higher position while a lower
        one is still uncommitted, and a reader following positions would pass over it."""
        recorder = store_only.store.recorder
        with psycopg.connect(database_url) as earlier:  # a transaction left open
            (held,) = earlier.execute(
                sql.SQL(
                    "INSERT INTO {} (originator_id, originator_version, topic, state) "
                    "VALUES (%s, 1, %s, '') RETURNING notification_id"
                ).format(sql.Identifier(recorder.events_table_name)),
                (uuid4(), TOPIC),
            ).fetchone() or (None,)
            later: list[int] = []
            insert = threading.Thread(
                target=lambda: later.extend(
                    recorder.insert_events([StoredEvent(uuid4(), 1, TOPIC, b"{}")]) or []
                )
            )
            insert.start()
            _wait_until_an_insert_waits_for_a_lock(database_url, recorder.events_table_name)
            assert later == []  # still waiting
            earlier.commit()
        insert.join(30)
        assert held is not None and later and later[0] > held


def _wait_until_an_insert_waits_for_a_lock(database_url: str, table: str) -> None:
    deadline = time.monotonic() + 30
    with psycopg.connect(database_url, autocommit=True) as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query LIKE %s",
                (f"%{table}_insert%",),
            ).fetchone()
            if waiting and waiting[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the insert never waited for the open transaction's lock")
