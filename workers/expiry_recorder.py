"""Records `OtpExpired` / `InviteExpired` once, when an OTP or invite passes its 3 days."""

from __future__ import annotations

import logging
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from adapters.background import Background
from domain.handlers.developers import DeveloperAccess
from domain.ports import Clock
from projections.app_list import AppListView
from projections.view import iso

log = logging.getLogger(__name__)


class ExpiryRecorder(Background):
    thread_name = "expiry-recorder"

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
        super().__init__()

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
