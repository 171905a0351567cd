"""SPEC 7 through HTTP: create, list (filters, sort, paging), detail, edit, revoke."""

from __future__ import annotations

import json
import threading
from uuid import UUID

from domain.actor import Actor
from tests.e2e.conftest import World
from tests.support import FakeClock

APP_KEYS = {
    "id",
    "type",
    "preset",
    "name",
    "description",
    "category",
    "api_permission",
    "entity_ids",
    "status",
    "created_at",
    "updated_at",
    "client_id",
    "developer",
    # SPEC 12: a partner integration's origin
    "listing_id",
    "partner",
    # SPEC 15: its quota and last use
    "rate_limit_per_minute",
    "last_used_at",
    # SPEC 14: the app's credentials and allowlist
    "allowed_ips",
    "secret_expires_at",
    "secret_expires_in_days",
    "auth_methods",
}


def test_create_each_type(world: World) -> None:
    new = world.create()
    assert set(new) == APP_KEYS | {"otp"}
    assert new["developer"]["email"] == "dev@example.com" and new["type"] == "new_integration"
    integrate = world.admin.create_app(
        type="aiq_integrate",
        preset="custom",
        name="Custom Flow",
        description="d",
        category="other",
        entity_ids=world.entities,
        acknowledge_charges=True,
        acknowledge_data_access=True,
    )
    assert integrate.status_code == 201
    assert (integrate.json()["status"], integrate.json()["otp"]) == ("requested", None)
    assert integrate.json()["developer"] is None
    connector = world.admin.create_app(
        type="aiq_connector",
        preset="salesforce",
        name="SF Connector",
        description="d",
        developer_email="dev@example.com",
        entity_ids=world.entities[:1],
        acknowledge_data_access=True,
    )
    assert connector.status_code == 201 and len(connector.json()["otp"]) == 8
    detail = world.admin.app(new["id"]).json()
    assert "otp" not in detail and detail["id"] == new["id"]


def test_validation_errors_name_the_field(world: World) -> None:
    cases = [
        ({"name": ""}, "name"),
        ({"name": "n" * 101}, "name"),
        ({"description": ""}, "description"),
        ({"category": "bogus"}, "category"),
        ({"api_permission": "all"}, "api_permission"),
        ({"entity_ids": []}, "entity_ids"),
        ({"developer_email": "nope"}, "developer_email"),
        (
            {
                "type": "aiq_integrate",
                "preset": "stripe",
                "developer_email": None,
                "category": None,
                "api_permission": None,
                "acknowledge_data_access": True,
            },
            "acknowledge_charges",
        ),
    ]
    for overrides, field in cases:
        response = world.admin.create_app(**world.app_fields(**overrides))
        assert response.status_code == 422, (overrides, response.text)
        body = response.json()
        assert body["code"] == "validation_failed" and body["status"] == 422
        assert field in body["errors"], (overrides, body)
    missing = world.admin.post("/integration-applications", json={"type": "new_integration"})
    assert missing.status_code == 422 and {"name", "description"} <= set(missing.json()["errors"])
    unknown = world.admin.create_app(**world.app_fields(colour="blue"))
    assert unknown.status_code == 422 and "colour" in unknown.json()["errors"]
    assert world.admin.list_apps().json() == []  # nothing half-created


def test_duplicate_names_conflict_across_groups(world: World) -> None:
    world.create(name="Payroll Bridge")
    other = world.other_admin.create_app(
        **world.app_fields(name="PAYROLL BRIDGE", entity_ids=[world.group_b["entities"]["B1"]])
    )
    assert other.status_code == 409 and "name" in other.json()["errors"]


