"""What the mail notifier records: a message it had to set aside."""

from __future__ import annotations

from uuid import UUID

from domain.actor import Actor
from domain.errors import ConcurrentChangeError
from domain.mail_delivery import UndeliveredMail
from domain.store import EventStore

REASON_LIMIT = 300


def _one_line(text: str) -> str:
    """A server's reply on one printable line (multi-line replies, stray control bytes)."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


class MailHandler:
    def __init__(self, store: EventStore) -> None:
        self.store = store

    def record_undelivered_mail(
        self, outbox_position: int, app_id: UUID, kind: str, recipient: str, reason: str
    ) -> bool:
        """Records once that a message was set aside; False if it already was."""
        mail = UndeliveredMail(
            app_id=app_id,
            outbox_position=outbox_position,
            kind=kind,
            recipient=recipient,
            reason=_one_line(reason)[:REASON_LIMIT],
            actor=Actor.system("mail-notifier").as_event_data(),
        )
        try:
            self.store.record(mail)
        except ConcurrentChangeError:  # the id is taken: another sender recorded it
            return False
        return True
