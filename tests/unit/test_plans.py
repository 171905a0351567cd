"""SPEC 11, product plans: the rule on the group, the handler, and the three views that apply
a plan change to every app of the group (list, access, activity log)."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

import pytest
from eventsourcing.persistence import Tracking

from domain.actor import Actor
from domain.apps import IntegrationApp
from domain.commands import CreateApp
from domain.errors import PermissionDeniedError, PlanRequiredError, ValidationError
from domain.groups import Group
from domain.status import Status, status_of
from projections.access import AccessProjection, AccessView
from projections.activity_log import ActivityLogProjection, ActivityLogView
from projections.app_list import AppListProjection, AppListView
from projections.app_list_queries import AppQuery, facts_of
from projections.view import iso
from tests.unit.conftest import Domain
from tests.unit.projection_support import (
    ADMIN,
    APPLICATION,
    Feed,
    Story,
    app_created,
    memory_view,
)

STAFF = Actor(type="staff", id="staff-1", name="sam@aiq.example")


def test_only_the_team_moves_a_group_and_only_to_a_known_plan(domain: Domain) -> None:
    group_id = domain.admin.group_id
    assert group_id is not None
    for actor in (domain.admin, domain.manager, domain.auditor):
        with pytest.raises(PermissionDeniedError):
            domain.commands.directory.change_plan(actor, group_id, "aiq2")
    with pytest.raises(ValidationError) as refused:
        domain.commands.directory.change_plan(STAFF, group_id, "aiq9")
    assert refused.value.field == "plan"
    group, _ = domain.commands.directory.change_plan(STAFF, group_id, "aiq2")
    assert (group.plan, group.integrations_available) == ("aiq2", False)
    changed = domain.store.events_of(group_id)[-1]
    assert isinstance(changed, Group.PlanChanged)
    assert (changed.previous_plan, changed.plan, changed.actor["type"]) == ("aiq3", "aiq2", "staff")
    before = domain.store.head()
    domain.commands.directory.change_plan(STAFF, group_id, "aiq2")  # already: no event
    assert domain.store.head() == before


def test_a_group_off_aiq3_creates_no_app(domain: Domain) -> None:
    group_id = domain.admin.group_id
    assert group_id is not None
    # One app first: the group it read is kept (EventStore.current), and must follow.
    domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields(name="Before")))
    domain.commands.directory.change_plan(STAFF, group_id, "aiq1")
    with pytest.raises(PlanRequiredError) as refused:
        domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields()))
    assert refused.value.code == "plan_required" and "AIQ3" in refused.value.message
    domain.commands.directory.change_plan(STAFF, group_id, "aiq3")
    assert domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields())).app


def test_a_bootstrapped_group_may_start_on_another_plan(domain: Domain) -> None:
    created = domain.commands.directory.bootstrap_group(
        "Small Co", [("S1", "Small Ltd")], "owner@small.example", "correct horse battery", "aiq2"
    )
    assert created.group.plan == "aiq2"
    with pytest.raises(ValidationError):
        domain.commands.directory.bootstrap_group(
            "Odd Co", [("O1", "Odd")], "owner@odd.example", "correct horse battery", "gold"
        )
    assert not domain.commands.directory.has_user("owner@odd.example")  # nothing recorded


def _moves(group: Story, plan: str, previous: str) -> Group.PlanChanged:
    event: Group.PlanChanged = group(
        Group.PlanChanged, plan=plan, previous_plan=previous, actor=STAFF.as_event_data()
    )
    return event


def test_the_list_suspends_every_app_and_restores_each_status() -> None:
    view = memory_view(AppListView)
    feed = Feed(AppListProjection(view=view))
    group, other = Story(Group), Story(Group)
    feed(
        group(Group.Registered, name="G", actor=ADMIN),
        other(Group.Registered, name="O", actor=ADMIN),
    )
    pending, active, elsewhere = Story(IntegrationApp), Story(IntegrationApp), Story(IntegrationApp)
    feed(app_created(pending, group.id), app_created(active, group.id))
    feed(app_created(elsewhere, other.id))
    feed(
        active(
            IntegrationApp.DeveloperLinked,
            email="dev@example.com",
            linked_at=active.at,
            signed_up=True,
            invite_id=None,
            invite_expires_at=None,
            otp_digest="x",
            otp_expires_at=active.at.replace(year=2031),
        ),
        active(IntegrationApp.OtpVerified),
    )
    before = {a.id: _status(view, str(a.id)) for a in (pending, active, elsewhere)}
    assert before[active.id] == Status.ACTIVE and before[pending.id] == Status.NO_DEVELOPER
    feed(_moves(group, "aiq2", "aiq3"))
    assert _status(view, str(pending.id)) == _status(view, str(active.id)) == Status.SUSPENDED
    assert _status(view, str(elsewhere.id)) == before[elsewhere.id]  # another group's app
    # An app the group gets while off AIQ3 (e.g. created at the same moment) is suspended too.
    late = Story(IntegrationApp)
    feed(app_created(late, group.id))
    assert _status(view, str(late.id)) == Status.SUSPENDED
    feed(_moves(group, "aiq1", "aiq2"))  # still off AIQ3: still suspended
    assert _status(view, str(active.id)) == Status.SUSPENDED
    feed(_moves(group, "aiq3", "aiq1"))
    assert {a.id: _status(view, str(a.id)) for a in (pending, active, elsewhere)} == before
    assert _status(view, str(late.id)) == Status.NO_DEVELOPER
    row = view.get(str(active.id))
    assert row is not None and row["version"] == 3  # not an edit of the app


def test_in_one_batch_apps_created_after_a_plan_change_follow_it() -> None:
    """A batch reads each group's plan once and keeps it (AppListView._group_suspended): a
    plan change inside the batch must change what it keeps, and the next batch reads again."""
    view = memory_view(AppListView)
    projection = AppListProjection(view=view)
    group, before, after, next_batch = (Story(Group), *(Story(IntegrationApp) for _ in "abc"))
    events = [
        group(Group.Registered, name="G", actor=ADMIN),
        app_created(before, group.id),
        _moves(group, "aiq2", "aiq3"),
        app_created(after, group.id),
    ]
    with view.batch(APPLICATION, 1, len(events)):
        for position, event in enumerate(events, 1):
            projection.process_event(event, Tracking(APPLICATION, position))
    assert _status(view, str(before.id)) == _status(view, str(after.id)) == Status.SUSPENDED
    position = len(events) + 1
    with view.batch(APPLICATION, position, position):
        projection.process_event(app_created(next_batch, group.id), Tracking(APPLICATION, position))
    assert _status(view, str(next_batch.id)) == Status.SUSPENDED


def _status(view: AppListView, app_id: str) -> Status:
    row = view.get(app_id)
    assert row is not None
    now = row["created_at"]
    status = status_of(facts_of(row), datetime.fromisoformat(now))
    # The list's filter agrees with the status shown.
    found, _ = view.search(AppQuery(group_id=row["group_id"], now=now, status=[status.value]))
    assert app_id in [r["id"] for r in found]
    return status


def test_access_and_the_activity_log_follow_the_plan() -> None:
    access = memory_view(AccessView)
    log = memory_view(ActivityLogView)
    feeds = [Feed(AccessProjection(view=access)), Feed(ActivityLogProjection(view=log))]
    group = Story(Group)
    app = Story(IntegrationApp)
    events = [
        group(Group.Registered, name="G", actor=ADMIN),
        app_created(app, group.id, client_id="client-1"),
        _moves(group, "aiq2", "aiq3"),
    ]
    for feed in feeds:
        feed(*events)
    assert access.for_client("client-1")["suspended"] is True  # type: ignore[index]
    assert access.for_call(str(app.id), str(uuid4()))["suspended"] is True  # type: ignore[index]
    back = _moves(group, "aiq3", "aiq2")
    for feed in feeds:
        feed(back)
    assert access.for_client("client-1")["suspended"] is False  # type: ignore[index]
    lines = [(r["event"], r["actor_type"]) for r in log.rows(str(app.id))]
    assert lines[-2:] == [("app_suspended", "staff"), ("app_restored", "staff")]
    assert iso(back.timestamp) == list(log.rows(str(app.id)))[-1]["occurred_at"]
