"""A loop in a daemon thread of its own, started once and stopped cleanly: what the
projection runner, the mail sender, the expiry recorder and the view-progress listener are."""

from __future__ import annotations

import threading
from typing import ClassVar, Self

STOP_SECONDS = 10.0  # how long `stop` waits for the loop to notice


class Background:
    thread_name: ClassVar[str]

    def __init__(self) -> None:
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._wake()
        self._thread.join(timeout=STOP_SECONDS)

    def _wake(self) -> None:
        """Cut short whatever the loop is waiting on, if `_stopping` alone would not."""

    def _run(self) -> None:
        raise NotImplementedError
