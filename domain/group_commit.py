"""Group commit: new aggregates from many threads of one process saved in one transaction.

Every token issuance records one small event, and each transaction that inserts events takes
the event store's insert lock and waits for its commit to be durable, one after another.
Threads issuing at the same moment queue their aggregates; the thread that gets the commit
lock saves every aggregate queued so far in one `save()`, and the others, when they get the
lock in turn, find theirs already saved and return. A thread alone saves its own at once.

Only for aggregates that cannot conflict with one another (new ones with unique ids, such as
`AccessToken`): a failed save fails every aggregate of its group with the same error.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from eventsourcing.domain import Aggregate

from domain.store import EventStore


@dataclass(eq=False)
class _Queued:
    aggregate: Aggregate
    position: int = 0
    error: Exception | None = None
    saved: bool = False


@dataclass
class GroupCommitStats:
    """What the groups were, for tests and profiling (written only under the commit lock)."""

    commits: int = 0
    aggregates: int = 0
    largest: int = 0


class GroupCommit:
    def __init__(self, store: EventStore) -> None:
        self.store = store
        self._queue: list[_Queued] = []
        self._queue_lock = threading.Lock()
        self._commit_lock = threading.Lock()
        self.stats = GroupCommitStats()

    def queued(self) -> int:
        """How many aggregates wait for the next commit."""
        with self._queue_lock:
            return len(self._queue)

    def record(self, aggregate: Aggregate) -> int:
        """Saves the aggregate's new events, with those of any other thread queued meanwhile;
        returns their position, as EventStore.record does, once they are durable."""
        queued = _Queued(aggregate)
        with self._queue_lock:
            self._queue.append(queued)
        with self._commit_lock:
            if not queued.saved:  # no other thread took it: take everything queued
                with self._queue_lock:
                    group, self._queue = self._queue, []
                self._save(group)
        if queued.error is not None:
            raise queued.error
        return queued.position

    def _save(self, group: list[_Queued]) -> None:
        try:
            positions = self.store.record_each(*(q.aggregate for q in group))
        except Exception as error:  # each thread raises it for its own aggregate
            for q in group:
                q.error, q.saved = error, True
            return
        for q, position in zip(group, positions, strict=True):
            q.position, q.saved = position, True
        self.stats.commits += 1
        self.stats.aggregates += len(group)
        self.stats.largest = max(self.stats.largest, len(group))
