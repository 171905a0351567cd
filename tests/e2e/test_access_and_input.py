"""Who may do what (401/403/404 per SPEC 2, 7) and malformed input (never a 500)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.e2e.conftest import World

ZERO = "00000000-0000-0000-0000-000000000000"


def app_endpoints(app_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    base = f"/integration-applications/{app_id}"
    return [
        ("GET", base, None),
        ("PATCH", base, {"description": "x"}),
        ("POST", f"{base}/revoke", {"confirm": True}),
        ("GET", f"{base}/developer", None),
        ("PUT", f"{base}/developer", {"email": "x@example.com"}),
        ("DELETE", f"{base}/developer", None),
        ("POST", f"{base}/developer/resend-invite", None),
        ("POST", f"{base}/developer/reset-otp", None),
        ("GET", f"{base}/activity-log.csv", None),
        ("GET", f"{base}/history", None),
    ]


def test_no_session_or_a_bad_one_is_401(world: World) -> None:
    anonymous = world.new_client()
    for path in ("/session", "/entities", "/users", "/catalog", "/integration-applications"):
        response = anonymous.get(path)
        assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    forged = anonymous.get("/entities", headers={"Authorization": "Bearer forged"})
    assert forged.status_code == 401
    assert anonymous.get("/entities", headers={"Authorization": "Basic abc"}).status_code == 401
    client = world.new_client().login("manager@a.example")
    assert client.delete("/session").status_code == 204
    assert client.get("/entities").status_code == 401  # logged out everywhere at once


def test_another_groups_app_is_404_on_every_endpoint(world: World) -> None:
    app = world.create()
    for method, path, body in app_endpoints(app["id"]):
        response = world.other_admin.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.text)
        assert app["id"] not in response.text
    assert world.other_admin.list_apps().json() == []
    assert world.admin.app(app["id"]).json()["description"] == "Syncs invoices"  # untouched


def test_users_without_the_permission_get_403_and_auditors_only_read(world: World) -> None:
    app = world.create()
    for method, path, body in app_endpoints(app["id"]):
        assert world.plain_user.request(method, path, json=body).status_code == 403, path
    assert world.plain_user.create_app(**world.app_fields()).status_code == 403
    for method, path, body in app_endpoints(app["id"]):
        response = world.auditor.request(method, path, json=body)
        expected = 200 if method == "GET" else 403
        assert response.status_code == expected, (method, path, response.text)
    assert world.auditor.list_apps().status_code == 200
    assert world.auditor.create_app(**world.app_fields()).status_code == 403
    created = world.manager.create_app(**world.app_fields())
    assert created.status_code == 201
    # What the screens are told each one may do agrees with what the API just did.
    assert world.auditor.get("/session").json()["can"] == {
        "manage_apps": False,
        "read_apps": True,
        "manage_users": False,
        "read_users": True,
    }
    assert world.admin.get("/session").json()["can"] == dict.fromkeys(
        ("manage_apps", "read_apps", "manage_users", "read_users"), True
    )
    assert world.plain_user.get("/users").status_code == 403
    assert world.auditor.get("/users").status_code == 200


def test_permission_changes_take_effect_at_once(world: World) -> None:
    users = {u["email"]: u for u in world.admin.get("/users").json()}
    plain_id = users["user@a.example"]["id"]
    granted = world.admin.patch(
        f"/users/{plain_id}", json={"permissions": ["manage_integration_applications"]}
    )
    assert granted.status_code == 200
    assert granted.json()["permissions"] == ["manage_integration_applications"]
    # The user's own session tells them at once (the screens re-read it on every page load).
    me = world.plain_user.get("/session")
    assert me.status_code == 200, me.text
    assert (me.json()["email"], me.json()["permissions"]) == (
        "user@a.example",
        ["manage_integration_applications"],
    )
    assert me.json()["can"] == {
        "manage_apps": True,
        "read_apps": True,
        "manage_users": False,
        "read_users": False,
    }
    assert world.plain_user.create_app(**world.app_fields()).status_code == 201
    assert world.admin.patch(f"/users/{plain_id}", json={"permissions": []}).status_code == 200
    assert world.plain_user.get("/session").json()["can"]["read_apps"] is False
    assert world.plain_user.create_app(**world.app_fields()).status_code == 403
    assert world.manager.patch(f"/users/{plain_id}", json={"permissions": []}).status_code == 403
    assert (
        world.other_admin.patch(f"/users/{plain_id}", json={"role": "auditor"}).status_code == 404
    )


def test_users_and_directory(world: World) -> None:
    entities = world.admin.get("/entities").json()
    assert [(e["code"], e["name"]) for e in entities] == [
        ("A1", "Alpha Ltd"),
        ("A2", "Beta Ltd"),
        ("A3", "Gamma Ltd"),
    ]
    catalog = world.admin.get("/catalog").json()
    assert {t["type"] for t in catalog["types"]} == {
        "new_integration",
        "aiq_integrate",
        "aiq_connector",
    }
    assert len(catalog["presets"]) == 18 and len(catalog["connectors"]) == 2
    created = world.admin.post(
        "/users",
        json={
            "email": "New@A.example",
            "full_name": "Nia New",
            "role": "user",
            "password": "long enough password",
        },
    )
    assert created.status_code == 201 and created.json()["email"] == "new@a.example"
    assert (
        world.admin.post(
            "/users",
            json={
                "email": "new@a.example",
                "full_name": "Again",
                "role": "user",
                "password": "long enough password",
            },
        ).status_code
        == 409
    )
    for body, field in (
        ({"role": "emperor"}, "role"),
        ({"password": "short"}, "password"),
        ({"email": "nope"}, "email"),
        ({"permissions": ["fly"]}, "permissions"),
    ):
        payload = {
            "email": "x@a.example",
            "full_name": "X",
            "role": "user",
            "password": "long enough password",
            **body,
        }
        response = world.admin.post("/users", json=payload)
        assert response.status_code == 422 and field in response.json()["errors"], body
    assert (
        world.manager.post(
            "/users",
            json={
                "email": "y@a.example",
                "full_name": "Y",
                "role": "user",
                "password": "long enough password",
            },
        ).status_code
        == 403
    )
    assert (
        world.new_client()
        .post("/session", json={"email": "admin@a.example", "password": "wrong password!"})
        .status_code
        == 401
    )


BODY_CASES: dict[str, tuple[Any, int]] = {
    "array instead of object": (["name"], 422),
    "number for a string": ({"type": "new_integration", "name": 5, "description": "d"}, 422),
    "string for a list": (
        {"type": "new_integration", "name": "n", "description": "d", "entity_ids": "abc"},
        422,
    ),
    "string for a boolean": (
        {"type": "aiq_integrate", "name": "n", "description": "d", "acknowledge_charges": "true"},
        422,
    ),
    "null name": ({"type": "new_integration", "name": None, "description": "d"}, 422),
    "huge name": ({"type": "new_integration", "name": "n" * 100_000, "description": "d"}, 422),
    "nul bytes": ({"type": "new_integration", "name": "a\x00b", "description": "d\x00"}, 422),
    "nested objects": ({"type": {"$ne": 1}, "name": "n", "description": "d"}, 422),
}


@pytest.mark.parametrize("case", BODY_CASES)
def test_malformed_bodies_are_4xx_with_a_json_error(world: World, case: str) -> None:
    body, status = BODY_CASES[case]
    response = world.admin.post("/integration-applications", json=body)
    assert response.status_code == status, response.text
    assert set(response.json()) == {"code", "status", "message", "errors"}
    assert world.admin.list_apps().json() == []


def test_raw_malformed_requests(world: World) -> None:
    url = world.admin.url("/integration-applications")
    auth = {"Authorization": f"Bearer {world.admin.token}"}
    not_json = requests.post(
        url, data="{oops", headers={**auth, "Content-Type": "application/json"}, timeout=30
    )
    assert not_json.status_code == 400 and "JSON" in not_json.json()["message"]
    too_big = requests.post(
        url,
        data=b"x" * (1024 * 1024 + 10),
        headers={**auth, "Content-Type": "application/json"},
        timeout=30,
    )
    assert too_big.status_code == 413 and too_big.json()["code"] == "payload_too_large"
    assert world.admin.get("/integration-applications/not-a-uuid").status_code == 404
    assert world.admin.get(f"/integration-applications/{ZERO}").status_code == 404
    assert world.admin.get("/no-such-endpoint").status_code == 404
    wrong_method = world.admin.request("PUT", "/integration-applications")
    assert wrong_method.status_code == 405 and wrong_method.json()["status"] == 405
    huge_header = world.admin.get("/entities", headers={"Authorization": "Bearer " + "x" * 5000})
    assert huge_header.status_code == 401
    weird_query = world.admin.list_apps(page="abc", name="\x00")
    assert weird_query.status_code == 422


def test_control_characters_are_refused_before_they_reach_any_store(world: World) -> None:
    for field in ("name", "description", "developer_email"):
        response = world.admin.create_app(**world.app_fields(**{field: "a\x00b@example.com"}))
        assert response.status_code == 422 and field in response.json()["errors"], field
    assert world.admin.list_apps(name="\x00").status_code == 422
    assert world.create()["status"] == "pending_verification"  # the read side still flows