def test_list_filters_sort_and_paging(world: World, clock: FakeClock) -> None:
    first = world.create(name="Alpha Sync", category="crm", developer_email="ann@x.example")
    second = world.create(name="Beta Sync", entity_ids=world.entities[1:2])
    managed = world.admin.create_app(
        type="aiq_integrate",
        preset="stripe",
        name="Gamma",
        description="d",
        entity_ids=world.entities[:1],
        acknowledge_charges=True,
        acknowledge_data_access=True,
    )
    assert managed.status_code == 201
    world.admin.revoke_app(second["id"])

    def names(**params: object) -> list[str]:
        response = world.admin.list_apps(**params)
        assert response.status_code == 200, response.text
        return [a["name"] for a in response.json()]

    assert names(sort="name") == ["Alpha Sync", "Beta Sync", "Gamma"]
    assert names(sort="-name") == ["Gamma", "Beta Sync", "Alpha Sync"]
    assert names(status="revoked") == ["Beta Sync"]
    assert names(status="requested,revoked", sort="name") == ["Beta Sync", "Gamma"]
    assert names(type="aiq_integrate") == ["Gamma"]
    assert names(category="crm") == ["Alpha Sync"]
    assert names(name="SYNC", sort="name") == ["Alpha Sync", "Beta Sync"]
    assert names(developer_email="ANN@") == ["Alpha Sync"]
    assert names(entity_id=world.entities[1]) == ["Beta Sync"]
    today = first["created_at"][:10]
    assert len(names(created_from=today, created_to=today)) == 3
    assert names(created_to="2000-01-01") == []
    assert names(name="%") == [] and names(name="_") == []  # wildcards are literal

    clock.advance(days=3, seconds=1)
    assert world.admin.list_apps().status_code == 401  # the 8-hour session ended meanwhile
    world.admin.login("admin@a.example")
    assert names(status="otp_expired") == ["Alpha Sync"]
    assert world.admin.app(first["id"]).json()["status"] == "otp_expired"

    page = world.admin.list_apps(sort="name", page=2, page_size=2)
    assert [a["name"] for a in page.json()] == ["Gamma"]
    meta = json.loads(page.headers["X-Pagination"])
    assert (meta["total"], meta["total_pages"], meta["page"]) == (3, 2, 2)
    for bad in (
        {"sort": "secret"},
        {"status": "sleeping"},
        {"page_size": 1000},
        {"page": 0},
        {"created_from": "yesterday"},
    ):
        response = world.admin.list_apps(**bad)
        assert response.status_code == 422, (bad, response.text)


def test_edit_with_etag_and_immutable_fields(world: World) -> None:
    app = world.create()
    detail = world.admin.app(app["id"])
    etag = detail.headers["ETag"]
    edited = world.admin.edit_app(
        app["id"],
        headers={"If-Match": etag},
        description="New words",
        category="crm",
        entity_ids=world.entities,
    )
    assert edited.status_code == 200, edited.text
    assert (edited.json()["description"], edited.json()["entity_ids"]) == (
        "New words",
        world.entities,
    )
    assert world.admin.list_apps().json()[0]["category"] == "crm"
    stale = world.admin.edit_app(app["id"], headers={"If-Match": etag}, description="Late")
    assert stale.status_code == 412 and stale.json()["code"] == "precondition_failed"
    for field, value in (
        ("name", "Renamed"),
        ("api_permission", "read_write"),
        ("type", "aiq_connector"),
        ("preset", "x"),
    ):
        response = world.admin.edit_app(app["id"], **{field: value})
        assert response.status_code == 422 and field in response.json()["errors"]
    other_group = world.admin.edit_app(app["id"], entity_ids=[world.group_b["entities"]["B1"]])
    assert other_group.status_code == 422 and "entity_ids" in other_group.json()["errors"]


def test_concurrent_edits_one_wins(world: World) -> None:
    app = world.create()
    etag = world.admin.app(app["id"]).headers["ETag"]
    statuses: list[int] = []

    def edit(n: int) -> None:
        client = world.new_client().login("admin@a.example")
        response = client.edit_app(app["id"], headers={"If-Match": etag}, description=f"Edit {n}")
        statuses.append(response.status_code)

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses.count(200) == 1 and set(statuses) <= {200, 409, 412}, statuses
    history = world.services.commands.apps.app_history(Actor.system(), UUID(app["id"]), None).events
    assert [type(e).__name__ for e in history].count("DescriptionChanged") == 1


def test_revoke(world: World) -> None:
    app = world.create()
    assert world.admin.revoke_app(app["id"], confirm=False).status_code == 422
    missing = world.admin.post(f"/integration-applications/{app['id']}/revoke", json={})
    assert missing.status_code == 422 and "confirm" in missing.json()["errors"]
    revoked = world.admin.revoke_app(app["id"])
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    again = world.admin.revoke_app(app["id"])
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert world.admin.edit_app(app["id"], description="x").status_code == 409
