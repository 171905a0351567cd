"""Hardening over real HTTP: another group's things answer exactly like unknown ids, secrets
are never cached, weak passwords are refused, and a group always keeps a practice admin."""

from __future__ import annotations

from uuid import uuid4

import pytest
import requests

from tests.e2e.conftest import World
from tests.e2e.test_portal_edges import Live, live, mailbox  # noqa: F401  (fixtures)

A = "/integration-applications"


def assert_not_cached(response: requests.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["Cache-Control"] == "no-store", response.request.url
    assert response.headers["Pragma"] == "no-cache", response.request.url


# -- SPEC 2: another group's things do not exist -------------------------------------------


def test_another_groups_ids_answer_byte_for_byte_like_unknown_ids(world: World) -> None:
    theirs = world.create(world.other_admin, entity_ids=[world.group_b["entities"]["B1"]])
    other_user = world.group_b["admin_id"]
    # The same requests, once with another group's id and once with an id nobody has.
    for method, path, body in [
        ("GET", A + "/{}", None),
        ("PATCH", A + "/{}", {"description": "mine now"}),
        ("GET", A + "/{}/developer", None),
        ("PUT", A + "/{}/developer", {"email": "x@example.com"}),
        ("DELETE", A + "/{}/developer", None),
        ("POST", A + "/{}/developer/reset-otp", None),
        ("POST", A + "/{}/developer/resend-invite", None),
        ("POST", A + "/{}/revoke", {"confirm": True}),
        ("GET", A + "/{}/history", None),
        ("PATCH", "/users/{}", {"full_name": "Mine Now"}),
        ("PATCH", "/users/{}", {"role": "auditor"}),
    ]:
        other_id = other_user if path.startswith("/users") else theirs["id"]
        foreign = world.admin.request(method, path.format(other_id), json=body)
        unknown = world.admin.request(method, path.format(uuid4()), json=body)
        assert foreign.status_code == unknown.status_code == 404, (method, path, foreign.text)
        assert foreign.content == unknown.content, (method, path, foreign.text, unknown.text)


# -- passwords and admins --------------------------------------------------------------------


@pytest.mark.parametrize("password", ["new@a.example", " " * 12, "aaaaaaaaaaaa"])
def test_weak_passwords_are_refused_naming_the_field_and_why(world: World, password: str) -> None:
    refused = world.admin.post(
        "/users",
        json={
            "email": "new@a.example",
            "full_name": "Nia New",
            "role": "user",
            "password": password,
        },
    )
    assert refused.status_code == 422, refused.text
    error = refused.json()
    assert list(error["errors"]) == ["password"], error
    assert "too easy to guess" in error["message"], error


def test_the_last_practice_admin_cannot_be_demoted(world: World) -> None:
    me = world.group_a["admin_id"]
    refused = world.admin.patch(f"/users/{me}", json={"role": "user"})
    assert refused.status_code == 409, refused.text
    assert "last practice admin" in refused.json()["message"]
    assert list(refused.json()["errors"]) == ["role"]
    users = {u["email"]: u for u in world.admin.get("/users").json()}
    assert users["admin@a.example"]["role"] == "practice_admin"

    # Once another admin exists, the first may step down; the other is then the last.
    other = users["auditor@a.example"]["id"]
    assert world.admin.patch(f"/users/{other}", json={"role": "practice_admin"}).ok
    stepped_down = world.admin.patch(f"/users/{me}", json={"role": "auditor"})
    assert stepped_down.status_code == 200, stepped_down.text
    second = world.new_client().login("auditor@a.example")
    assert second.patch(f"/users/{other}", json={"role": "user"}).status_code == 409


# -- responses with secrets are not cached --------------------------------------------------


def test_admin_responses_with_secrets_are_not_cached(world: World) -> None:
    login = world.new_client().post(
        "/session", json={"email": "admin@a.example", "password": "correct horse battery"}
    )
    assert_not_cached(login, 201)
    created = world.admin.create_app(**world.app_fields())
    assert_not_cached(created, 201)
    app_id = created.json()["id"]
    assert_not_cached(world.admin.reset_otp(app_id), 200)
    assert world.admin.revoke_developer(app_id).status_code == 204
    assert_not_cached(world.admin.register_developer(app_id, "next@example.com"), 200)
    # Responses without a secret keep the default.
    assert "no-store" not in world.admin.app(app_id).headers.get("Cache-Control", "")


def test_portal_and_oauth_responses_with_secrets_are_not_cached(live: Live) -> None:  # noqa: F811
    app = live.create()
    token = live.invite()
    dev = live.portal()
    assert dev.start_signup(token).status_code == 202
    assert_not_cached(dev.complete_signup(token, live.code()), 201)
    assert_not_cached(dev.login("dev@example.com"), 201)
    verified = dev.verify(app["id"], app["otp"])
    assert_not_cached(verified, 200)
    rotated = dev.rotate_secret(app["id"])
    assert_not_cached(rotated, 200)
    secret = rotated.json()["client_secret"]
    issued = requests.post(
        f"{live.base}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(verified.json()["client_id"], secret),
        timeout=30,
    )
    assert_not_cached(issued, 200)
