"""The event store the handlers share: get aggregates, record new events, report positions.

A thin eventsourcing application and nothing more: no command lives here, and recording
never waits for the read models. It returns the notification position of what it recorded;
the edge waits for exactly the views its response reads (api/consistency.py), and writes
nothing reads next (refused SOAP calls, failed OTP attempts) wait for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, LRUCache
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import EnvType

from domain.actor import Actor
from domain.apps import IntegrationApp
from domain.errors import ConcurrentChangeError, NotFoundError
from domain.groups import Group

A = TypeVar("A", bound=Aggregate)


# Aggregates kept by `current`, the least recently read going first.
CURRENT_CACHE_SIZE = 10_000


class EventStore(Application[UUID]):
    # The name the views' tracking records and the stored notifications are kept under.
    name = "Integrations"

    def __init__(self, env: EnvType | None = None) -> None:
        super().__init__(env)
        self._current: LRUCache[UUID, Aggregate] = LRUCache(maxsize=CURRENT_CACHE_SIZE)

    def record(self, *aggregates: Aggregate) -> int:
        """Saves the aggregates' new events atomically; returns the last one's position
        (0 when there was nothing to record). A lost race is a ConcurrentChangeError."""
        return max(self.record_each(*aggregates), default=0)

    def record_each(self, *aggregates: Aggregate) -> list[int]:
        """As `record`, returning the position of each aggregate's last new event (0 for
        one with none), in the order given."""
        try:
            recordings = self.save(*aggregates)
        except IntegrityError as error:
            raise ConcurrentChangeError(
                "someone else changed this at the same time; reload and try again"
            ) from error
        last = {r.domain_event.originator_id: int(r.notification.id) for r in recordings}
        return [last.get(aggregate.id, 0) for aggregate in aggregates]

    def head(self) -> int:
        """The position of the newest event recorded by anyone."""
        return int(self.recorder.max_notification_id() or 0)  # type: ignore[attr-defined]

    def exists(self, aggregate_id: UUID) -> bool:
        """Whether anything was recorded under this id: one stored event is enough (the
        repository's `in` would replay them all)."""
        return bool(self.recorder.select_events(aggregate_id, limit=1))

    def get(self, aggregate_id: UUID, kind: type[A], version: int | None = None) -> A:
        """The aggregate if it is a `kind`; otherwise "<kind> not found"."""
        try:
            aggregate: Any = self.repository.get(
                aggregate_id, version=version, projector_func=replay
            )
        except AggregateNotFoundError:
            raise not_found(kind) from None
        if not isinstance(aggregate, kind):
            raise not_found(kind)
        return aggregate

    def find(self, aggregate_id: UUID, kind: type[A]) -> A | None:
        """The aggregate, or None when there is no `kind` with this id (one read, not an
        existence check and then a read: this is on the token and portal paths)."""
        try:
            return self.get(aggregate_id, kind)
        except NotFoundError:
            return None

    def current(self, aggregate_id: UUID, kind: type[A]) -> A | None:
        """As `find`, but the aggregate returned is shared with other callers: read it, never
        change it (commands use `get`, which makes a new one each time).

        Kept from the last call and brought up to date with the events recorded since (one
        read, usually of nothing), so it is as live as `find` and costs the same for an app
        with three events as for one with three hundred: this is the token path's read.
        A copy that has fallen behind is replaced by a new one, never changed in place, so a
        caller still reading the old one is not disturbed."""
        try:
            kept = self._current.get(aggregate_id)
        except KeyError:
            found = self.find(aggregate_id, kind)
            if found is not None:
                self._current.put(aggregate_id, found)
            return found
        if not isinstance(kept, kind):
            return None
        if kept.pending_events:
            # A caller changed the shared copy, against the rule above: never hand it out
            # again, whatever it now says.
            self._current.get(aggregate_id, evict=True)
            return self.current(aggregate_id, kind)
        news = list(self.events.get(aggregate_id, gt=kept.version))
        if not news:
            return kept
        updated: A = replay(deepcopy(kept), news)
        self._current.put(aggregate_id, updated)
        return updated

    def owned(self, actor: Actor, aggregate_id: UUID, kind: type[A]) -> A:
        """The aggregate if it belongs to the actor's group. Another group's answers exactly
        as an unknown id does, to the byte (SPEC 2): 404 says nothing about what exists."""
        aggregate = self.get(aggregate_id, kind)
        try:
            actor.require_group(aggregate.group_id)  # type: ignore[attr-defined]
        except NotFoundError:
            raise not_found(kind) from None
        return aggregate

    def group_of(self, actor: Actor) -> Group:
        """The actor's group, to change."""
        if actor.group_id is None:
            raise NotFoundError("group not found")
        return self.get(actor.group_id, Group)

    def group_to_read(self, actor: Actor) -> Group:
        """The actor's group, shared (see `current`): to check against, never to change.
        Every app created reads it, and a group's history only grows."""
        group = None if actor.group_id is None else self.current(actor.group_id, Group)
        if group is None:
            raise NotFoundError("group not found")
        return group

    def events_of(self, aggregate_id: UUID) -> list[Any]:
        return list(self.events.get(aggregate_id))


def replay(aggregate: Any, events: Iterable[Any]) -> Any:
    """Each event applied in turn: eventsourcing's `project_aggregate` without its check that
    every event is a `CanMutateProtocol`, a runtime Protocol check that costs ~25 us an event
    on Python 3.11 (measured), more than applying it. Every event this store holds is a
    domain event of its aggregates, which can mutate."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def not_found(kind: type[Aggregate]) -> NotFoundError:
    noun = "integration application" if kind is IntegrationApp else kind.__name__.lower()
    return NotFoundError(f"{noun} not found")
