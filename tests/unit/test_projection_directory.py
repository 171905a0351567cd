"""The directory fed with real events: groups, entities, users and admin sessions."""

from __future__ import annotations

from datetime import timedelta

from domain.groups import Group
from domain.users import User
from projections.directory import DirectoryProjection, DirectoryView
from projections.view import iso
from tests.unit.projection_support import Feed, Story, memory_view


def test_users_follow_their_changes() -> None:
    view = memory_view(DirectoryView)
    feed = Feed(DirectoryProjection(view=view))
    group = Story(Group)
    feed(group(Group.Registered, name="G"))
    feed(group(Group.EntityAdded, entity_id="e2", code="B", name="Beta"))
    feed(group(Group.EntityAdded, entity_id="e1", code="A", name="Alpha"))
    user = Story(User)
    feed(
        user(
            User.Registered,
            group_id=group.id,
            email="u@g.io",
            full_name="You",
            role="user",
            password_hash="h",
            permissions=["b", "a", "a"],
        )
    )
    assert [e["code"] for e in view.entities(str(group.id))] == ["A", "B"]
    assert view.groups() == [{"id": str(group.id), "name": "G", "plan": "aiq3"}]
    feed(user(User.PermissionGranted, permission="c"), user(User.PermissionRemoved, permission="a"))
    feed(user(User.RoleChanged, role="practice_admin"), user(User.Renamed, full_name="Yu"))
    row = view.user(str(user.id))
    assert row is not None
    assert row["permissions"] == ["b", "c"] and row["role"] == "practice_admin"
    assert row["full_name"] == "Yu" and row["updated_at"] == iso(user.at)
    feed(user(User.SessionStarted, token_digest="t", expires_at=user.at + timedelta(hours=1)))
    assert view.session_user("t", iso(user.at) or "")["email"] == "u@g.io"  # type: ignore[index]
    feed(user(User.SessionEnded, token_digest="t"))
    assert view.session_user("t", iso(user.at) or "") is None
    assert [u["email"] for u in view.users(str(group.id))] == ["u@g.io"]
