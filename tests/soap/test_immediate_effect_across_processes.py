"""SPEC 6 "immediate effect", across processes on PostgreSQL: once the admin's REST call has
returned, the very next SOAP call served by another process sees the change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from composition.root import Services
from entrypoints.cli import bootstrap_group
from tests.e2e.client import PASSWORD, AdminApi, TeamApi
from tests.processes import Process, api_server, worker
from tests.soap.support import SoapClient, get_token, provision
from tests.support import FAST_ARGON2, admin_actor

ROUNDS = 25


@pytest.fixture
def topology(services: Services, database_url: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    env = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "MAIL_DIR": str(tmp_path / "mail"),
        "RATELIMIT_ENABLED": "false",
        **FAST_ARGON2,
    }
    processes: list[Process] = [worker(env, tmp_path / "worker.log")]
    rest, rest_url = api_server(env, tmp_path / "rest.log")
    soap, soap_url = api_server(env, tmp_path / "soap.log")
    processes += [rest, soap]
    yield {"rest_url": rest_url, "soap_url": soap_url}
    for process in processes:
        process.stop()


class TestOnPostgres:
    """Several processes share one database only with PostgreSQL."""

    backend = "postgres"

    def test_narrowing_and_revoking_refuse_the_very_next_call(
        self, services: Services, topology: dict[str, Any]
    ) -> None:
        ids = bootstrap_group(
            services, "Group A", [("A1", "Alpha"), ("A2", "Beta")], "admin@a.example", PASSWORD
        )
        a1, a2 = ids["entities"]["A1"], ids["entities"]["A2"]
        app = provision(services, admin_actor(ids, "admin@a.example"), "Cross", [a1, a2])
        admin = AdminApi(topology["rest_url"]).login("admin@a.example")
        soap = SoapClient(topology["soap_url"], get_token(topology["rest_url"], app))

        outcomes = []
        for _ in range(ROUNDS):
            assert admin.edit_app(app.app_id, entity_ids=[a1]).status_code == 200
            outcomes.append(soap.call("GetCustomerList", entity="A2").ErrorCode)
            assert admin.edit_app(app.app_id, entity_ids=[a1, a2]).status_code == 200
            outcomes.append(soap.call("GetCustomerList", entity="A2").Status)
        assert outcomes == ["ENTITY_NOT_PERMITTED", "Success"] * ROUNDS

        assert admin.revoke_app(app.app_id).status_code == 200
        assert soap.call("GetCustomerList", entity="A1").ErrorCode == "APPLICATION_REVOKED"

    def test_allowlists_and_ended_secrets_refuse_the_very_next_call(
        self, services: Services, topology: dict[str, Any]
    ) -> None:
        """SPEC 14: an allowlist and the end of a secret, changed through one process, hold
        for the next SOAP call and token request served by another."""
        ids = bootstrap_group(services, "Group A", [("A1", "Alpha")], "admin@a.example", PASSWORD)
        app = provision(
            services, admin_actor(ids, "admin@a.example"), "Fenced", [ids["entities"]["A1"]]
        )
        admin = AdminApi(topology["rest_url"]).login("admin@a.example")
        soap = SoapClient(topology["soap_url"], get_token(topology["rest_url"], app))

        outcomes = []
        for _ in range(ROUNDS // 5):
            assert admin.edit_app(app.app_id, allowed_ips=["192.0.2.0/24"]).status_code == 200
            outcomes.append(soap.call("GetEntitiesByToken").ErrorCode)
            assert admin.edit_app(app.app_id, allowed_ips=["127.0.0.1"]).status_code == 200
            outcomes.append(soap.call("GetEntitiesByToken").Status)
        assert outcomes == ["IP_NOT_ALLOWED", "Success"] * (ROUNDS // 5)

        path = f"/integration-applications/{app.app_id}/revoke-secret"
        assert admin.post(path, json={"confirm": True}).status_code == 200
        assert soap.call("GetEntitiesByToken").ErrorCode == "INVALID_TOKEN"
        refused = requests.post(
            f"{topology['soap_url']}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(app.client_id, app.client_secret),
            timeout=30,
        )
        assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"

    def test_a_plan_change_by_the_team_holds_for_the_very_next_call(
        self, services: Services, topology: dict[str, Any]
    ) -> None:
        """SPEC 11: the team moves the group off AIQ3 through one process; the next SOAP
        call and token request served by another refuse the app, and both work again as
        soon as the group is back."""
        ids = bootstrap_group(services, "Group A", [("A1", "Alpha")], "admin@a.example", PASSWORD)
        app = provision(
            services, admin_actor(ids, "admin@a.example"), "Planned", [ids["entities"]["A1"]]
        )
        staff = services.commands.team.create_staff("sam@aiq.example", "Sam", "staff password 1234")
        services.wait_for_views(staff.position)
        team = TeamApi(topology["rest_url"]).login("sam@aiq.example", "staff password 1234")
        soap = SoapClient(topology["soap_url"], get_token(topology["rest_url"], app))
        plan = f"/groups/{ids['group_id']}/plan"

        outcomes = []
        for _ in range(ROUNDS // 5):
            assert team.put(plan, json={"plan": "aiq2"}).status_code == 200
            outcomes.append(soap.call("GetEntitiesByToken").ErrorCode)
            refused = requests.post(
                f"{topology['soap_url']}/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=(app.client_id, app.client_secret),
                timeout=30,
            )
            outcomes.append(refused.json().get("error"))
            assert team.put(plan, json={"plan": "aiq3"}).status_code == 200
            outcomes.append(soap.call("GetEntitiesByToken").Status)
        assert outcomes == ["APPLICATION_SUSPENDED", "invalid_client", "Success"] * (ROUNDS // 5)
