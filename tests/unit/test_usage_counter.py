"""The usage counter: counts in memory, adds them in one transaction, loses nothing on a
clean stop, keeps a failed flush's counts for the next (SPEC 15)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.sqlite import SQLiteDatastore

from adapters.usage import UsageStore
from projections.sql import SqlDatabase
from tests.support import FakeClock
from workers.usage_counter import UsageCounter

APP = UUID(int=1)


def store() -> UsageStore:
    usage = UsageStore(SqlDatabase(SQLiteDatastore(":memory:"), "sqlite"))
    usage.create_tables()
    return usage


def totals(usage: UsageStore, day: str) -> dict[str, int]:
    return {r["metric"]: int(r["n"]) for r in usage.days(str(APP), day, day)}


def test_counts_add_up_across_flushes_and_a_stop_loses_nothing() -> None:
    clock, usage = FakeClock(), store()
    counter = UsageCounter(usage, clock, interval=3600)  # only explicit flushes here
    day = clock.now().date().isoformat()
    counter.token_issued(APP)
    counter.call_served(APP, write=True)
    counter.call_served(APP, write=False)
    counter.call_denied(APP, "READ_ONLY")
    counter.flush()
    counter.call_served(APP, write=False)
    counter.stop()  # a clean shutdown adds what is left
    assert totals(usage, day) == {"calls": 3, "denied:READ_ONLY": 1, "tokens": 1, "writes": 1}
    assert usage.last_used([str(APP)]) != {}


def test_a_refused_call_is_not_a_use_and_the_last_use_only_moves_forward() -> None:
    clock, usage = FakeClock(), store()
    counter = UsageCounter(usage, clock, interval=3600)
    counter.call_served(APP, write=False)
    counter.flush()
    first = usage.last_used([str(APP)])[str(APP)]
    clock.advance(minutes=5)
    counter.call_denied(APP, "INVALID_TOKEN")
    counter.flush()
    assert usage.last_used([str(APP)])[str(APP)] == first
    clock.advance(minutes=5)
    counter.token_issued(APP)
    counter.flush()
    assert usage.last_used([str(APP)])[str(APP)] > first
    counter.stop()


def test_a_failed_flush_keeps_its_counts_for_the_next() -> None:
    clock, usage = FakeClock(), store()
    counter = UsageCounter(usage, clock, interval=3600)
    counter.call_served(APP, write=False)
    real_add = usage.add
    failures = [RuntimeError("database away")]

    def flaky(*args: Any) -> None:
        if failures:
            raise failures.pop()
        real_add(*args)

    usage.add = flaky  # type: ignore[method-assign]
    counter.flush()  # fails: kept
    counter.call_served(APP, write=False)
    counter.flush()
    assert totals(usage, clock.now().date().isoformat()) == {"calls": 2}
    counter.stop()


def test_days_are_utc_days() -> None:
    clock, usage = FakeClock(), store()
    counter = UsageCounter(usage, clock, interval=3600)
    counter.call_served(APP, write=False)
    clock.advance(days=1)
    counter.call_served(APP, write=False)
    counter.call_served(APP, write=False)
    counter.stop()
    today = clock.now().date().isoformat()
    rows = usage.days(str(APP), "2000-01-01", today)
    assert [(r["day"], r["n"]) for r in rows][-1] == (today, 2)
    assert len(rows) == 2
