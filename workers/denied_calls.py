"""Refused SOAP calls, recorded once per (app, reason) and interval, the rest counted.

A client hammering with a revoked token must not add one event per call. The first refusal
of an (app, reason) in an interval is recorded at once (the activity log shows it promptly;
its id is derived from the interval, so only one process records it). Later ones only
increment a counter in this process; a background thread appends the counts every interval,
and `stop()` (clean shutdown, also at interpreter exit) appends what is left. Per (app,
reason, interval) that is one event plus at most two per process.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from datetime import UTC, datetime
from uuid import UUID

from domain.errors import NotFoundError
from domain.handlers.accounting import AccountingHandler
from domain.ports import Clock
from workers.periodic_flush import PeriodicFlush

log = logging.getLogger(__name__)
Key = tuple[UUID, str, str, datetime]  # app, client id, reason, interval start


class DeniedCallCounter(PeriodicFlush):
    thread_name = "denied-call-counter"

    def __init__(self, audit: AccountingHandler, clock: Clock, interval_seconds: int) -> None:
        super().__init__(max(1, interval_seconds))
        self.audit = audit
        self.clock = clock
        self._lock = threading.Lock()
        self._first_seen: set[Key] = set()  # intervals whose first refusal is recorded
        self._repeats: Counter[Key] = Counter()

    def record(
        self, app_id: UUID, client_id: str, operation: str, entity: str, reason: str
    ) -> None:
        start = self._interval_start()
        key = (app_id, client_id, reason, start)
        with self._lock:
            self._start_flushing()
            if key in self._first_seen:
                self._repeats[key] += 1
                return
            self._first_seen.add(key)
        try:
            first = self.audit.record_denied_call(
                app_id, client_id, operation, entity, reason, start
            )
        except Exception:
            with self._lock:
                self._first_seen.discard(key)  # the next refusal tries to record it again
            raise
        if not first:  # another process recorded this interval's first one
            with self._lock:
                self._repeats[key] += 1

    def flush(self) -> None:
        """Append the counted refusals; intervals that ended are forgotten."""
        with self._lock:
            repeats, self._repeats = self._repeats, Counter()
            current = self._interval_start()
            self._first_seen = {k for k in self._first_seen if k[3] >= current}
        for key, count in repeats.items():
            app_id, client_id, reason, start = key
            try:
                self.audit.record_repeated_denials(app_id, client_id, reason, start, count)
            except NotFoundError:  # its first is still being recorded: next time
                with self._lock:
                    self._repeats[key] += count
                    self._first_seen.add(key)
            except Exception:
                log.exception("could not record %d refused calls of app %s", count, app_id)

    def _interval_start(self) -> datetime:
        seconds = int(self.clock.now().timestamp())
        return datetime.fromtimestamp(seconds - seconds % self.interval, UTC)
