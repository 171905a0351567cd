"""DirectoryHandler: bootstrap, users, roles and permissions as events, sessions, isolation."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate

from domain.actor import MANAGE_APPS, Actor
from domain.credentials import token_digest
from domain.errors import (
    AuthenticationError,
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from domain.groups import Group
from domain.handlers.directory import Session
from domain.users import PracticeAdmins, User
from tests.unit.conftest import PASSWORD, Domain

GOOD = "a long and unusual passphrase"


def user_id(actor: Actor) -> UUID:
    return UUID(actor.id)


def group_of(actor: Actor) -> UUID:
    assert actor.group_id is not None
    return actor.group_id


@pytest.mark.parametrize(
    ("name", "entities", "email", "password", "field", "says"),
    [
        ("G", [("C1", "One")], "not-an-email", GOOD, "email", "not a valid e-mail"),
        ("G", [("C1", "One")], "Admin@A.example", GOOD, "email", "already exists"),
        ("G", [("C1", "One")], "new@g.example", "too short", "password", "12-256"),
        ("G", [("C1", "One")], "new@g.example", "new@g.example1", "password", "too easy"),
        ("  ", [("C1", "One")], "new@g.example", GOOD, "group", "group"),
        ("G", [("C1", "One"), ("c1", "Two")], "new@g.example", GOOD, "code", "already exists"),
        ("G", [("", "One")], "new@g.example", GOOD, "code", "1-32 characters"),
    ],
)
def test_bootstrap_refuses_a_bad_group_or_admin_before_recording_anything(
    domain: Domain,
    name: str,
    entities: list[tuple[str, str]],
    email: str,
    password: str,
    field: str,
    says: str,
) -> None:
    before = domain.store.head()
    with pytest.raises(DomainError) as refused:
        domain.commands.directory.bootstrap_group(name, entities, email, password)
    assert (refused.value.field, says in refused.value.message) == (field, True)
    assert domain.store.head() == before


def test_bootstrap_records_the_group_its_entities_and_its_first_admin(domain: Domain) -> None:
    done = domain.commands.directory.bootstrap_group(
        "Group C", [("C1", "One"), ("C2", "Two")], "First@C.example", GOOD
    )
    assert done.position == domain.store.head()
    group = domain.store.get(done.group.id, Group)
    assert sorted(e["code"] for e in group.entities.values()) == ["C1", "C2"]
    assert (done.admin.email, done.admin.role) == ("first@c.example", "practice_admin")
    roster = domain.store.get(PracticeAdmins.create_id(group.id), PracticeAdmins)
    assert roster.user_ids == {done.admin.id}
    assert domain.commands.directory.login("first@c.example", GOOD).user.id == done.admin.id


@pytest.mark.parametrize(
    ("email", "role", "permissions", "full_name", "field"),
    [
        ("bad-email", "user", [], "Nia", "email"),
        ("nia@a.example", "owner", [], "Nia", "role"),
        ("nia@a.example", "user", ["delete_everything"], "Nia", "permissions"),
        ("nia@a.example", "user", [], "\u202eNia", "full_name"),
        ("nia@a.example", "user", [], "N" * 201, "full_name"),
    ],
)
def test_create_user_names_the_bad_field_and_records_nothing(
    domain: Domain, email: str, role: str, permissions: list[str], full_name: str, field: str
) -> None:
    before = domain.store.head()
    with pytest.raises(ValidationError) as refused:
        domain.commands.directory.create_user(
            domain.admin, group_of(domain.admin), email, full_name, role, GOOD, permissions
        )
    assert refused.value.field == field
    assert domain.store.head() == before


def test_users_are_created_by_practice_admins_with_unique_emails(domain: Domain) -> None:
    directory, group_id = domain.commands.directory, group_of(domain.admin)
    with pytest.raises(PermissionDeniedError):
        directory.create_user(domain.manager, group_id, "nia@a.example", "Nia", "user", GOOD)
    with pytest.raises(ConflictError) as taken:  # across groups, whatever the case
        directory.create_user(domain.admin, group_id, "ADMIN@b.example", "B", "user", GOOD)
    assert taken.value.field == "email"
    created = directory.create_user(
        domain.admin, group_id, " Nia@A.example ", "Nia", "auditor", GOOD, [MANAGE_APPS]
    )
    assert created.position == domain.store.head()
    user = domain.store.get(created.user.id, User)
    assert (user.email, user.role, user.permissions) == ("nia@a.example", "auditor", [MANAGE_APPS])
    assert user.password_hash != GOOD and domain.passwords.matches(user.password_hash, GOOD)
    assert directory.has_user("NIA@a.example") and not directory.has_user("nobody@a.example")


def test_roles_permissions_and_names_change_as_events(domain: Domain) -> None:
    directory, plain = domain.commands.directory, user_id(domain.plain)
    granted = directory.update_user(domain.admin, plain, permissions=[MANAGE_APPS])
    assert granted.user.permissions == [MANAGE_APPS]
    removed = directory.update_user(domain.admin, plain, permissions=[])
    renamed = directory.update_user(domain.admin, plain, role="auditor", full_name="Uma User")
    assert 0 < granted.position < removed.position < renamed.position == domain.store.head()
    assert domain.event_names(plain) == [
        "Registered",
        "PermissionGranted",
        "PermissionRemoved",
        "RoleChanged",
        "Renamed",
    ]
    events = domain.store.events_of(plain)
    assert events[1].permission == events[2].permission == MANAGE_APPS
    assert all(e.actor["id"] == domain.admin.id for e in events[1:])
    user = domain.store.get(plain, User)
    assert (user.role, user.full_name, user.permissions) == ("auditor", "Uma User", [])
    # Nothing that differs: nothing recorded, position 0.
    same = directory.update_user(domain.admin, plain, "auditor", [], "Uma User")
    assert same.position == 0 and len(domain.store.events_of(plain)) == 5


def test_a_refused_update_changes_nothing(domain: Domain) -> None:
    plain, before = user_id(domain.plain), domain.store.head()
    with pytest.raises(ValidationError) as refused:
        domain.commands.directory.update_user(
            domain.admin, plain, role="auditor", permissions=["x"]
        )
    assert refused.value.field == "permissions"
    with pytest.raises(ValidationError) as refused:
        domain.commands.directory.update_user(domain.admin, plain, role="root")
    assert refused.value.field == "role"
    with pytest.raises(PermissionDeniedError):
        domain.commands.directory.update_user(domain.manager, plain, role="practice_admin")
    assert domain.store.head() == before
    assert domain.store.get(plain, User).role == "user"


def test_sessions_start_and_end_keeping_only_the_token_digest(domain: Domain) -> None:
    directory = domain.commands.directory
    before = domain.store.head()
    for email, password in (("nobody@a.example", PASSWORD), ("user@a.example", "wrong one")):
        with pytest.raises(AuthenticationError):
            directory.login(email, password)
    assert domain.store.head() == before
    session = directory.login("  USER@a.example", PASSWORD)
    assert session.expires_at == domain.clock.now() + timedelta(hours=8)
    assert session.position == domain.store.head()
    digest = token_digest(session.token)
    assert domain.store.get(session.user.id, User).sessions == {digest: session.expires_at}
    started = domain.store.events_of(session.user.id)[-1]
    assert (type(started).__name__, started.token_digest) == ("SessionStarted", digest)
    ended = directory.logout(domain.plain, session.token)
    assert ended > session.position
    assert domain.store.get(session.user.id, User).sessions == {}
    assert domain.event_names(session.user.id)[-1] == "SessionEnded"


def test_logins_racing_on_one_user_both_succeed_through_the_retry(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory, record = domain.commands.directory, domain.store.record
    other_device: list[Session] = []
    racing, attempts = [True], []

    def record_after_another_login(*aggregates: Aggregate) -> int:
        attempts.append(aggregates)
        if racing:  # the other login records first, between our read and our write
            racing.clear()
            other_device.append(directory.login("user@a.example", PASSWORD))
        return record(*aggregates)

    monkeypatch.setattr(domain.store, "record", record_after_another_login)
    mine = directory.login("user@a.example", PASSWORD)
    theirs = other_device[0]
    assert len(attempts) == 3  # ours, theirs, ours again after losing the race
    assert 0 < theirs.position < mine.position
    sessions = domain.store.get(mine.user.id, User).sessions
    assert set(sessions) == {token_digest(mine.token), token_digest(theirs.token)}
    assert domain.event_names(mine.user.id).count("SessionStarted") == 2


def test_another_groups_user_is_not_found_exactly_like_an_unknown_id(domain: Domain) -> None:
    directory, before = domain.commands.directory, domain.store.head()
    messages = []
    for target in (user_id(domain.plain), UUID(int=7)):
        with pytest.raises(NotFoundError) as missing:
            directory.update_user(domain.outsider, target, role="auditor")
        messages.append(str(missing.value))
    for group in (group_of(domain.admin), UUID(int=8)):
        with pytest.raises(NotFoundError) as missing:
            directory.create_user(domain.outsider, group, "x@b.example", "X", "user", GOOD)
        messages.append(str(missing.value))
    assert messages[0] == messages[1] and messages[2] == messages[3]
    assert domain.store.head() == before
    assert domain.store.get(user_id(domain.plain), User).role == "user"
