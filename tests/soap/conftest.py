"""A group with three entities, a read-write and a read-only app with tokens, a live server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from composition.root import Services
from entrypoints.cli import bootstrap_group
from tests.conftest import LiveServer
from tests.e2e.client import PASSWORD, AdminApi
from tests.soap.support import Provisioned, SoapClient, get_token, provision
from tests.support import admin_actor


@dataclass
class SoapWorld:
    services: Services
    server: LiveServer
    admin: AdminApi
    ids: dict[str, Any]
    writer: Provisioned  # read_write on A1 and A2
    reader: Provisioned  # read on A1
    writer_token: str
    reader_token: str

    def client(self, token: str | None) -> SoapClient:
        return SoapClient(self.server.url, token)

    def entity(self, code: str) -> str:
        return str(self.ids["entities"][code])

    def activity(self, app_id: str) -> list[dict[str, Any]]:
        # Refused calls are recorded without waiting for the views: wait here instead.
        self.services.wait_for_views(self.services.store.recorder.max_notification_id() or 0)
        return list(self.services.activity_log.rows(app_id))


@pytest.fixture
def soap_world(services: Services, server: LiveServer) -> SoapWorld:
    ids = bootstrap_group(
        services,
        "Group A",
        [("A1", "Alpha Ltd"), ("A2", "Beta Ltd"), ("A3", "Gamma Ltd")],
        "admin@a.example",
        PASSWORD,
    )
    bootstrap_group(services, "Group B", [("B1", "Other Ltd")], "admin@b.example", PASSWORD)
    admin = admin_actor(ids, "admin@a.example")
    writer = provision(services, admin, "Writer", [ids["entities"]["A1"], ids["entities"]["A2"]])
    reader = provision(services, admin, "Reader", [ids["entities"]["A1"]], permission="read")
    return SoapWorld(
        services=services,
        server=server,
        ids=ids,
        admin=AdminApi(server.url).login("admin@a.example"),
        writer=writer,
        reader=reader,
        writer_token=get_token(server.url, writer),
        reader_token=get_token(server.url, reader),
    )
