"""The real `integrations` console script, run as a subprocess on a temporary SQLite file."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import UUID

import pytest
import requests

from composition.root import Services, build_services
from config.settings import Settings
from tests.mailbox import free_port
from tests.support import FAST_ARGON2

INTEGRATIONS = Path(sys.executable).parent / "integrations"
PASSWORD = "a long password 1"
BOOTSTRAP = [
    "bootstrap",
    "--group",
    "G",
    "--entity",
    "A1=Alpha",
    "--entity",
    "B1=Beta",
    "--admin-email",
    "a@x.io",
    "--admin-password",
    PASSWORD,
]


def environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "LOG_LEVEL": "WARNING",
        **FAST_ARGON2,
    }


def run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(INTEGRATIONS), *args],
        env=environment(database_url),
        capture_output=True,
        text=True,
        timeout=120,
    )


def with_option(args: list[str], option: str, value: str) -> list[str]:
    changed = list(args)
    changed[changed.index(option) + 1] = value
    return changed


def assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """Non-zero, nothing on stdout, one line on stderr naming the problem, no traceback."""
    assert result.returncode != 0, result.stdout
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def database_file(tmp_path: Path) -> Path:
    return tmp_path / "cli.sqlite3"


@pytest.fixture
def url(database_file: Path) -> str:
    return f"sqlite:///{database_file}"


@pytest.fixture
def inspect(url: str) -> Iterator[Callable[[], Services]]:
    """The same database seen from this process, read models caught up on demand."""
    made: list[Services] = []

    def services() -> Services:
        settings = Settings.from_env({"DATABASE_URL": url, "SECRET_KEY": "test-secret-key"})
        svc = build_services(settings)
        svc.start_projections()
        svc.wait_for_views(svc.store.recorder.max_notification_id() or 0)
        made.append(svc)
        return svc

    yield services
    for svc in made:
        svc.close()


def event_count(url: str) -> int:
    settings = Settings.from_env({"DATABASE_URL": url, "SECRET_KEY": "test-secret-key"})
    services = build_services(settings)
    try:
        return int(services.store.recorder.max_notification_id() or 0)
    finally:
        services.close()


def test_bootstrap_prints_the_ids_as_json_and_records_group_entities_and_admin(
    url: str, inspect: Callable[[], Services]
) -> None:
    result = run(url, *BOOTSTRAP)
    assert result.returncode == 0, result.stderr
    ids = json.loads(result.stdout)
    assert set(ids) == {"group_id", "admin_id", "entities"}
    assert UUID(ids["group_id"]) != UUID(ids["admin_id"])
    assert set(ids["entities"]) == {"A1", "B1"}

    services = inspect()
    entities = services.directory.entities(ids["group_id"])
    assert {(e["id"], e["code"], e["name"]) for e in entities} == {
        (ids["entities"]["A1"], "A1", "Alpha"),
        (ids["entities"]["B1"], "B1", "Beta"),
    }
    admin = services.directory.user(ids["admin_id"])
    assert admin is not None and admin["email"] == "a@x.io"
    assert admin["role"] == "practice_admin" and admin["group_id"] == ids["group_id"]
    assert services.commands.directory.login("a@x.io", PASSWORD).user.id == UUID(ids["admin_id"])
    for entity_id in ids["entities"].values():
        assert services.accounting.gl_accounts(entity_id), "a default chart of GL accounts"


def test_bootstrap_again_with_the_same_admin_email_is_refused_in_one_line(url: str) -> None:
    assert run(url, *BOOTSTRAP).returncode == 0
    recorded = event_count(url)
    again = run(url, *with_option(BOOTSTRAP, "--group", "Other"))
    assert_refused(again, "e-mail")
    assert event_count(url) == recorded, "a refused bootstrap must record nothing"


@pytest.mark.parametrize(
    ("option", "value", "named"),
    [
        ("--admin-password", "too short", "password"),
        ("--admin-email", "not-an-email", "e-mail"),
        ("--group", "   ", "group"),
    ],
)
def test_bootstrap_with_bad_input_is_refused_in_one_line_and_records_nothing(
    url: str, option: str, value: str, named: str
) -> None:
    assert run(url, *BOOTSTRAP).returncode == 0
    recorded = event_count(url)
    refused = run(
        url, *with_option(with_option(BOOTSTRAP, "--admin-email", "b@x.io"), option, value)
    )
    assert_refused(refused, named)
    assert event_count(url) == recorded, "a refused bootstrap must record nothing"


def test_a_malformed_entity_is_refused(url: str, database_file: Path) -> None:
    result = run(url, *with_option(BOOTSTRAP, "--entity", "A1"))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "--entity" in result.stderr and "CODE=NAME" in result.stderr
    assert result.stdout == ""
    assert not database_file.exists() or event_count(url) == 0


def test_a_database_url_with_a_bad_scheme_is_refused_in_one_line(tmp_path: Path) -> None:
    line = assert_refused(run(f"mysql://localhost/{tmp_path.name}", *BOOTSTRAP), "DATABASE_URL")
    assert "mysql" in line


class DemoServer:
    """`integrations serve --demo` on a free port, its output in a file."""

    def __init__(self, url: str, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._out = log.open("wb")
        self.proc = subprocess.Popen(
            [str(INTEGRATIONS), "serve", "--demo", "--port", str(self.port), "--threads", "2"],
            env=environment(url),
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"serve exited:\n{self.output()[-3000:]}"
            try:
                if requests.get(f"{self.base}/openapi.json", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)  # bounded polling for the subprocess to come up
        raise AssertionError(f"serve did not come up:\n{self.output()[-3000:]}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def credentials(self) -> tuple[str, str]:
        found = re.search(r"log in as (\S+) / (\S+)", self.output())
        assert found, self.output()[-3000:]
        return found.group(1), found.group(2)

    def terminate(self, timeout: float = 15) -> int:
        """SIGTERM, and the exit status; a server still running after `timeout` fails."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"serve ignored SIGTERM:\n{self.output()[-3000:]}") from None

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(15)
        self._out.close()


