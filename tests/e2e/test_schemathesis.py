"""Schemathesis over every operation of /openapi.json, then its stateful phase: no input may
give a 5xx (SPEC 7), and every answer, errors included, matches the documented schema.
Seeded and bounded, logged in as a practice admin (and as a developer for the portal), on
both databases, with throttling off."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.app import create_app
from composition.root import Services, build_services
from config.settings import Settings
from entrypoints.cli import bootstrap_group
from tests.e2e.client import PASSWORD
from tests.soap.support import DEV_PASSWORD, provision
from tests.support import admin_actor

CHECKS = [not_a_server_error, response_schema_conformance]
SEED = 20261125
EXAMPLES = 50  # per operation (derandomised: the same examples each run)
STEPS = 40  # per stateful run
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def fuzzed(make_settings: Callable[..., Settings]) -> Any:
    svc: Services = build_services(make_settings(RATELIMIT_ENABLED="false"))
    svc.start_projections()
    ids: dict[str, Any] = bootstrap_group(
        svc, "Group A", [("A1", "Alpha Ltd"), ("A2", "Beta Ltd")], "admin@a.example", PASSWORD
    )
    admin = admin_actor(ids, "admin@a.example")
    app_id = provision(svc, admin, "Fuzzed", [ids["entities"]["A1"]]).app_id
    group_id = UUID(str(ids["group_id"]))
    user = svc.commands.directory.create_user(
        admin, group_id, "u@a.example", "Ulf", "user", PASSWORD
    ).user
    app = create_app(svc)
    client = app.test_client()
    login = client.post("/api/v1/session", json={"email": "admin@a.example", "password": PASSWORD})
    developer = client.post(
        "/portal/v1/session", json={"email": "dev@example.com", "password": DEV_PASSWORD}
    )
    tokens = {"admin": login.get_json()["token"], "developer": developer.get_json()["token"]}
    # Random ids only reach the 404s: half the cases get the real app and user instead.
    real = {"app_id": app_id, "user_id": str(user.id)}
    yield app, tokens, real
    svc.close()


def _fuzzed_schema(app: Any) -> Any:
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    # Logging out would end the session every other call uses.
    return schema.exclude(method="DELETE", path=["/api/v1/session", "/portal/v1/session"])


def _headers(path: str, tokens: dict[str, str]) -> dict[str, str]:
    who = "developer" if path.startswith("/portal/") else "admin"
    return {"Authorization": f"Bearer {tokens[who]}"}


def _fuzz_test(operation: Any, headers: dict[str, str], real: dict[str, str]) -> Any:
    """Data that fits the schema and data that does not (schemathesis' two modes)."""
    cases = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(
        GenerationMode.NEGATIVE
    )

    @seed(SEED)
    @FUZZ
    @given(case=cases)
    def fuzz(case: Any) -> None:
        for name in set(case.path_parameters or {}) & set(real):
            if zlib.crc32(repr(case.body).encode()) % 2:  # deterministic, unlike hash()
                case.path_parameters[name] = real[name]
        case.call_and_validate(headers=headers, checks=CHECKS)

    return fuzz


def test_no_operation_gives_a_5xx(fuzzed: Any) -> None:
    app, tokens, real = fuzzed
    failures = []
    for result in _fuzzed_schema(app).get_all_operations():
        operation = result.ok()
        try:
            _fuzz_test(operation, _headers(operation.path, tokens), real)()
        except Exception as error:  # collect all, so one run shows every 5xx
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)


def test_stateful_sequences_give_no_5xx(fuzzed: Any) -> None:
    app, tokens, _ = fuzzed
    machine = _fuzzed_schema(app).as_state_machine()

    class Logged(machine):  # type: ignore[misc,valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": _headers(case.path, tokens)}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS)

    Logged.run(
        settings=settings(
            max_examples=30,
            stateful_step_count=STEPS,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
