"""Records `OtpExpired` / `InviteExpired` once, when an OTP or invite passes its 3 days."""

from __future__ import annotations

import logging
import threading
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.handlers.developers import DeveloperAccess
from domain.ports import Clock
from projections.app_list import AppListView
from projections.view import iso

log = logging.getLogger(__name__)


class ExpiryRecorder:
    def __init__(
        self,
        app_list: AppListView,
        developers: DeveloperAccess,
        clock: Clock,
        interval: float = 30.0,
    ) -> None:
        self.app_list = app_list
        self.developers = developers
        self.clock = clock
        self.interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="expiry-recorder", daemon=True)

    def start(self) -> ExpiryRecorder:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=10)

    def run_once(self) -> int:
        """Records every expiry that is due; returns how many apps got an event."""
        recorded = 0
        for app_id in self.app_list.expiry_candidates(iso(self.clock.now()) or ""):
            try:
                recorded += bool(self.developers.record_expiries(UUID(app_id)))
            except IntegrityError:
                continue  # another recorder (or an admin) changed the app at the same time
        return recorded

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            try:
                count = self.run_once()
                if count:
                    log.info("recorded expiries for %d apps", count)
            except Exception:
                log.exception("expiry recorder failed; retrying")