def log_in_and_list_entities(server: DemoServer) -> list[dict[str, str]]:
    email, password = server.credentials()
    assert (email, password) == ("admin@demo.example", "demo-password-1234")
    session = requests.post(
        f"{server.base}/api/v1/session", json={"email": email, "password": password}, timeout=30
    )
    assert session.status_code == 201, session.text
    headers = {"Authorization": f"Bearer {session.json()['token']}"}
    assert requests.get(f"{server.base}/api/v1/entities", timeout=30).status_code == 401
    entities = requests.get(f"{server.base}/api/v1/entities", headers=headers, timeout=30)
    assert entities.status_code == 200, entities.text
    listed: list[dict[str, str]] = entities.json()
    return listed


def test_serve_demo_answers_with_the_demo_group_and_stops_on_sigterm(
    url: str, tmp_path: Path
) -> None:
    first = DemoServer(url, tmp_path / "serve-1.log")
    try:
        first.wait_until_up()
        assert "demo group created" in first.output()
        entities = log_in_and_list_entities(first)
        assert sorted((e["code"], e["name"]) for e in entities) == [
            ("DEMO-IE", "Demo Services Ltd"),
            ("DEMO-UK", "Demo Trading Ltd"),
        ]
        assert first.terminate() == 0
    finally:
        first.close()

    # Served again on the same file: the demo group is not created twice.
    second = DemoServer(url, tmp_path / "serve-2.log")
    try:
        second.wait_until_up()
        assert "demo group exists" in second.output()
        again = log_in_and_list_entities(second)
        assert sorted(e["id"] for e in again) == sorted(e["id"] for e in entities)
        assert second.terminate() == 0
    finally:
        second.close()


def test_staff_create_makes_a_team_account_that_logs_in_and_refuses_a_second(
    url: str, inspect: Callable[[], Services]
) -> None:
    staff = ["staff", "create", "--email", "Sam@AIQ.example", "--name", "Sam Staff"]
    result = run(url, *staff, "--password", "a long staff password")
    assert result.returncode == 0, result.stderr
    created = json.loads(result.stdout)
    assert created["email"] == "sam@aiq.example"
    session = inspect().commands.team.login("sam@aiq.example", "a long staff password")
    assert str(session.staff.id) == created["staff_id"]
    assert_refused(run(url, *staff, "--password", "another long password"), "exists")
    assert_refused(run(url, *staff[:-2], "--name", "X", "--password", "short"), "password")


def test_bootstrap_on_another_plan(url: str, inspect: Callable[[], Services]) -> None:
    result = run(url, *BOOTSTRAP, "--plan", "aiq2")
    assert result.returncode == 0, result.stderr
    group_id = json.loads(result.stdout)["group_id"]
    assert inspect().directory.group(group_id)["plan"] == "aiq2"  # type: ignore[index]
    assert run(url, *BOOTSTRAP, "--plan", "gold").returncode == 2  # argparse's refusal
