"""A store written before the changed-field events still loads, replays and reads the same.

legacy_edited_store.json holds the stored events (topic and state as recorded) of a store
that the code of commit 4f1c0e7 wrote, with edits as `IntegrationApp.Edited(changes)`, and
the app list, activity log and access views that code built from them. Here those events go
into an empty store as they were stored, and today's code must rebuild the very same views,
load the same aggregates, and carry on with new edits after the old ones.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from composition.root import Services
from domain.actor import Actor
from domain.apps import IntegrationApp
from domain.commands import EditApp
from entrypoints.replay import replay
from projections.activity_log import GROUP_LOG
from tests.integration.legacy_edited_store import FIXTURE, VIEWS

LEGACY: dict[str, Any] = json.loads(FIXTURE.read_text())
# Tables the old code did not have, beyond those empty in its store (revoked_tokens): the
# activity log's map of logs to groups and of users to groups, and the groups off AIQ3.
TABLES_ADDED_SINCE = frozenset(
    {"activity_apps", "activity_users", "app_list_groups", "access_groups"}
)


def _states(topic: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (e["originator_id"], json.loads(e["state"]))
        for e in LEGACY["events"]
        if e["topic"] == topic
    ]


APPS = {s["name"]: UUID(i) for i, s in _states("domain.apps:IntegrationApp.Created")}
ENTITIES = {s["code"]: s["entity_id"] for _, s in _states("domain.groups:Group.EntityAdded")}
E1, E2, E3 = ENTITIES["E1"], ENTITIES["E2"], ENTITIES["E3"]


def _cell(value: Any) -> str:
    # Both backends, one spelling: SQLite's 0/1 and PostgreSQL's booleans alike.
    if isinstance(value, bool):
        value = int(value)
    return "" if value is None else str(value)


def _rows(services: Services, table: str) -> set[tuple[tuple[str, str], ...]]:
    """The table's rows, in the columns the old code stored: those added since (e.g. the
    list's settled status), and the group's own lines of the activity log (users, entities,
    plan: added since, under GROUP_LOG keys), are compared with a rebuild by the replay."""
    view = next(v for v in services.views.values() if table in v.tables)
    old = {k for row in LEGACY["views"].get(table, []) for k in row}
    return {
        tuple((k, _cell(v)) for k, v in sorted(row.items()) if k in old)
        for row in view.db.query(f"SELECT * FROM {table}")
        if not str(row.get("app_id", "")).startswith(GROUP_LOG)
    }


def _legacy_rows(table: str) -> set[tuple[tuple[str, str], ...]]:
    # Tables added since (revoked_tokens) are empty in that store: it has no tokens.
    rows = LEGACY["views"].get(table, [])
    return {tuple((k, _cell(v)) for k, v in sorted(r.items())) for r in rows}


def _admin() -> Actor:
    (user_id, user), *_ = _states("domain.users:User.Registered")
    group_id = user["group_id"]["_data_"]
    return Actor(
        type="admin",
        id=str(UUID(user_id)),
        name=user["email"],
        group_id=UUID(group_id),
        role="practice_admin",
    )


@pytest.fixture
def legacy(services: Services) -> Services:
    """The old store's events, recorded as they were stored, and the views caught up."""
    stored = [
        StoredEvent(
            originator_id=UUID(e["originator_id"]),
            originator_version=e["originator_version"],
            topic=e["topic"],
            state=e["state"].encode("utf-8"),
        )
        for e in LEGACY["events"]
    ]
    services.store.recorder.insert_events(stored)
    assert services.store.head() == LEGACY["events"][-1]["id"]  # the same positions
    services.wait_until_current()
    return services


def test_the_fixture_holds_legacy_edits() -> None:
    edits = [json.loads(e["state"])["changes"] for e in LEGACY["events"] if "Edited" in e["topic"]]
    assert len(edits) == 4 and any(len(changes) == 3 for changes in edits)


def test_old_edits_load_into_the_aggregate(legacy: Services) -> None:
    app = legacy.store.get(APPS["Legacy Sync"], IntegrationApp)
    assert (app.description, app.category, app.entity_ids, app.version) == (
        "all three",
        "crm",
        [E3, E1],
        5,
    )
    then = legacy.store.get(APPS["Legacy Sync"], IntegrationApp, version=3)
    assert (then.description, then.category, then.entity_ids) == ("two fields", "crm", [E1, E2])
    other = legacy.store.get(APPS["Legacy Other"], IntegrationApp)
    assert other.revoked and other.entity_ids == [E2, E3]
    history = legacy.commands.apps.app_history(_admin(), APPS["Legacy Sync"], None).events
    assert [type(e).__name__ for e in history][2:] == ["Edited", "Edited", "Edited"]


def test_views_equal_what_the_old_code_built(legacy: Services) -> None:
    for name in VIEWS:
        for table in legacy.views[name].tables:
            if table in TABLES_ADDED_SINCE:
                continue  # the replay below compares them with a rebuild
            assert _rows(legacy, table) == _legacy_rows(table), table
        assert replay(legacy, name, show_progress=False) == [], name


def test_the_activity_log_reads_as_before(legacy: Services) -> None:
    lines = [
        (r["event"], r["details"])
        for r in legacy.views["activity_log"].rows(str(APPS["Legacy Sync"]))  # type: ignore[attr-defined]
    ]
    assert lines[2:] == [
        ("app_edited", "description=two fields; entities=E1, E2"),
        ("app_edited", "category=accounting"),
        ("app_edited", "description=all three; category=crm; entities=E3, E1"),
    ]


def test_new_edits_follow_old_ones(legacy: Services) -> None:
    app_id = APPS["Legacy Sync"]
    legacy.commands.apps.edit_app(_admin(), app_id, EditApp(description="new", entity_ids=[E2]))
    events = legacy.store.events_of(app_id)[5:]
    assert [(type(e).__name__, e.originator_version) for e in events] == [
        ("DescriptionChanged", 6),
        ("EntitiesChanged", 7),
    ]
    legacy.wait_until_current()
    rows = list(legacy.views["activity_log"].rows(str(app_id)))  # type: ignore[attr-defined]
    assert [r["details"] for r in rows[-2:]] == ["description=new", "entities=E2"]
    listed = legacy.views["app_list"].get(str(app_id))  # type: ignore[attr-defined]
    assert (listed["description"], json.loads(listed["entity_ids"]), listed["version"]) == (
        "new",
        [E2],
        7,
    )
    assert legacy.views["access"].for_client(listed["client_id"])["entity_ids"] == [E2]  # type: ignore[attr-defined]
    for name in VIEWS:  # old and new events together still rebuild the live views
        assert replay(legacy, name, show_progress=False) == [], name
