"""The mail notifier's delivery loop: sends each pending outbox row exactly once.

Each row has its own retry schedule (workers/mail_retry.py): a message the server refuses
for good, or one that cannot be built, is set aside at once and recorded as an event in the
app's activity log; one that fails for now is tried again later. Either way the rows behind
it go out in the same pass.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Protocol
from uuid import UUID

from adapters.background import Background
from adapters.mailer import Mailer
from domain.ports import Clock
from projections.mail_outbox import MailOutboxView
from workers.mail_retry import FIRST_RETRY, MAX_ATTEMPTS, failure_of, one_line, retry_delay
from workers.mail_templates import MailRenderer

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5


class UndeliveredMailLog(Protocol):
    def record_undelivered_mail(
        self, outbox_position: int, app_id: UUID, kind: str, recipient: str, reason: str
    ) -> bool: ...


class MailSender(Background):
    thread_name = "mail-sender"

    def __init__(
        self,
        outbox: MailOutboxView,
        mailer: Mailer,
        renderer: MailRenderer,
        clock: Clock,
        undelivered: UndeliveredMailLog,
    ) -> None:
        self.outbox = outbox
        self.mailer = mailer
        self.renderer = renderer
        self.clock = clock
        self.undelivered = undelivered
        # Tests set this to simulate a crash after the message was handed over.
        self.before_commit: Callable[[dict[str, Any]], None] = lambda row: None
        super().__init__()

    def _wake(self) -> None:
        self.outbox.wake()  # it may be waiting for the outbox's next row

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                queued = self.outbox.queued
                if self.send_pending() == 0:
                    self._wait_for_mail(queued)
            except Exception:
                log.exception("mail delivery failed; retrying")
                self._stopping.wait(POLL_SECONDS * 4)

    def _wait_for_mail(self, queued: int) -> None:
        """Until the projection queues a row after `queued`, or the poll is due (a retry
        that came due, a row queued by another process's projection)."""
        deadline = time.monotonic() + POLL_SECONDS
        while self.outbox.queued == queued and not self._stopping.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self.outbox.wait_for_progress(left)

    def send_pending(self) -> int:
        """One pass over the rows due now; returns how many were sent."""
        sent = 0
        for row in self.outbox.pending(self.clock.now()):
            if self._stopping.is_set():
                break
            sent += self._deliver(row)
        return sent

    def _deliver(self, row: dict[str, Any]) -> int:
        try:
            mail = self.renderer.render(row)
        except Exception as error:  # no retry would build it: set aside, go on with the rest
            self._set_aside(row, f"the message could not be built: {error}")
            return 0
        stage = "handing over"
        try:
            with self.mailer.prepare(mail) as delivery:
                stage = "recording"
                with self.outbox.claim(row["position"], self.clock.now()) as claimed:
                    if claimed:
                        self.before_commit(row)
                if not claimed:
                    return 0  # another sender has it; leaving unfinished discards our copy
                stage = "finishing"
                delivery.finish()
                stage = "sent"
        except Exception as error:
            if stage == "recording":
                raise  # our database, not the mail: the row is still pending as it was
            if stage != "sent":  # (a failed goodbye after the server took it changes nothing)
                self._failed(row, error, claimed=stage == "finishing")
                return 0
        log.info("mail sent: %s to %s", row["kind"], mail.recipient)
        return 1

    def _failed(self, row: dict[str, Any], error: Exception, claimed: bool) -> None:
        failure = failure_of(error)
        delay = None if failure.permanent else retry_delay(row["attempts"] + 1)
        retry_at = self.clock.now() + (delay or FIRST_RETRY)
        # A row this sender had marked sent goes back to pending first, even when it is to be
        # set aside: a crash in between then leaves it to be retried, never lost as "sent".
        requeued = claimed or delay is not None
        if requeued and not self.outbox.requeue(
            row["position"], failure.reason, retry_at, claimed=claimed
        ):
            return  # another sender has dealt with it meanwhile
        if delay is not None:
            log.warning("mail %s failed (%s); next try %s", row["kind"], failure.reason, retry_at)
            return
        reason = failure.reason
        if not failure.permanent:
            reason += f" (gave up after {MAX_ATTEMPTS} attempts)"
        self._set_aside(row, reason)

    def _set_aside(self, row: dict[str, Any], reason: str) -> None:
        # The event first: its id comes from the position, so recording it again after a
        # crash, or beside a second sender, is refused by the store and it appears once.
        reason = one_line(reason)
        self.undelivered.record_undelivered_mail(
            row["position"],
            UUID(row["app_id"]),
            row["kind"],
            self.renderer.recipient(row),
            reason,
        )
        if self.outbox.set_aside(row["position"], reason, self.clock.now()):
            log.warning("mail %s to %s set aside: %s", row["kind"], row["recipient"], reason)
