"""The base of every read model: query tables plus a tracking position, written together."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from threading import Event
from typing import ClassVar, Protocol

from eventsourcing.persistence import (
    IntegrityError,
    PersistenceError,
    Tracking,
    TrackingRecorder,
    WaitInterruptedError,
)

from projections.sql import SqlCursor, SqlDatabase

log = logging.getLogger(__name__)

TRACKING_TABLE = (
    "CREATE TABLE IF NOT EXISTS view_tracking ("
    "view_name TEXT NOT NULL, application_name TEXT NOT NULL, notification_id BIGINT NOT NULL, "
    "PRIMARY KEY (view_name, application_name))"
)
# Moves the position forward only; returns no row when the event was already processed,
# which rolls back the view's changes for it (a second runner, or a replayed batch).
ADVANCE = (
    "INSERT INTO view_tracking (view_name, application_name, notification_id) VALUES (?, ?, ?) "
    "ON CONFLICT (view_name, application_name) DO UPDATE "
    "SET notification_id = excluded.notification_id "
    "WHERE view_tracking.notification_id < excluded.notification_id "
    "RETURNING notification_id"
)


def claim(c: SqlCursor, application_name: str, firsts: dict[str, int]) -> dict[str, int]:
    """Locks the position rows of the views named in `firsts` (creating them at 0), in one
    statement, so no other runner can advance them until this transaction ends; returns
    where each view stood.

    Each view's batch starts at `firsts[name]`: if a view is already there or past it,
    another runner got there first and the whole transaction is refused (IntegrityError).
    """
    names = sorted(firsts)  # one lock order for every runner: no deadlock between two
    rows = ", ".join("(?, ?, 0)" for _ in names)
    claimed = c.execute(
        "INSERT INTO view_tracking (view_name, application_name, notification_id) "
        f"VALUES {rows} ON CONFLICT (view_name, application_name) DO UPDATE "
        "SET notification_id = view_tracking.notification_id "
        "RETURNING view_name, notification_id",
        [value for name in names for value in (name, application_name)],
    ).fetchall()
    for row in claimed:
        if int(row["notification_id"]) >= firsts[row["view_name"]]:
            msg = f"{row['view_name']} already processed {row['notification_id']}"
            raise IntegrityError(msg)
    return {str(row["view_name"]): int(row["notification_id"]) for row in claimed}


def move(c: SqlCursor, application_name: str, names: list[str], last: int) -> None:
    """Moves the claimed views' positions to `last` and tells waiters, in one statement."""
    marks = ", ".join("?" for _ in names)
    update = (
        "UPDATE view_tracking SET notification_id = ? "
        f"WHERE application_name = ? AND view_name IN ({marks})"
    )
    params = (last, application_name, *names)
    if c.dialect == "postgres":
        # A data-modifying WITH runs whether or not the query reads it: one statement a
        # batch instead of two (the worker makes only a handful a command in all).
        c.execute(
            f"WITH moved AS ({update}) {NOTIFY}", (*params, *_news(application_name, names, last))
        )
    else:
        c.execute(update, params)


def progress_channel(application_name: str) -> str:
    return f"{application_name}_views".lower()


NOTIFY = "SELECT pg_notify(?, ?)"


def _news(application_name: str, names: list[str], position: int) -> tuple[str, str]:
    return progress_channel(application_name), f"{position} {','.join(names)}"


def announce(c: SqlCursor, application_name: str, names: list[str], position: int) -> None:
    """On PostgreSQL, a notification (sent only if this transaction commits) that the named
    views reached `position`: every process's waiters wake at once, without polling."""
    if c.dialect == "postgres":
        c.execute(NOTIFY, _news(application_name, names, position))


def only_tracks(handler: Callable[..., None]) -> Callable[..., None]:
    """Marks a projection's catch-all handler that records the position and nothing else, so
    a batch, which moves the position itself, need not call it at all."""
    handler.only_tracks = True  # type: ignore[attr-defined]
    return handler


