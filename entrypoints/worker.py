"""`integrations worker`: keeps the read models current until SIGTERM or Ctrl-C."""

from __future__ import annotations

import gc
import logging
import signal
import threading
from types import FrameType

from composition.root import Services

log = logging.getLogger(__name__)


def run_worker(services: Services) -> None:
    """Runs until SIGTERM or SIGINT; the caller started the runners and stops them after."""
    stopping = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: stopping", signum)
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    log.info("worker running: %s", ", ".join(services.views))
    gc.freeze()  # as in the API processes (entrypoints/wsgi.py): no rescans of the set-up
    stopping.wait()
