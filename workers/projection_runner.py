"""Runs one projection in a background thread, resuming from its tracking position."""

from __future__ import annotations

import logging
import threading
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError
from eventsourcing.projection import ApplicationSubscription, Projection

from projections.view import View

log = logging.getLogger(__name__)
RETRY_SECONDS = 1.0


class ProjectionRunner:
    def __init__(self, app: Application[Any], projection: Projection[View]) -> None:
        self.app = app
        self.projection = projection
        self.view = projection.view
        self._stopping = threading.Event()
        self._subscription: ApplicationSubscription[Any] | None = None
        self._thread = threading.Thread(
            target=self._run, name=f"projection-{self.view.name}", daemon=True
        )

    def start(self) -> ProjectionRunner:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._subscription is not None:
            self._subscription.stop()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        # A failure (database gone, a bug in a handler) is logged and the runner resumes
        # from its last committed position, so nothing is lost or applied twice.
        while not self._stopping.is_set():
            try:
                self._follow()
            except Exception:
                log.exception("projection %s failed; resuming", self.view.name)
                self._stopping.wait(RETRY_SECONDS)

    def _follow(self) -> None:
        position = self.view.max_tracking_id(self.app.name)
        with ApplicationSubscription(self.app, gt=position) as subscription:
            self._subscription = subscription
            if self._stopping.is_set():
                return
            for domain_event, tracking in subscription:
                try:
                    self.projection.process_event(domain_event, tracking)
                except IntegrityError:
                    # Another runner recorded this position first; anything else is a bug.
                    if not self.view.has_tracking_id(
                        tracking.application_name, tracking.notification_id
                    ):
                        raise
