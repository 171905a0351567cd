"""A world of two groups and users of every kind, built through the real command path."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import Any
from uuid import UUID

import pytest

from composition.root import Services
from domain.actor import MANAGE_APPS, Actor
from entrypoints.cli import bootstrap_group
from tests.conftest import LiveServer
from tests.e2e.client import PASSWORD, AdminApi

# One group served with workers and real SMTP (test_portal_edges.py): every e2e module may
# ask for `live` and `mailbox` without importing them.
from tests.e2e.test_portal_edges import live, mailbox  # noqa: F401


@dataclass
class World:
    server: LiveServer
    services: Services
    group_a: dict[str, Any]
    group_b: dict[str, Any]
    admin: AdminApi  # practice admin of group A
    manager: AdminApi  # a plain user of group A granted manage_integration_applications
    plain_user: AdminApi  # a user of group A without the permission
    auditor: AdminApi  # an auditor of group A
    other_admin: AdminApi  # practice admin of group B
    entities: list[str]  # group A's entity ids, in code order
    new_client: Callable[[], AdminApi]

    def app_fields(self, **overrides: Any) -> dict[str, Any]:
        """A valid new_integration body with a unique name."""
        fields = {
            "type": "new_integration",
            "name": f"App {next(_names)}",
            "description": "Syncs invoices",
            "category": "accounting",
            "developer_email": "dev@example.com",
            "api_permission": "read",
            "entity_ids": self.entities[:1],
        }
        fields.update(overrides)
        return fields

    def create(self, client: AdminApi | None = None, **overrides: Any) -> dict[str, Any]:
        response = (client or self.admin).create_app(**self.app_fields(**overrides))
        assert response.status_code == 201, response.text
        return dict(response.json())


_names = count(1)


@pytest.fixture
def world(services: Services, server: LiveServer) -> World:
    a = bootstrap_group(
        services,
        "Group A",
        [("A1", "Alpha Ltd"), ("A2", "Beta Ltd"), ("A3", "Gamma Ltd")],
        "admin@a.example",
        PASSWORD,
    )
    b = bootstrap_group(services, "Group B", [("B1", "Other Ltd")], "admin@b.example", PASSWORD)
    admin_a = Actor(
        type="admin",
        id=a["admin_id"],
        name="admin@a.example",
        group_id=UUID(a["group_id"]),
        role="practice_admin",
    )
    app = services.commands.directory
    app.create_user(
        admin_a,
        admin_a.group_id,
        "manager@a.example",
        "Mia Manager",
        "user",
        PASSWORD,
        [MANAGE_APPS],
    )
    app.create_user(admin_a, admin_a.group_id, "user@a.example", "Ulf User", "user", PASSWORD)
    auditor = app.create_user(
        admin_a, admin_a.group_id, "auditor@a.example", "Ada Auditor", "auditor", PASSWORD
    )
    services.wait_for_views(auditor.position)  # as a route would before answering

    def new_client() -> AdminApi:
        return AdminApi(server.url)

    entities = [a["entities"][code] for code in ("A1", "A2", "A3")]
    return World(
        server=server,
        services=services,
        group_a=a,
        group_b=b,
        admin=new_client().login("admin@a.example"),
        manager=new_client().login("manager@a.example"),
        plain_user=new_client().login("user@a.example"),
        auditor=new_client().login("auditor@a.example"),
        other_admin=new_client().login("admin@b.example"),
        entities=entities,
        new_client=new_client,
    )
