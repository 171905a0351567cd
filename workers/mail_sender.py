"""The mail notifier's delivery loop: sends each pending outbox row exactly once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from domain.ports import Clock
from projections.mail_outbox import MailOutboxView
from projections.view import iso
from workers.mail_templates import MailRenderer
from workers.mailer import Mailer

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5


class MailSender:
    def __init__(
        self, outbox: MailOutboxView, mailer: Mailer, renderer: MailRenderer, clock: Clock
    ) -> None:
        self.outbox = outbox
        self.mailer = mailer
        self.renderer = renderer
        self.clock = clock
        # Tests set this to simulate a crash after the message was handed over.
        self.before_commit: Callable[[dict[str, Any]], None] = lambda row: None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mail-sender", daemon=True)

    def start(self) -> MailSender:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self.outbox.wake()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                if self.send_pending() == 0:
                    self.outbox.wait_for_progress(POLL_SECONDS)
            except Exception:
                log.exception("mail delivery failed; retrying")
                self._stopping.wait(POLL_SECONDS * 4)

    def send_pending(self) -> int:
        sent = 0
        for row in self.outbox.pending():
            if self._stopping.is_set():
                break
            sent += self._deliver(row)
        return sent

    def _deliver(self, row: dict[str, Any]) -> int:
        message = self.renderer.render(row)
        with self.mailer.prepare(message) as delivery:
            with self.outbox.db.transaction() as c:
                claimed = c.execute(
                    "UPDATE mail_outbox SET status = 'sent', sent_at = ? "
                    "WHERE position = ? AND status = 'pending' RETURNING position",
                    (iso(self.clock.now()), row["position"]),
                ).fetchone()
                if claimed:
                    self.before_commit(row)
            if not claimed:
                return 0  # another sender has it; leaving unfinished discards our copy
            try:
                delivery.finish()
            except Exception:
                self._requeue(row)
                raise
        log.info("mail sent: %s to %s", row["kind"], message["To"])
        return 1

    def _requeue(self, row: dict[str, Any]) -> None:
        with self.outbox.db.transaction() as c:
            c.execute(
                "UPDATE mail_outbox SET status = 'pending', sent_at = NULL WHERE position = ?",
                (row["position"],),
            )
