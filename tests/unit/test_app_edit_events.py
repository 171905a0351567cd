"""An edit records one event per field it changes, in a fixed order, in one save; the
legacy `Edited` of older stores still applies and splits into those same events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import uuid4

import pytest

from domain.apps import IntegrationApp, fields_changed
from domain.commands import CreateApp, EditApp
from domain.errors import ConcurrentChangeError, ConflictError
from tests.unit.conftest import Domain
from tests.unit.projection_support import NEW_APP

ACTOR = {"type": "admin", "id": "admin-1", "name": "admin@a.example"}


def new_app(**overrides: Any) -> IntegrationApp:
    fields = {**NEW_APP, "group_id": uuid4(), "client_id": "client-1", "actor": ACTOR}
    return IntegrationApp(**{**fields, **overrides})


def replayed(events: Sequence[Any]) -> IntegrationApp:
    aggregate: Any = None
    for e in events:
        aggregate = e.mutate(aggregate)
    assert isinstance(aggregate, IntegrationApp)
    return aggregate


def test_one_event_per_changed_field_in_a_fixed_order() -> None:
    app = new_app()
    # The order of the request does not matter; nor do fields that did not change.
    changes = {"entity_ids": ["e2", "e3"], "category": "accounting", "description": "New"}
    assert app.edit(changes, ACTOR) is True
    events = app.collect_events()
    assert [type(e) for e in events[1:]] == [
        IntegrationApp.DescriptionChanged,
        IntegrationApp.EntitiesChanged,
    ]
    described, entities = events[1:]
    assert isinstance(described, IntegrationApp.DescriptionChanged)
    assert isinstance(entities, IntegrationApp.EntitiesChanged)
    assert (described.description, entities.entity_ids) == ("New", ["e2", "e3"])
    assert described.actor == entities.actor == ACTOR
    assert (app.description, app.category, app.entity_ids) == ("New", "accounting", ["e2", "e3"])
    again = replayed(events)
    assert (again.description, again.entity_ids, again.version) == ("New", ["e2", "e3"], 3)


def test_each_field_has_its_own_event() -> None:
    app = new_app()
    app.edit({"category": None}, ACTOR)
    app.edit({"category": None, "description": "Invoices"}, ACTOR)  # nothing differs
    app.edit({"description": "Only words"}, ACTOR)
    events = app.collect_events()
    assert [type(e).__name__ for e in events[1:]] == ["CategoryChanged", "DescriptionChanged"]
    again = replayed(events)
    assert (again.category, again.description) == (None, "Only words")


def test_nothing_to_change_and_refusals_record_nothing() -> None:
    app = new_app()
    assert app.edit({"description": "Invoices", "entity_ids": ["e1"]}, ACTOR) is False
    with pytest.raises(ValueError, match="name"):
        app.edit({"description": "New", "name": "Renamed"}, ACTOR)
    assert len(app.collect_events()) == 1 and app.description == "Invoices"
    app.trigger_event(IntegrationApp.Revoked, actor=ACTOR)
    with pytest.raises(ConflictError):
        app.edit({"description": "New"}, ACTOR)


def test_a_legacy_edited_still_applies_and_splits() -> None:
    app = new_app()
    changes = {"entity_ids": ["e9"], "description": "Old style", "category": "crm"}
    app.trigger_event(IntegrationApp.Edited, changes=changes, actor=ACTOR)
    events = app.collect_events()
    assert (app.description, app.category, app.entity_ids) == ("Old style", "crm", ["e9"])
    assert replayed(events).entity_ids == ["e9"]
    legacy = events[1]
    assert isinstance(legacy, IntegrationApp.Edited)
    parts = fields_changed(legacy)
    # In the legacy event's own order, each with its id, version, time and actor.
    assert [type(p).__name__ for p in parts] == [
        "EntitiesChanged",
        "DescriptionChanged",
        "CategoryChanged",
    ]
    assert {(p.originator_id, p.originator_version, p.timestamp) for p in parts} == {
        (legacy.originator_id, 2, legacy.timestamp)
    }
    assert all(p.actor == ACTOR for p in parts)
    assert fields_changed(parts[1]) == [parts[1]]  # today's events stand for themselves


def test_one_save_records_every_field_or_none(domain: Domain) -> None:
    app_id = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields())).app.id
    before = domain.store.head()
    recorded = domain.commands.apps.edit_app(
        domain.admin, app_id, EditApp(description="Both", entity_ids=domain.entities[1:])
    )
    assert recorded.position == before + 2 == domain.store.head()
    assert domain.event_names(app_id)[-2:] == ["DescriptionChanged", "EntitiesChanged"]
    # Two edits of the same version: the second loses the race and records neither field.
    first = domain.store.get(app_id, IntegrationApp)
    second = domain.store.get(app_id, IntegrationApp)
    first.edit({"description": "First"}, ACTOR)
    domain.store.record(first)
    second.edit({"category": "crm", "entity_ids": domain.entities[:1]}, ACTOR)
    with pytest.raises(ConcurrentChangeError):
        domain.store.record(second)
    assert domain.event_names(app_id)[-1] == "DescriptionChanged"
    assert domain.store.get(app_id, IntegrationApp).category == "accounting"
