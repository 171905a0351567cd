"""eventsourcing's SQLite recorder with a bell rung after each commit.

The bell wakes this process's projection runner at once (adapters/news.py); events written by
other processes on the same file are seen by polling every POLL_SECONDS.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

POLL_SECONDS = 0.02


class BellSQLiteRecorder(SQLiteApplicationRecorder):
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
