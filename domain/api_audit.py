"""Calls to the accounting API that were refused, kept for the app's activity log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

Actor = dict[str, Any]


class DeniedCall(Aggregate):
    """One refused call (its own aggregate, so concurrent denials never conflict)."""

    class Recorded(Aggregate.Created):
        app_id: UUID
        operation: str
        entity: str
        reason: str
        actor: Actor

    @event(Recorded)
    def __init__(
        self, app_id: UUID, operation: str, entity: str, reason: str, actor: Actor
    ) -> None:
        self.app_id = app_id
        self.operation = operation
        self.entity = entity
        self.reason = reason
