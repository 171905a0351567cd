"""The activity log fed with real events: one readable line per event, no secrets."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from eventsourcing.persistence import Tracking

from domain.apps import IntegrationApp
from domain.groups import Group
from domain.mail_delivery import UndeliveredMail
from projections.activity_log import ActivityLogProjection, ActivityLogView
from tests.unit.projection_support import (
    APPLICATION,
    Feed,
    Story,
    app_created,
    developer_linked,
    memory_view,
)


def test_an_apps_story_in_words() -> None:
    view = memory_view(ActivityLogView)
    feed = Feed(ActivityLogProjection(view=view))
    group = Story(Group)
    feed(
        group(Group.Registered, name="G"),
        group(Group.EntityAdded, entity_id="e1", code="A1", name="A"),
    )
    app = Story(IntegrationApp)
    feed(app_created(app, group.id, entity_ids=["e1"]))
    feed(developer_linked(app))
    feed(app(IntegrationApp.OtpAttemptFailed, attempts=5, locked=True))
    feed(app(IntegrationApp.Revoked))
    mail = Story(UndeliveredMail)
    feed(
        mail(
            UndeliveredMail.Recorded,
            app_id=app.id,
            outbox_position=3,
            kind="invite",
            recipient="dev@example.com",
            reason="mailbox unknown",
        )
    )
    lines = list(view.rows(str(app.id)))
    assert [r["event"] for r in lines] == [
        "app_created",
        "developer_linked",
        "otp_attempt_failed",
        "app_revoked",
        "mail_undelivered",
    ]
    assert "entities=A1" in lines[0]["details"]  # the entity's code, not its id
    assert lines[1]["details"].startswith("developer=dev@example.com; invite sent")
    assert lines[2]["details"] == "wrong OTP, attempt 5; OTP locked"
    assert (
        lines[4]["details"] == "invite to dev@example.com could not be delivered: mailbox unknown"
    )
    assert all(r["actor"] == "admin@a.example" for r in lines)
    assert not any("digest" in r["details"] or "invite-" in r["details"] for r in lines)
    assert [r["position"] for r in lines] == sorted(r["position"] for r in lines)
    assert list(view.rows(str(uuid4()))) == []
    assert lines[1]["occurred_at"] < (app.at + timedelta(seconds=1)).isoformat()


def test_a_batch_writes_its_lines_together_and_a_failed_one_writes_none() -> None:
    view = memory_view(ActivityLogView)
    projection = ActivityLogProjection(view=view)
    app = Story(IntegrationApp)
    events = [app_created(app, uuid4()), developer_linked(app), app(IntegrationApp.Revoked)]
    try:
        with view.batch(APPLICATION, 1, 2):
            projection.process_event(events[0], Tracking(APPLICATION, 1))
            raise RuntimeError("the batch's transaction fails before it ends")
    except RuntimeError:
        pass
    assert list(view.rows(str(app.id))) == []
    with view.batch(APPLICATION, 1, 3):
        for position, event in enumerate(events, start=1):
            projection.process_event(event, Tracking(APPLICATION, position))
    # The failed batch's line was forgotten, not carried into the next one.
    assert [r["position"] for r in view.rows(str(app.id))] == [1, 2, 3]
    assert view.max_tracking_id(APPLICATION) == 3
