"""The read models fed with the changed-field events, and with the legacy `Edited` of older
stores: the same views either way, and an activity line per event as the log always read."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

from domain.apps import IntegrationApp
from domain.groups import Group
from projections.access import AccessProjection, AccessView
from projections.activity_log import ActivityLogProjection, ActivityLogView
from projections.app_list import AppListProjection, AppListView
from projections.view import iso
from tests.unit.projection_support import Feed, Story, app_created, memory_view

GROUP = uuid4()
# One edit of three fields, as the legacy event held it and as today's events say it.
CHANGES: dict[str, Any] = {"description": "New", "category": "crm", "entity_ids": ["e2", "e3"]}


def changed_field_events(app: Story) -> list[Any]:
    """Three events of one edit: they share a save, but each has its own version."""
    return [
        app(IntegrationApp.DescriptionChanged, description=CHANGES["description"]),
        app(IntegrationApp.CategoryChanged, category=CHANGES["category"]),
        app(IntegrationApp.EntitiesChanged, entity_ids=CHANGES["entity_ids"]),
    ]


def test_the_app_list_follows_each_change() -> None:
    view = memory_view(AppListView)
    feed = Feed(AppListProjection(view=view))
    app = Story(IntegrationApp)
    feed(app_created(app, GROUP))
    feed(app(IntegrationApp.CategoryChanged, category=None))
    row = view.get(str(app.id))
    assert row is not None and row["category"] is None and row["version"] == 2
    feed(*changed_field_events(app))
    row = view.get(str(app.id))
    assert row is not None
    assert (row["description"], row["category"], json.loads(row["entity_ids"])) == (
        "New",
        "crm",
        ["e2", "e3"],
    )
    assert (row["version"], row["updated_at"]) == (5, iso(app.at))
    rows = view.db.query("SELECT entity_id FROM app_list_entities WHERE app_id = ?", (str(app.id),))
    assert sorted(r["entity_id"] for r in rows) == ["e2", "e3"]


def test_a_legacy_edit_gives_the_same_row_as_its_fields() -> None:
    rows = []
    for legacy in (True, False):
        view = memory_view(AppListView)
        feed = Feed(AppListProjection(view=view))
        app = Story(IntegrationApp, id=GROUP)  # the same app id both times
        feed(app_created(app, GROUP))
        if legacy:
            feed(app(IntegrationApp.Edited, changes=CHANGES))
        else:
            feed(*changed_field_events(app))
        row = view.get(str(app.id))
        assert row is not None
        # One legacy event is one version; today's edit is one version per field.
        rows.append({k: v for k, v in row.items() if k not in ("version", "updated_at")})
    assert rows[0] == rows[1]


def test_access_follows_entity_changes_only() -> None:
    view = memory_view(AccessView)
    feed = Feed(AccessProjection(view=view))
    app = Story(IntegrationApp)
    feed(app_created(app, GROUP, client_id="client-1"))
    feed(app(IntegrationApp.DescriptionChanged, description="words only"))
    feed(app(IntegrationApp.CategoryChanged, category="crm"))
    assert view.for_client("client-1")["entity_ids"] == ["e1"]  # type: ignore[index]
    feed(app(IntegrationApp.EntitiesChanged, entity_ids=["e2"]))
    assert view.for_client("client-1")["entity_ids"] == ["e2"]  # type: ignore[index]
    feed(app(IntegrationApp.Edited, changes={"entity_ids": ["e3"], "description": "legacy"}))
    assert view.for_client("client-1")["entity_ids"] == ["e3"]  # type: ignore[index]


def test_the_activity_log_has_a_line_per_change() -> None:
    view = memory_view(ActivityLogView)
    feed = Feed(ActivityLogProjection(view=view))
    group = Story(Group)
    feed(group(Group.Registered, name="G"))
    for entity_id, code in (("e1", "A1"), ("e2", "A2"), ("e3", "A3")):
        feed(group(Group.EntityAdded, entity_id=entity_id, code=code, name=code))
    app = Story(IntegrationApp)
    feed(app_created(app, group.id))
    feed(*changed_field_events(app))
    feed(app(IntegrationApp.CategoryChanged, category=None))
    feed(app(IntegrationApp.Edited, changes=CHANGES))  # a legacy edit: its one line
    lines = [(r["event"], r["details"]) for r in view.rows(str(app.id))]
    assert lines[1:] == [
        ("app_edited", "description=New"),
        ("app_edited", "category=crm"),
        ("app_edited", "entities=A2, A3"),  # codes, not ids
        ("app_edited", "category=None"),
        ("app_edited", "description=New; category=crm; entities=A2, A3"),
    ]
    assert all(r["actor"] == "admin@a.example" for r in view.rows(str(app.id)))
