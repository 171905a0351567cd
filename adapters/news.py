"""Waking the projection runner when events are recorded, without a window to miss one.

eventsourcing 9.5's PostgreSQL subscription reads what is recorded *before* its LISTEN is in
place, so an event committed in between went unnoticed until the next one: the runner stalled
and commands waiting for their read models timed out. Here the runner first starts listening,
then catches up, then waits for news; a bounded wait also polls, as a last safety net.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from psycopg.sql import SQL, Identifier

from adapters.sqlite_recorder import POLL_SECONDS, BellSQLiteRecorder


class News(Protocol):
    def mark(self) -> None:
        """Remember "now": a later wait returns at once if anything was recorded since."""

    def wait(self, timeout: float) -> None:
        """Returns when something was recorded since `mark`, or after `timeout`."""


class _SqliteNews:
    def __init__(self, recorder: BellSQLiteRecorder) -> None:
        self.recorder = recorder
        self.seen = recorder.rings

    def mark(self) -> None:
        self.seen = self.recorder.rings

    def wait(self, timeout: float) -> None:
        # The bell rings for this process's writes; other processes' are seen by polling.
        self.recorder.wait_for_ring(self.seen, min(timeout, POLL_SECONDS))


class _PostgresNews:
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def mark(self) -> None:
        pass  # notifications queue on the listening connection until they are read

    def wait(self, timeout: float) -> None:
        for _ in self.connection.notifies(timeout=timeout, stop_after=1):
            break
        # Drain whatever else arrived meanwhile: one catch-up covers it all.
        for _ in self.connection.notifies(timeout=0.0):
            pass


class _PollingNews:
    def __init__(self, stopping: Any) -> None:
        self.stopping = stopping

    def mark(self) -> None:
        pass

    def wait(self, timeout: float) -> None:
        self.stopping.wait(timeout)


@contextmanager
def listening(recorder: Any, stopping: Any) -> Iterator[News]:
    """News of `recorder`'s inserts; listening has begun by the time this yields."""
    if isinstance(recorder, BellSQLiteRecorder):
        yield _SqliteNews(recorder)
        return
    channel = getattr(recorder, "channel_name", None)
    if channel is None:
        yield _PollingNews(stopping)
        return
    with recorder.datastore.get_connection() as connection:
        connection.execute(SQL("LISTEN {0}").format(Identifier(channel)))
        try:
            yield _PostgresNews(connection)
        finally:
            connection.execute(SQL("UNLISTEN {0}").format(Identifier(channel)))
