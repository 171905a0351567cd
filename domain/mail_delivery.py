"""E-mails that could not be delivered, kept for the app's activity log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.naming import index_id

Actor = dict[str, Any]


class UndeliveredMail(Aggregate):
    """One outbox message set aside for good.

    Its id derives from the outbox position, so two senders that both give up on the same
    message (or one that crashed after recording it) collide in the store: recorded once.
    It holds no secret: the kind of message and the recipient, never its link or code.
    """

    class Recorded(Aggregate.Created):
        app_id: UUID
        outbox_position: int
        kind: str
        recipient: str
        reason: str
        actor: Actor

    @staticmethod
    def create_id(outbox_position: int) -> UUID:
        return index_id("undelivered-mail", str(outbox_position))

    @event(Recorded)
    def __init__(
        self,
        app_id: UUID,
        outbox_position: int,
        kind: str,
        recipient: str,
        reason: str,
        actor: Actor,
    ) -> None:
        self.app_id = app_id
        self.outbox_position = outbox_position
        self.kind = kind
        self.recipient = recipient
        self.reason = reason
