"""Real domain events fed by hand into one projection over an in-memory SQLite view."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import get_topic

from domain.apps import IntegrationApp
from projections.sql import SqlDatabase
from projections.view import View

APPLICATION = "IntegrationsApplication"
START = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
ADMIN = {"type": "admin", "id": "admin-1", "name": "admin@a.example"}
V = TypeVar("V", bound=View)


def memory_view(view_class: type[V]) -> V:
    view = view_class(SqlDatabase(SQLiteDatastore(":memory:"), "sqlite"))
    view.create_tables()
    return view


class Feed:
    """Feeds events to a projection as a runner would: one transaction per event, positions
    counting up from 1."""

    def __init__(self, projection: Projection[Any]) -> None:
        self.projection = projection
        self.position = 0

    def __call__(self, *events: Any) -> int:
        for event in events:
            self.position += 1
            self.projection.process_event(event, Tracking(APPLICATION, self.position))
        return self.position


class Story:
    """The events of one aggregate, in order: versions count up, each a minute later."""

    def __init__(self, aggregate: type[Any], start: datetime = START, id: UUID | None = None):
        self.aggregate = aggregate
        self.id = id or uuid4()
        self.version = 0
        self.at = start

    def __call__(self, event_class: type[Any], **fields: Any) -> Any:
        self.version += 1
        self.at += timedelta(minutes=1)
        if self.version == 1:
            fields["originator_topic"] = get_topic(self.aggregate)
        fields.setdefault("actor", ADMIN)
        return event_class(
            originator_id=self.id, originator_version=self.version, timestamp=self.at, **fields
        )


# A new_integration app as the tests create it, less its group and client id.
NEW_APP: dict[str, Any] = {
    "app_type": "new_integration",
    "preset": None,
    "name": "Invoice Sync",
    "description": "Invoices",
    "category": "accounting",
    "api_permission": "read",
    "entity_ids": ["e1"],
}


def app_created(story: Story, group_id: UUID, **overrides: Any) -> IntegrationApp.Created:
    fields = {**NEW_APP, "group_id": group_id, "client_id": f"client-{story.id}", **overrides}
    event: IntegrationApp.Created = story(IntegrationApp.Created, **fields)
    return event


def developer_linked(
    story: Story, email: str = "dev@example.com", signed_up: bool = False, otp_days: int = 3
) -> IntegrationApp.DeveloperLinked:
    event: IntegrationApp.DeveloperLinked = story(
        IntegrationApp.DeveloperLinked,
        email=email,
        linked_at=story.at,
        signed_up=signed_up,
        invite_id=None if signed_up else f"invite-{story.version}",
        invite_expires_at=None if signed_up else story.at + timedelta(days=7),
        otp_digest="digest-not-secret-here",
        otp_expires_at=story.at + timedelta(days=otp_days),
    )
    return event
