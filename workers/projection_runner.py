"""Runs the projections in one background thread, each resuming from its own position.

One listener feeds every projection (one LISTEN connection per process on PostgreSQL, not
one per view). Whenever there is news, everything recorded since is processed in batches,
all views in one transaction per batch; each view skips what it already recorded, so views
that stopped at different places all resume exactly where they were.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.projection import Projection

from adapters.background import Background
from adapters.news import listening
from projections.view import View, claim, move

log = logging.getLogger(__name__)
RETRY_SECONDS = 1.0
CATCH_UP_BATCH = 500
WAIT_SECONDS = 0.25  # also the longest a missed notification could delay the views
# After a catch-up that found news, the next one waits this long: while events keep coming
# (tokens issued back to back) it takes the few recorded meanwhile as one batch, instead of
# one or two at a time at a whole transaction each. An event after a quiet spell is taken at
# once. A/B on 2026-12-07 (bench.cpu_share): 1.75 -> ~4.5 events per batch under token
# load, the worker's CPU per token halved, token_rate +22-30%, command_throughput and
# revocation_visibility_ms unchanged; 10 ms and more cost command_throughput.
LINGER_SECONDS = 0.005


class ProjectionRunner(Background):
    thread_name = "projections"

    def __init__(self, app: Application[Any], projections: list[Projection[View]]) -> None:
        self.app = app
        self.projections = projections
        self._handlers: dict[tuple[type, type], Callable[..., Any] | None] = {}
        # Where this runner's own batches left each view, committed: a view found there at
        # the next claim was written by nobody else meanwhile, and may trust its memory.
        self._moved: dict[str, int] = {}
        super().__init__()

    def _run(self) -> None:
        # A failure (database gone, a bug in a handler) is logged and the runner resumes
        # from the committed positions, so nothing is lost or applied twice.
        while not self._stopping.is_set():
            try:
                self._follow()
            except Exception:
                log.exception("projections failed; resuming")
                self._stopping.wait(RETRY_SECONDS)

    def _follow(self) -> None:
        positions = {
            p.view.name: p.view.max_tracking_id(self.app.name) or 0 for p in self.projections
        }
        with listening(self.app.recorder, self._stopping) as news:
            reached = 0
            while not self._stopping.is_set():
                news.mark()
                before, reached = reached, self.catch_up(positions)
                if reached > before:
                    self._stopping.wait(LINGER_SECONDS)
                else:
                    news.wait(WAIT_SECONDS)

    def catch_up(self, positions: dict[str, int]) -> int:
        """Processes everything recorded so far in batches (one transaction per batch for all
        views), then returns the position reached. `positions` (each view's last event) moves
        along; a view at 0 is rebuilt from event 1."""
        start = min(positions.values(), default=0)
        while not self._stopping.is_set():
            notifications = self.app.recorder.select_notifications(
                start, CATCH_UP_BATCH, inclusive_of_start=False
            )
            if not notifications:
                break
            events = [
                (self.app.mapper.to_domain_event(n), Tracking(self.app.name, n.id))
                for n in notifications
            ]
            pending = []
            for projection in self.projections:
                name = projection.view.name
                todo = [(e, t) for e, t in events if t.notification_id > positions[name]]
                if todo:
                    pending.append((projection, todo))
            if not self._process_together(pending):
                for projection, todo in pending:
                    self._process_batch(projection, todo)
            for projection, todo in pending:
                positions[projection.view.name] = todo[-1][1].notification_id
            start = notifications[-1].id
            if len(notifications) < CATCH_UP_BATCH:
                break
        return start

    def _process_together(self, pending: list[tuple[Projection[View], list[Any]]]) -> bool:
        """Every view's share of a batch in one transaction: the views live in one database,
        so a command's events cost one commit in all, not one per view. False if another
        runner got there first (then each view goes on its own)."""
        if not pending:
            return True
        db = pending[0][0].view.db
        if any(p.view.db is not db for p, _ in pending):
            return False
        views = [projection.view for projection, _ in pending]
        # Every view that has anything in this batch ends at its last event.
        last = pending[0][1][-1][1].notification_id
        try:
            with db.transaction() as c:
                stood = claim(
                    c,
                    self.app.name,
                    {p.view.name: todo[0][1].notification_id for p, todo in pending},
                )
                with ExitStack() as writing:
                    for view in views:
                        continued = stood[view.name] == self._moved.get(view.name)
                        writing.enter_context(view.writing_to(c, continued))
                    writing.enter_context(c.pipelined())
                    for projection, events in pending:
                        self._apply(projection, events)
                move(c, self.app.name, [view.name for view in views], last)
        except IntegrityError:
            self._moved.clear()
            return False
        except BaseException:  # rolled back: what the views remembered of it is not so
            self._moved.clear()
            raise
        self._moved.update((view.name, last) for view in views)
        for projection, _ in pending:
            projection.view.wake()
        return True

    def _process_batch(self, projection: Projection[View], events: list[Any]) -> None:
        first, last = events[0][1].notification_id, events[-1][1].notification_id
        try:
            with projection.view.batch(self.app.name, first, last):
                self._apply(projection, events)
        except IntegrityError:
            # Another runner got there first for part of the batch: go one by one.
            for domain_event, tracking in events:
                self._process(projection, domain_event, tracking)

    def _apply(self, projection: Projection[View], events: list[Any]) -> None:
        """Inside a batch (which moves the position itself), each event goes straight to the
        projection's handler for its type, and to none when that handler only records the
        position (`only_tracks`): most views care for a few of the event types, and the
        lookup through the single-dispatch method costs more than many of the handlers."""
        for domain_event, tracking in events:
            handler = self._handler(projection, type(domain_event))
            if handler is not None:
                handler(projection, domain_event, tracking)

    def _handler(self, projection: Projection[View], event_type: type) -> Callable[..., Any] | None:
        key = (type(projection), event_type)
        if key not in self._handlers:
            projection.process_event  # noqa: B018 (first access completes its registrations)
            method = inspect.getattr_static(projection, "process_event")
            handler = method.dispatcher.dispatch(event_type)
            self._handlers[key] = None if getattr(handler, "only_tracks", False) else handler
        return self._handlers[key]

    @staticmethod
    def _process(projection: Projection[View], domain_event: Any, tracking: Tracking) -> None:
        try:
            projection.process_event(domain_event, tracking)
        except IntegrityError:
            # Another runner recorded this position first; anything else is a bug.
            if not projection.view.has_tracking_id(
                tracking.application_name, tracking.notification_id
            ):
                raise
