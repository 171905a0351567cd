"""Hostile input gets a 4xx that names the problem, never a 500 (SPEC 7), and names people
read stay readable: no controls, bidi or invisible characters, no look-alike duplicates."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import pytest
import requests

from domain.naming import index_id
from tests.e2e.client import PASSWORD
from tests.e2e.conftest import World

APPS = "/api/v1/integration-applications"
PORTAL = "/portal/v1"
DEEP_ARRAY = "[" * 50_000 + "]" * 50_000
DEEP_OBJECT = '{"a":' * 50_000 + "1" + "}" * 50_000
JSON = {"Content-Type": "application/json"}


def raw_app(name_literal: str) -> str:
    """A create body whose name is the JSON literal given (escapes stay as written)."""
    return (
        '{"type": "new_integration", "name": ' + name_literal + ', "description": "d", '
        '"category": "accounting", "api_permission": "read", "entity_ids": []}'
    )


@dataclass
class Case:
    method: str
    path: str  # {app} is replaced by an app of group A
    status: int
    names: str  # the field `errors` must name, or a word the message must contain
    json: Any = None
    data: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    app_fields: dict[str, Any] | None = None  # a create body: world.app_fields(**these)


def refused_user(field: str, **overrides: str) -> Case:
    """A new user whose one overridden field must be refused."""
    body = {"email": "new@a.example", "full_name": "Eve", "role": "user", "password": PASSWORD}
    return Case("POST", "/api/v1/users", 422, field, json={**body, **overrides})


def refused_name(name: str, status: int = 422) -> Case:
    return Case("POST", APPS, status, "name", app_fields={"name": name})


CASES: dict[str, Case] = {
    # -- names people read (point 2) ----------------------------------------------------------
    "name with LF": refused_name("Pay\nroll"),
    "name with CR": refused_name("Pay\rroll"),
    "name with a tab": refused_name("Pay\troll"),
    "name with U+2028": refused_name("Pay\u2028roll"),
    "name with U+2029": refused_name("Pay\u2029roll"),
    "name with a C1 control": refused_name("Pay\x85roll"),
    "name with RLO": refused_name("Payroll \u202egnp.exe"),
    "name with LRE": refused_name("\u202aPayroll"),
    "name with an isolate": refused_name("Pay\u2066roll\u2069"),
    "name with LRM": refused_name("Payroll\u200e"),
    "name with RLM": refused_name("Payroll\u200f"),
    "name with the Arabic letter mark": refused_name("Payroll\u061c"),
    "name with a zero-width space": refused_name("Pay\u200broll"),
    "name with a zero-width non-joiner": refused_name("Pay\u200croll"),
    "name with a zero-width joiner": refused_name("Pay\u200droll"),
    "name with a word joiner": refused_name("Pay\u2060roll"),
    "name with a soft hyphen": refused_name("Pay\u00adroll"),
    "name with a BOM": refused_name("\ufeffPayroll"),
    "name with the Mongolian vowel separator": refused_name("Pay\u180eroll"),
    "name with a Hangul filler": refused_name("Pay\u3164roll"),
    "name with a Hangul choseong filler": refused_name("Pay\u115froll"),
    "name with a Hangul jungseong filler": refused_name("Pay\u1160roll"),
    "name with a halfwidth Hangul filler": refused_name("Pay\uffa0roll"),
    "name with the combining grapheme joiner": refused_name("Pay\u034froll"),
    "name with a tag character": refused_name("Payroll\U000e0041"),
    "name only of invisible characters": refused_name("\u3164\u3164"),
    "name only of whitespace": refused_name(" \u3000 "),
    "name only of a combining mark": refused_name("\u0301"),
    "description with LF": Case(
        "POST", APPS, 422, "description", app_fields={"description": "line\nbreak"}
    ),
    "description with RLO": Case(
        "POST", APPS, 422, "description", app_fields={"description": "abc\u202e"}
    ),
    "edited description with CR": Case(
        "PATCH", f"{APPS}/{{app}}", 422, "description", json={"description": "a\rb"}
    ),
    "developer_email with RLO": Case(
        "POST", APPS, 422, "developer_email", app_fields={"developer_email": "a\u202e@b.example"}
    ),
    "developer_email with a zero-width space": Case(
        "POST", APPS, 422, "developer_email", app_fields={"developer_email": "a\u200b@b.example"}
    ),
    "developer_email with a BOM": Case(
        "POST", APPS, 422, "developer_email", app_fields={"developer_email": "\ufeffa@b.example"}
    ),
    "user full_name with LF": refused_user(full_name="Eve\nAdmin", field="full_name"),
    "user full_name of fillers": refused_user(full_name="\u115f\u1160", field="full_name"),
    "user e-mail with RLO": refused_user(email="new\u202e@a.example", field="email"),
    # -- input that used to be a 500 (point 3) ------------------------------------------------
    "JSON array 50,000 deep on create": Case("POST", APPS, 400, "nested", data=DEEP_ARRAY),
    "JSON object 50,000 deep on create": Case("POST", APPS, 400, "nested", data=DEEP_OBJECT),
    "JSON 50,000 deep on edit": Case("PATCH", f"{APPS}/{{app}}", 400, "nested", data=DEEP_ARRAY),
    "JSON 50,000 deep on login": Case("POST", "/api/v1/session", 400, "nested", data=DEEP_ARRAY),
    "JSON 50,000 deep on the portal": Case(
        "POST", "/portal/v1/session", 400, "nested", data=DEEP_OBJECT
    ),
    "JSON 65 deep": Case("POST", APPS, 400, "nested", data="[" * 65 + "]" * 65),
    "lone surrogate in the name": Case("POST", APPS, 422, "name", data=raw_app('"\\ud800"')),
    "lone low surrogate in the name": Case(
        "POST", APPS, 422, "name", data=raw_app('"Pay\\udfffroll"')
    ),
    "lone surrogate in a key": Case("POST", APPS, 400, "surrogate", data='{"\\ud800": 1}'),
    "lone surrogate in a list item": Case(
        "PATCH", f"{APPS}/{{app}}", 422, "entity_ids.0", data='{"entity_ids": ["\\ud800"]}'
    ),
    "lone surrogate in the login e-mail": Case(
        "POST", "/api/v1/session", 422, "email", data='{"email": "\\udc00", "password": "x"}'
    ),
    "page 10**20": Case("GET", APPS, 422, "page", params={"page": 10**20}),
    "page_size 10**20": Case("GET", APPS, 422, "page_size", params={"page_size": 10**20}),
    "created_from before year 1 in UTC": Case(
        "GET", APPS, 422, "created_from", params={"created_from": "0001-01-01T00:00:00+01:00"}
    ),
    "created_to after year 9999 in UTC": Case(
        "GET", APPS, 422, "created_to", params={"created_to": "9999-12-31T23:59:59-01:00"}
    ),
    "history as_of before year 1 in UTC": Case(
        "GET",
        f"{APPS}/{{app}}/history",
        422,
        "as_of",
        params={"as_of": "0001-01-01T00:00:00+01:00"},
    ),
    "history as_of after year 9999 in UTC": Case(
        "GET",
        f"{APPS}/{{app}}/history",
        422,
        "as_of",
        params={"as_of": "9999-12-31T23:59:59-01:00"},
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_hostile_input_gets_a_4xx_naming_the_problem(world: World, name: str) -> None:
    case = CASES[name]
    path = case.path.replace("{app}", world.create()["id"]) if "{app}" in case.path else case.path
    headers = {"Authorization": f"Bearer {world.admin.token}"}
    kwargs: dict[str, Any] = {"params": case.params}
    if case.app_fields is not None:
        kwargs["json"] = world.app_fields(**case.app_fields)
    elif case.json is not None:
        kwargs["json"] = case.json
    elif case.data is not None:
        kwargs["data"] = case.data.encode()
        headers.update(JSON)
    response = requests.request(
        case.method, world.server.url + path, headers=headers, timeout=60, **kwargs
    )
    assert response.status_code == case.status, response.text[:500]
    error = response.json()
    assert error["status"] == case.status and error["code"] and error["message"]
    named = case.names in error["errors"] or any(
        case.names in text for text in [error["message"], json.dumps(error["errors"])]
    )
    assert named, error


def test_readable_names_in_other_scripts_and_emoji_are_accepted(world: World) -> None:
    for name in ("Zahlungsläufe Ü", "Ελληνικά", "給与 ❤️", "Café\u0301"):
        created = world.create(name=name, description="Syncs\u00a0invoices ❤️")
        assert created["name"] == name


@pytest.mark.parametrize(
    "look_alike",
    [
        "P\u0430yroll",  # Cyrillic a
        "PAYR\u039fLL",  # Greek capital omicron
        "Payrol\u04c0",  # Cyrillic palochka
        "PayrolI",  # capital i for l
        "\uff30ayroll",  # full-width P (NFKC)
        "payroll\ufe0f",  # a variation selector does not make it another name
    ],
)
def test_a_name_that_looks_like_a_taken_one_is_taken(world: World, look_alike: str) -> None:
    world.create(name="Payroll")
    response = world.admin.create_app(**world.app_fields(name=look_alike))
    assert response.status_code == 409, response.text
    assert "name" in response.json()["errors"]
    b1 = world.group_b["entities"]["B1"]
    again = world.other_admin.create_app(**world.app_fields(name="Payroll", entity_ids=[b1]))
    assert again.status_code == 409  # across groups too


def test_names_that_only_share_letters_are_different(world: World) -> None:
    world.create(name="Payroll")
    for name in ("Payroll 2", "Pay roll", "Payrolls"):
        world.create(name=name)


def test_a_renamed_user_must_stay_readable(world: World) -> None:
    users = world.admin.get("/users").json()
    user = next(u for u in users if u["email"] == "user@a.example")
    response = world.admin.patch(f"/users/{user['id']}", json={"full_name": "Ulf\u202e"})
    assert response.status_code == 422 and "full_name" in response.json()["errors"]
    fine = world.admin.patch(f"/users/{user['id']}", json={"full_name": " Ulf Ünal "})
    assert fine.status_code == 200 and fine.json()["full_name"] == "Ulf Ünal"


def _invited(world: World) -> tuple[str, str, str]:
    """An app with an invited developer: (app id, invite token, OTP)."""
    response = world.admin.create_app(**world.app_fields(developer_email="dev@example.com"))
    assert response.status_code == 201, response.text
    app_id, otp = response.json()["id"], response.json()["otp"]
    services = world.services
    link = services.store.repository.get(UUID(app_id)).developer
    return app_id, services.invites.token_for(link.invite_id), otp


def _start_signup(world: World) -> tuple[str, str, dict[str, str]]:
    """(app id, OTP, the sign-up fields but full_name) for an invited developer."""
    app_id, invite, otp = _invited(world)
    started = requests.post(
        world.server.url + PORTAL + "/signup/start", json={"invite_token": invite}, timeout=30
    )
    assert started.ok, started.text
    services = world.services
    signup = services.store.repository.get(index_id("signup", "dev@example.com"))
    code = services.signup_codes.code_for(signup.challenge_id)
    return app_id, otp, {"invite_token": invite, "code": code, "password": "developer password 1"}


def test_a_developer_full_name_must_be_readable(world: World) -> None:
    portal = world.server.url + PORTAL
    _, _, fields = _start_signup(world)
    for hostile in ("Dee\u202eVeloper", "Dee\nVeloper", "\u3164", "Dee\u200b"):
        refused = requests.post(
            f"{portal}/signup/complete", json={**fields, "full_name": hostile}, timeout=30
        )
        assert refused.status_code == 422, refused.text
        assert "full_name" in refused.json()["errors"]
    done = requests.post(
        f"{portal}/signup/complete", json={**fields, "full_name": "Dee Veloper"}, timeout=30
    )
    assert done.status_code == 201, done.text


def test_an_otp_pasted_with_spaces_around_it_verifies(world: World) -> None:
    portal = world.server.url + PORTAL
    app_id, otp, fields = _start_signup(world)
    done = requests.post(
        f"{portal}/signup/complete", json={**fields, "full_name": "Dee Veloper"}, timeout=30
    )
    assert done.status_code == 201, done.text
    session = requests.post(
        f"{portal}/session",
        json={"email": "dev@example.com", "password": "developer password 1"},
        timeout=30,
    )
    verified = requests.post(
        f"{portal}/apps/{app_id}/verify",
        json={"otp": f"  {otp} \t"},
        headers={"Authorization": f"Bearer {session.json()['token']}"},
        timeout=30,
    )
    assert verified.status_code == 200, verified.text
    assert verified.json()["client_secret"]
