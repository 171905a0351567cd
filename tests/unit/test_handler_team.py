"""TeamHandler on in-memory storage: staff accounts and sessions, and what staff may do to
the managed apps of any group (and nothing else)."""

from __future__ import annotations

import pytest

from domain.actor import Actor
from domain.commands import CreateApp
from domain.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from domain.handlers.team import staff_actor
from tests.unit.conftest import Domain

PASSWORD = "a long staff password"


def requested(domain: Domain) -> object:
    spec = domain.fields(
        type="aiq_integrate",
        preset="custom",
        name="Month End",
        developer_email=None,
        api_permission=None,
        acknowledge_charges=True,
        acknowledge_data_access=True,
    )
    return domain.commands.apps.create_app(domain.admin, CreateApp(**spec)).app


def test_accounts_are_unique_and_passwords_checked(domain: Domain) -> None:
    team = domain.commands.team
    created = team.create_staff(" Sam@AIQ.example ", "Sam Staff", PASSWORD)
    assert created.staff.email == "sam@aiq.example"
    with pytest.raises(ConflictError):
        team.create_staff("sam@aiq.example", "Another", PASSWORD)
    with pytest.raises(ValidationError):
        team.create_staff("not-an-address", "X", PASSWORD)
    with pytest.raises(AuthenticationError):
        team.login("sam@aiq.example", "wrong password here")
    with pytest.raises(AuthenticationError):  # a group's admin is not staff
        team.login("admin@a.example", "correct horse battery")
    session = team.login("SAM@aiq.example", PASSWORD)
    assert session.token and session.expires_at > domain.clock.now()
    me = staff_actor(session.staff)
    team.logout(me, session.token)
    with pytest.raises(PermissionDeniedError):
        team.logout(domain.admin, session.token)


def test_staff_link_developers_and_note_progress_on_managed_apps_only(domain: Domain) -> None:
    team = domain.commands.team
    staff = staff_actor(team.create_staff("sam@aiq.example", "Sam", PASSWORD).staff)
    app = requested(domain)
    own = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields())).app
    with pytest.raises(NotFoundError):  # a New Integration app is the group's own business
        team.link_developer(staff, own.id, "builder@aiq.example")
    with pytest.raises(PermissionDeniedError):
        team.link_developer(domain.admin, app.id, "builder@aiq.example")  # type: ignore[attr-defined]
    issued = team.link_developer(staff, app.id, "builder@aiq.example")  # type: ignore[attr-defined]
    assert len(issued.otp) == 8 and issued.app.developer.email == "builder@aiq.example"  # type: ignore[union-attr]
    linked = domain.store.events_of(app.id)[-1]  # type: ignore[attr-defined]
    assert type(linked).__name__ == "DeveloperLinked" and linked.actor["type"] == "staff"
    with pytest.raises(ConflictError):
        team.link_developer(staff, app.id, "other@aiq.example")  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        team.note_progress(staff, app.id, "half-way", "")  # type: ignore[attr-defined]
    noted = team.note_progress(staff, app.id, "done", "  live since Monday ")  # type: ignore[attr-defined]
    last = domain.store.events_of(app.id)[-1]  # type: ignore[attr-defined]
    assert (last.state, last.note, last.actor["type"]) == ("done", "live since Monday", "staff")
    assert noted.app.progress == "done"
    # Staff do not become app managers of the group.
    assert not Actor(type="staff", id="x", name="x").can_manage_apps
