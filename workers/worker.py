"""`integrations worker`: keeps the read models current until SIGTERM or Ctrl-C."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

from workers.composition import Services

log = logging.getLogger(__name__)


def run_worker(services: Services) -> None:
    """Runs until a signal arrives; the projection runners were started by the caller."""
    stopping = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: stopping", signum)
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    logging.basicConfig(
        level=services.settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    log.info("worker running: %s", ", ".join(services.views))
    stopping.wait()
