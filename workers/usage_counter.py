"""Counts usage in each process and adds it to the usage tables every second (SPEC 15).

A count is a dict increment under a lock: the SOAP call and token paths pay nothing else.
Every FLUSH_SECONDS a thread adds what was counted in one transaction. A clean shutdown
(`stop`, also at interpreter exit, as gunicorn's and granian's workers run atexit) adds the
rest, so nothing is lost; a crash loses what the process counted since its last flush, at
most FLUSH_SECONDS of its calls. A failed flush keeps its counts for the next one.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from datetime import UTC
from uuid import UUID

from adapters.usage import Key, UsageStore
from domain.ports import Clock
from domain.usage import CALLS, DENIED, TOKENS, WRITES
from projections.view import iso
from workers.periodic_flush import PeriodicFlush

log = logging.getLogger(__name__)
FLUSH_SECONDS = 1.0


class UsageCounter(PeriodicFlush):
    thread_name = "usage-counter"

    def __init__(self, store: UsageStore, clock: Clock, interval: float = FLUSH_SECONDS) -> None:
        super().__init__(interval)
        self.store = store
        self.clock = clock
        self._lock = threading.Lock()
        self._counts: Counter[Key] = Counter()
        self._last_used: dict[str, str] = {}

    # -- what the request paths call -----------------------------------------------------------
    def token_issued(self, app_id: UUID) -> None:
        self._count(app_id, (TOKENS,), used=True)

    def call_served(self, app_id: UUID, write: bool) -> None:
        self._count(app_id, (CALLS, WRITES) if write else (CALLS,), used=True)

    def call_denied(self, app_id: UUID, code: str) -> None:
        self._count(app_id, (DENIED + code,), used=False)

    def _count(self, app_id: UUID, metrics: tuple[str, ...], used: bool) -> None:
        now = self.clock.now()
        app, day = str(app_id), now.astimezone(UTC).date().isoformat()
        with self._lock:
            self._start_flushing()
            for metric in metrics:
                self._counts[(app, day, metric)] += 1
            if used:
                moment = iso(now) or ""
                if moment > self._last_used.get(app, ""):
                    self._last_used[app] = moment

    # -- flushing ------------------------------------------------------------------------------
    def flush(self) -> None:
        with self._lock:
            counts, self._counts = self._counts, Counter()
            last, self._last_used = self._last_used, {}
        if not counts and not last:
            return
        try:
            self.store.add(counts, last)
        except Exception:
            log.exception("could not add usage counts; keeping them for the next flush")
            with self._lock:
                self._counts.update(counts)
                for app, moment in last.items():
                    if moment > self._last_used.get(app, ""):
                        self._last_used[app] = moment
