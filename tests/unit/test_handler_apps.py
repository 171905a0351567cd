"""AppCommands: the positions its commands return, and history as of a moment."""

from __future__ import annotations

from datetime import timedelta

from domain.apps import AppName
from domain.commands import CreateApp, EditApp
from domain.naming import normalise_name
from tests.unit.conftest import Domain


def test_each_command_returns_the_position_of_what_it_recorded(domain: Domain) -> None:
    apps = domain.commands.apps
    created = apps.create_app(domain.admin, CreateApp(**domain.fields()))
    assert created.position == domain.store.head()  # the app, its name claims and invite
    assert domain.store.exists(AppName.create_id(normalise_name("Invoice Sync")))
    edited = apps.edit_app(domain.admin, created.app.id, EditApp(description="Better"))
    assert created.position < edited.position == domain.store.head()
    revoked = apps.revoke_app(domain.admin, created.app.id, True)
    assert edited.position < revoked.position == domain.store.head()


def test_an_edit_that_changes_nothing_records_nothing_and_returns_0(domain: Domain) -> None:
    apps = domain.commands.apps
    app = apps.create_app(domain.admin, CreateApp(**domain.fields())).app
    head = domain.store.head()
    unchanged = apps.edit_app(
        domain.admin,
        app.id,
        EditApp(description=" Invoices ", category="accounting", entity_ids=domain.entities[:1]),
    )
    assert unchanged.position == 0
    assert domain.store.head() == head
    assert domain.event_names(app.id) == ["Created", "DeveloperLinked"]


def test_history_as_of_a_moment_shows_the_state_then(domain: Domain) -> None:
    apps = domain.commands.apps
    app = apps.create_app(domain.admin, CreateApp(**domain.fields())).app
    linked_at = domain.store.events_of(app.id)[-1].timestamp
    apps.edit_app(domain.admin, app.id, EditApp(description="Better"))
    then = apps.app_history(domain.auditor, app.id, linked_at)
    assert [type(e).__name__ for e in then.events] == ["Created", "DeveloperLinked"]
    assert then.state is not None and then.state.description == "Invoices"
    now = apps.app_history(domain.auditor, app.id, None)
    assert now.state is not None and now.state.description == "Better"
    created_at = domain.store.events_of(app.id)[0].timestamp
    before = apps.app_history(domain.auditor, app.id, created_at - timedelta(seconds=1))
    assert (before.events, before.state) == ([], None)
