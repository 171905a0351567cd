"""The access view fed with real events: what a client id and a token may do now."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from domain.apps import IntegrationApp
from domain.groups import Group
from domain.tokens import AccessToken
from projections.access import AccessProjection, AccessView
from tests.unit.projection_support import Feed, Story, app_created, memory_view


def test_access_follows_the_app_and_its_tokens() -> None:
    view = memory_view(AccessView)
    feed = Feed(AccessProjection(view=view))
    group = Story(Group)
    feed(group(Group.Registered, name="G"))
    feed(group(Group.EntityAdded, entity_id="e1", code="A1", name="Alpha"))
    app = Story(IntegrationApp)
    feed(app_created(app, group.id, entity_ids=["e1"], client_id="client-1"))
    token = Story(AccessToken)
    feed(
        token(
            AccessToken.Issued,
            app_id=app.id,
            client_id="client-1",
            token_digest="td",
            expires_at=token.at + timedelta(hours=1),
        )
    )
    row = view.for_token("td", " a1 ")
    assert row is not None and row["entity_id"] == "e1" and row["entity_code"] == "A1"
    assert row["revoked"] is False and row["token_revoked"] is False
    feed(app(IntegrationApp.Edited, changes={"entity_ids": ["e2"]}))
    feed(app(IntegrationApp.Edited, changes={"description": "words only"}))
    assert view.for_client("client-1")["entity_ids"] == ["e2"]  # type: ignore[index]
    feed(token(AccessToken.Revoked, app_id=app.id))
    assert view.for_token("td")["token_revoked"] is True  # type: ignore[index]
    feed(app(IntegrationApp.Revoked))
    assert view.for_client("client-1")["revoked"] is True  # type: ignore[index]
    assert view.for_client("other") is None and view.for_token("nope") is None
    assert view.for_token("td", "ZZ")["entity_id"] is None  # type: ignore[index]
    assert view.for_client("client-1")["group_id"] == str(group.id)  # type: ignore[index]
    assert uuid4() != group.id
