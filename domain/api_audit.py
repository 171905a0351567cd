"""Calls to the accounting API that were refused, kept for the app's activity log."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.naming import index_id

Actor = dict[str, Any]


class DeniedCall(Aggregate):
    """The refused calls of one app for one reason in one interval.

    The first is recorded at once under an id derived from (app, reason, interval), so it is
    recorded exactly once whichever process refuses it; the others are only counted, and each
    process appends their number as `Repeated` when it flushes. A client hammering with a
    revoked token thus adds a few events per interval, not one per call. (Aggregates
    recorded before intervals existed have random ids and no repeats.)
    """

    class Recorded(Aggregate.Created):
        app_id: UUID
        operation: str
        entity: str
        reason: str
        actor: Actor

    class Repeated(Aggregate.Event):
        app_id: UUID
        reason: str
        count: int  # refused after the first, since the last Repeated of this process
        total: int  # refused in this interval so far, the first included
        since: datetime  # the interval's start
        actor: Actor

    @staticmethod
    def id_for(app_id: UUID, reason: str, interval_start: datetime) -> UUID:
        return index_id("denied-call", f"{app_id}|{reason}|{interval_start.isoformat()}")

    @event(Recorded)
    def __init__(
        self,
        app_id: UUID,
        operation: str,
        entity: str,
        reason: str,
        actor: Actor,
        id: UUID | None = None,  # eventsourcing's keyword for a chosen aggregate id
    ) -> None:
        self.app_id = app_id
        self.operation = operation
        self.entity = entity
        self.reason = reason
        self.total = 1

    def count_repeats(self, count: int, since: datetime, actor: Actor) -> None:
        if count > 0:
            self._repeated(self.app_id, self.reason, count, self.total + count, since, actor)

    @event(Repeated)
    def _repeated(
        self, app_id: UUID, reason: str, count: int, total: int, since: datetime, actor: Actor
    ) -> None:
        self.total = total
