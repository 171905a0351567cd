"""The access view fed with real events: what a client id and a call with a token may do now."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from eventsourcing.sqlite import SQLiteDatastore

from domain.apps import IntegrationApp
from domain.groups import Group
from domain.tokens import AccessToken
from projections.access import AccessProjection, AccessView
from projections.sql import SqlDatabase
from projections.view import TRACKING_TABLE
from tests.unit.projection_support import Feed, Story, app_created, memory_view


def test_access_follows_the_app_and_its_tokens() -> None:
    view = memory_view(AccessView)
    feed = Feed(AccessProjection(view=view))
    group = Story(Group)
    feed(group(Group.Registered, name="G"))
    feed(group(Group.EntityAdded, entity_id="e1", code="A1", name="Alpha"))
    app = Story(IntegrationApp)
    feed(app_created(app, group.id, entity_ids=["e1"], client_id="client-1"))
    token = Story(AccessToken, id=AccessToken.create_id("jti-1"))
    feed(
        token(
            AccessToken.Issued,
            app_id=app.id,
            client_id="client-1",
            jti="jti-1",
            expires_at=token.at + timedelta(hours=1),
        )
    )
    row = view.for_call(str(app.id), str(token.id), " a1 ")
    assert row is not None and row["entity_id"] == "e1" and row["entity_code"] == "A1"
    assert row["client_id"] == "client-1"
    assert row["revoked"] is False and row["token_revoked"] is False
    feed(app(IntegrationApp.Edited, changes={"entity_ids": ["e2"]}))
    feed(app(IntegrationApp.Edited, changes={"description": "words only"}))
    assert view.for_client("client-1")["entity_ids"] == ["e2"]  # type: ignore[index]
    assert view.for_call(str(app.id), str(token.id))["entity_ids"] == ["e2"]  # type: ignore[index]
    feed(token(AccessToken.Revoked, app_id=app.id))
    assert view.for_call(str(app.id), str(token.id))["token_revoked"] is True  # type: ignore[index]
    assert view.for_call(str(app.id), str(uuid4()))["token_revoked"] is False  # type: ignore[index]
    feed(app(IntegrationApp.Revoked))
    assert view.for_client("client-1")["revoked"] is True  # type: ignore[index]
    assert view.for_call(str(app.id), str(uuid4()))["revoked"] is True  # type: ignore[index]
    assert view.for_client("other") is None and view.for_call(str(uuid4()), str(token.id)) is None
    assert view.for_call(str(app.id), str(token.id), "ZZ")["entity_id"] is None  # type: ignore[index]
    assert view.for_client("client-1")["group_id"] == str(group.id)  # type: ignore[index]


def test_a_token_revoked_for_one_app_says_nothing_of_another() -> None:
    view = memory_view(AccessView)
    feed = Feed(AccessProjection(view=view))
    group = Story(Group)
    feed(group(Group.Registered, name="G"))
    one, two = Story(IntegrationApp), Story(IntegrationApp)
    feed(app_created(one, group.id), app_created(two, group.id))
    token = Story(AccessToken)
    feed(token(AccessToken.Issued, app_id=one.id, client_id="c", jti="j", expires_at=token.at))
    feed(token(AccessToken.Revoked, app_id=one.id))
    assert view.for_call(str(two.id), str(token.id))["token_revoked"] is False  # type: ignore[index]


def test_an_upgraded_view_carries_over_the_revoked_opaque_tokens() -> None:
    db = SqlDatabase(SQLiteDatastore(":memory:"), "sqlite")
    with db.transaction() as c:  # the access view as the release before signed tokens left it
        c.execute(TRACKING_TABLE)
        for table in (
            "app_access (client_id TEXT PRIMARY KEY, app_id TEXT NOT NULL UNIQUE, "
            "group_id TEXT NOT NULL, revoked INTEGER NOT NULL, api_permission TEXT NOT NULL, "
            "entity_ids TEXT NOT NULL)",
            "access_tokens (token_digest TEXT PRIMARY KEY, token_id TEXT NOT NULL UNIQUE, "
            "client_id TEXT NOT NULL, expires_at TEXT NOT NULL, revoked INTEGER NOT NULL)",
            "access_entities (id TEXT PRIMARY KEY, group_id TEXT NOT NULL, code_key TEXT "
            "NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, UNIQUE (group_id, code_key))",
        ):
            c.execute(f"CREATE TABLE {table}")
        c.execute("INSERT INTO app_access VALUES ('c1', 'app-1', 'g', 0, 'read', '[]')")
        c.execute("INSERT INTO access_tokens VALUES ('d1', 'revoked-1', 'c1', '2030', 1)")
        c.execute("INSERT INTO access_tokens VALUES ('d2', 'live-1', 'c1', '2030', 0)")
    view = AccessView(db)
    view.create_tables()
    view.create_tables()  # a second process starting after it changes nothing
    assert db.query("SELECT * FROM revoked_tokens") == [
        {"token_id": "revoked-1", "app_id": "app-1"}
    ]
    assert view.for_call("app-1", "revoked-1")["token_revoked"] is True  # type: ignore[index]
    assert view.for_call("app-1", "live-1")["token_revoked"] is False  # type: ignore[index]
