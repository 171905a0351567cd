"""What the refused-call and usage counters share: counts kept in memory, flushed by a daemon
thread every `interval` seconds from their first count on, and once more on `stop` (also at
interpreter exit: gunicorn's and granian's workers run atexit, so a clean shutdown loses
nothing)."""

from __future__ import annotations

import atexit
import logging
import threading
from typing import ClassVar

log = logging.getLogger(__name__)


class PeriodicFlush:
    thread_name: ClassVar[str]

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def flush(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        self.flush()
        atexit.unregister(self.stop)

    def _start_flushing(self) -> None:
        """Called (under the subclass's lock) with each count: the first one starts it."""
        if self._thread is None and not self._stopping.is_set():
            self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
            self._thread.start()
            atexit.register(self.stop)

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            try:
                self.flush()
            except Exception:  # never let the flushing thread die
                log.exception("%s: flushing failed; trying again", self.thread_name)