def iso(moment: datetime | None) -> str | None:
    """Timestamps as fixed-width UTC ISO 8601 text: they sort and compare as strings."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class View(TrackingRecorder):
    """A TrackingRecorder whose rows and position commit in one transaction.

    It runs on SQLite and PostgreSQL alike through `SqlDatabase`. Waiters are woken by the
    in-process runner when it commits, and poll every few milliseconds for runners elsewhere.
    """

    name: ClassVar[str]
    tables: ClassVar[tuple[str, ...]] = ()
    schema: ClassVar[tuple[str, ...]] = ()
    # Columns written by something other than the projection (e.g. delivery state), which a
    # rebuild from the events cannot reproduce: replay leaves them out of its comparison.
    not_from_events: ClassVar[dict[str, tuple[str, ...]]] = {}
    # Optional PostgreSQL-only DDL (extensions, special indexes), each tried on its own.
    postgres_schema: ClassVar[tuple[str, ...]] = ()

    def __init__(self, db: SqlDatabase) -> None:
        self.db = db
        self._progress = threading.Condition()
        self._batch = threading.local()

    def create_tables(self) -> None:
        # Only when missing: even "IF NOT EXISTS" DDL takes locks, and a process starting
        # beside a busy worker could deadlock with it on PostgreSQL.
        if all(self.db.table_exists(t) for t in ("view_tracking", *self.tables)):
            return
        with self.db.transaction() as c:
            for statement in (TRACKING_TABLE, *self.schema):
                c.execute(statement)
        if self.db.dialect == "postgres":
            for statement in self.postgres_schema:
                try:
                    with self.db.transaction() as c:
                        c.execute(statement)
                except PersistenceError as error:  # e.g. no right to create the extension
                    log.warning("%s: optional index skipped: %s", self.name, error)

    def add_missing_columns(
        self, table: str, columns: dict[str, str], backfill: Callable[[SqlCursor], object]
    ) -> list[str]:
        """Adds the `columns` (name -> type) a table made by an older release lacks, and fills
        them in with `backfill`, in one transaction; returns the names it added.

        SQLite has no ADD COLUMN IF NOT EXISTS, and a process starting beside this one may
        add them first: then this one's transaction fails and rolls back, and is not needed.
        """
        missing = [name for name in columns if name not in self.db.columns(table)]
        if not missing:
            return []
        try:
            with self.db.transaction() as c:
                for name in missing:
                    c.execute(f"ALTER TABLE {table} ADD COLUMN {name} {columns[name]}")
                backfill(c)
        except Exception:
            if not set(missing) <= self.db.columns(table):
                raise
            return []
        log.info("%s: added the columns %s to %s", self.name, ", ".join(missing), table)
        return missing

    @contextmanager
    def tracked(self, tracking: Tracking) -> Iterator[SqlCursor]:
        """A transaction for one event's rows and position (or the open batch's)."""
        batch: SqlCursor | None = getattr(self._batch, "cursor", None)
        if batch is not None:
            yield batch  # the batch moves the position once, at its end
            return
        self.forget()  # one event on its own: a runner elsewhere may have written the view
        try:
            with self.db.transaction() as c:
                yield c
                self.flush(c)
                self._advance(c, tracking)
        finally:
            self.discard()
        self.wake()

    @contextmanager
    def batch(self, application_name: str, first: int, last: int) -> Iterator[None]:
        """Events `first`..`last` processed inside share one transaction and move the position
        once: one commit per batch instead of one per event, still all-or-nothing."""
        with self.db.transaction() as c, self.joined(c, application_name, first, last):
            yield
        self.wake()

    @contextmanager
    def joined(self, c: SqlCursor, application_name: str, first: int, last: int) -> Iterator[None]:
        """Processes events `first`..`last` inside the caller's transaction `c` and moves this
        view's position once, at the end (see `claim`: refused if it is already there)."""
        claim(c, application_name, {self.name: first})
        with self.writing_to(c), c.pipelined():
            yield
        move(c, application_name, [self.name], last)

    @contextmanager
    def writing_to(self, c: SqlCursor, continued: bool = False) -> Iterator[None]:
        """While open, this thread's `tracked` events write through `c` (a batch's cursor,
        which may hold other views' batches too) and leave the position to the batch.
        `continued`: this thread wrote the view's previous batch and nobody has written it
        since, so what it remembered of the view's tables still holds (see `forget`)."""
        if not continued:
            self.forget()
        self._batch.cursor = c
        try:
            yield
            self.flush(c)
        finally:
            self._batch.cursor = None
            self.discard()

    def flush(self, c: SqlCursor) -> None:
        """Writes what this view kept in memory of the changes so far, through `c`: a view
        that folds a batch's events before writing (set-based) writes them here, once per
        row; a view that writes each change at once has nothing to do."""

    def discard(self) -> None:
        """Forgets what was kept in memory and not written (the transaction failed)."""

    def forget(self) -> None:
        """Forgets what this thread remembered of the view's own rows, read or written in
        earlier batches (a view that remembers nothing has nothing to do). A runner keeps it
        only from one batch of its own to the next (ProjectionRunner: `continued`)."""

    def _advance(self, c: SqlCursor, tracking: Tracking) -> None:
        advanced = c.execute(
            ADVANCE, (self.name, tracking.application_name, tracking.notification_id)
        ).fetchone()
        if advanced is None:
            msg = f"{self.name} already processed {tracking.notification_id}"
            raise IntegrityError(msg)
        announce(c, tracking.application_name, [self.name], tracking.notification_id)

    def wake(self) -> None:
        with self._progress:
            self._progress.notify_all()

    def wait_for_progress(self, timeout: float) -> None:
        """Blocks until this process's runner commits something, or `timeout` passes."""
        with self._progress:
            self._progress.wait(timeout)

    def insert_tracking(self, tracking: Tracking) -> None:
        with self.tracked(tracking):
            pass

    def max_tracking_id(self, application_name: str) -> int | None:
        row = self.db.query_one(
            "SELECT notification_id FROM view_tracking WHERE view_name = ? "
            "AND application_name = ?",
            (self.name, application_name),
        )
        return None if row is None else int(row["notification_id"])

    def wait(
        self,
        application_name: str,
        notification_id: int | None,
        timeout: float = 5.0,
        interrupt: Event | None = None,
    ) -> None:
        deadline = time.monotonic() + timeout
        pause = 0.001
        while not self.has_tracking_id(application_name, notification_id):
            if interrupt is not None and interrupt.is_set():
                raise WaitInterruptedError
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                msg = f"{self.name} did not reach {notification_id} within {timeout}s"
                raise TimeoutError(msg)
            with self._progress:
                self._progress.wait(min(pause, remaining))
            pause = min(pause * 2, 0.02)

    def clear(self) -> None:
        """Forget every row and the position: the next run rebuilds from event 1."""
        with self.db.transaction() as c:
            for table in self.tables:
                c.execute(f"DELETE FROM {table}")
            c.execute("DELETE FROM view_tracking WHERE view_name = ?", (self.name,))


