"""The auditors' CLI: history, point-in-time state (same as REST) and replay with compare."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from composition.root import Services
from domain.apps import describe
from domain.commands import CreateApp, EditApp
from tests.support import FAST_ARGON2, seeded_group

BIN = Path(sys.executable).parent


def run_cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        **FAST_ARGON2,
    }
    return subprocess.run(
        [str(BIN / "integrations"), *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def history(services: Services) -> dict[str, Any]:
    ids, admin = seeded_group(services, (("E1", "One"), ("E2", "Two")))
    app = services.commands.apps
    created = app.create_app(
        admin,
        CreateApp(
            type="new_integration",
            name="Audited",
            description="first",
            category="crm",
            api_permission="read",
            developer_email="dev@example.com",
            entity_ids=[ids["entities"]["E1"]],
        ),
    )
    app_id = created.app.id
    app.edit_app(admin, app_id, EditApp(description="second"))
    between = services.store.repository.get(app_id).modified_on
    app.edit_app(admin, app_id, EditApp(description="third", entity_ids=[ids["entities"]["E2"]]))
    return {"app_id": str(app_id), "between": between.isoformat(), "admin": admin}


def test_history_lists_every_event_with_actor_and_time(
    services: Services, history: dict[str, Any], database_url: str
) -> None:
    result = run_cli(database_url, "history", history["app_id"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert [line.split()[2] for line in lines] == [
        "IntegrationApp.Created",
        "IntegrationApp.DeveloperLinked",
        "IntegrationApp.DescriptionChanged",
        "IntegrationApp.DescriptionChanged",
        "IntegrationApp.EntitiesChanged",
    ]
    assert all("admin:admin@g.example" in line for line in lines)
    assert "otp_digest" not in result.stdout and "invite_id" not in result.stdout


def test_state_as_of_equals_the_rest_history(
    services: Services, history: dict[str, Any], database_url: str
) -> None:
    result = run_cli(database_url, "state", history["app_id"], "--as-of", history["between"])
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout)
    assert state["description"] == "second"
    found = services.commands.apps.app_history(
        history["admin"], UUID(history["app_id"]), datetime.fromisoformat(history["between"])
    )
    assert found.state is not None
    assert state == json.loads(
        json.dumps(describe(found.state, datetime.fromisoformat(history["between"])))
    )
    before = run_cli(database_url, "state", history["app_id"], "--as-of", "2000-01-01")
    assert before.returncode == 2 and "did not exist" in before.stderr
    assert run_cli(database_url, "state", "not-an-id", "--as-of", "2000-01-01").returncode == 2


def test_replay_rebuilds_compares_and_reports_differences(
    services: Services, history: dict[str, Any], database_url: str
) -> None:
    clean = run_cli(database_url, "replay")
    assert clean.returncode == 0, clean.stderr
    assert "app_list: 0 difference(s)" in clean.stdout
    assert "activity_log: 0 difference(s)" in clean.stdout
    with services.app_list.db.transaction() as c:
        c.execute("UPDATE app_list SET description = 'tampered' WHERE id = ?", (history["app_id"],))
    tampered = run_cli(database_url, "replay", "app_list")
    assert tampered.returncode == 3
    assert "only in live" in tampered.stdout and "tampered" in tampered.stdout
    assert "only in rebuild" in tampered.stdout and "third" in tampered.stdout
    assert run_cli(database_url, "replay", "nonsense").returncode == 2
