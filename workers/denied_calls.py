"""Refused SOAP calls, recorded once per (app, reason) and interval, the rest counted.

A client hammering with a revoked token must not add one event per call. The first refusal
of an (app, reason) in an interval is recorded at once (the activity log shows it promptly;
its id is derived from the interval, so only one process records it). Later ones only
increment a counter in this process; a background thread appends the counts every interval,
and `stop()` (clean shutdown, also at interpreter exit) appends what is left. Per (app,
reason, interval) that is one event plus at most two per process.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import Counter
from datetime import UTC, datetime
from uuid import UUID

from domain.errors import NotFoundError
from domain.handlers.accounting import AccountingHandler
from domain.ports import Clock

log = logging.getLogger(__name__)
Key = tuple[UUID, str, str, datetime]  # app, client id, reason, interval start


class DeniedCallCounter:
    def __init__(self, audit: AccountingHandler, clock: Clock, interval_seconds: int) -> None:
        self.audit = audit
        self.clock = clock
        self.interval = max(1, interval_seconds)
        self._lock = threading.Lock()
        self._first_seen: set[Key] = set()  # intervals whose first refusal is recorded
        self._repeats: Counter[Key] = Counter()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

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

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        self.flush()
        atexit.unregister(self.stop)

    def _start_flushing(self) -> None:
        if self._thread is None and not self._stopping.is_set():
            self._thread = threading.Thread(
                target=self._run, name="denied-call-counter", daemon=True
            )
            self._thread.start()
            atexit.register(self.stop)  # gunicorn's worker exit runs atexit: counts survive

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            try:
                self.flush()
            except Exception:  # never let the counter thread die
                log.exception("flushing refused-call counts failed")

    def _interval_start(self) -> datetime:
        seconds = int(self.clock.now().timestamp())
        return datetime.fromtimestamp(seconds - seconds % self.interval, UTC)
