"""A subscribe() for eventsourcing's SQLite recorder, which has none in 9.5.

The recorder rings a bell after each commit, which wakes this process's subscribers at once;
they also poll every 20 ms to see events written by other processes on the same file.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Notification, StoredEvent, Subscription
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

POLL_SECONDS = 0.02
BATCH = 500


class SubscribableSQLiteRecorder(SQLiteApplicationRecorder):
    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        self._bell = threading.Condition()
        self.rings = 0

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        ids = super().insert_events(stored_events, **kwargs)
        self.ring()
        return ids

    def ring(self) -> None:
        with self._bell:
            self.rings += 1
            self._bell.notify_all()

    def wait_for_ring(self, seen: int, timeout: float) -> None:
        with self._bell:
            if self.rings == seen:
                self._bell.wait(timeout)

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        return PollingSubscription(self, gt=gt, topics=topics)


class PollingSubscription(Subscription[SubscribableSQLiteRecorder]):
    def __init__(
        self, recorder: SubscribableSQLiteRecorder, gt: int | None, topics: Sequence[str]
    ) -> None:
        super().__init__(recorder, gt=gt, topics=topics)
        self._buffer: deque[Notification] = deque()

    def stop(self) -> None:
        super().stop()
        self._recorder.ring()

    def __next__(self) -> Notification:
        while not self._buffer:
            if self._has_been_stopped:
                raise StopIteration
            seen = self._recorder.rings
            batch = self._recorder.select_notifications(
                start=self._last_notification_id or 0,
                limit=BATCH,
                topics=self._topics,
                inclusive_of_start=False,
            )
            if batch:
                self._buffer.extend(batch)
            else:
                self._recorder.wait_for_ring(seen, POLL_SECONDS)
        if self._has_been_stopped:
            raise StopIteration
        notification = self._buffer.popleft()
        self._last_notification_id = notification.id
        return notification