class ProgressNews(Protocol):
    """What a process has heard of the views' positions (`adapters.view_progress`)."""

    def wait_until(self, names: Sequence[str], position: int, timeout: float) -> bool:
        """True once the named views are known to have reached `position`; False after
        `timeout`, or at once when it cannot know."""


# How long a waiter trusts the news alone before it also polls: only a lost notification
# would ever need the poll, and it then costs this much delay, not a wrong answer.
TRUST_NEWS_SECONDS = 0.25


def wait_for_all(
    views: list[View],
    application_name: str,
    position: int,
    timeout: float,
    news: ProgressNews | None = None,
) -> None:
    """Blocks until every view has processed `position`.

    With `news` (PostgreSQL: every runner announces its commits) the waiter is woken by the
    commit itself and asks the database nothing. Otherwise, or should the news fall silent,
    it polls the tracking table, one query per check: the in-process runner wakes it when it
    commits, and a runner elsewhere is noticed every 1 ms at first and at most every 20 ms.
    """
    names = [v.name for v in views]
    if news is not None and news.wait_until(names, position, min(timeout, TRUST_NEWS_SECONDS)):
        return
    marks = ", ".join("?" for _ in names)
    sql = (
        f"SELECT COUNT(*) AS n FROM view_tracking WHERE application_name = ? "
        f"AND notification_id >= ? AND view_name IN ({marks})"
    )
    deadline, pause, last = time.monotonic() + timeout, 0.001, views[-1]
    while True:
        row = last.db.query_one(sql, (application_name, position, *names))
        if row is not None and int(row["n"]) == len(names):
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"the read models did not reach {position} within {timeout}s")
        last.wait_for_progress(min(pause, remaining))
        pause = min(pause * 2, 0.02)
