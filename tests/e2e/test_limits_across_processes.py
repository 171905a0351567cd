"""Throttling holds across API processes: the counters live in the real Redis, not per process."""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
import requests

from composition.root import Services
from domain.commands import EditApp
from tests.processes import api_server, start_api_server, wait_until_up, worker
from tests.soap.support import get_token, provision
from tests.support import FAST_ARGON2, require_redis, seeded_group

PER_ADDRESS_AND_EMAIL = 10  # api/session/routes.py: "10 per minute" per address and e-mail
QUOTA = 12
ENVELOPE = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:tns="http://integrations.aiq.example/soap"><soapenv:Body>'
    "<tns:GetEntitiesByToken/></soapenv:Body></soapenv:Envelope>"
)


@pytest.fixture
def redis_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "MAIL_DIR": str(tmp_path / "mail"),
        "RATELIMIT_STORAGE_URI": require_redis(),
        # Each test (and each deployment sharing one Redis) counts under its own prefix.
        "RATELIMIT_KEY_PREFIX": f"test-{uuid4().hex}",
        **FAST_ARGON2,
    }


def round_robin(urls: list[str], count: int) -> Iterator[str]:
    """Each request to the next process in turn: every process serves a share, and none
    alone sees enough to reach the limit."""
    return (urls[n % len(urls)] for n in range(count))


@pytest.fixture
def four_processes(
    services: Services, redis_env: dict[str, str], tmp_path: Path
) -> Iterator[list[str]]:
    """Four API processes on ports of their own, sharing only the Redis, and a worker."""
    processes = [worker(redis_env, tmp_path / "worker.log")]
    apis = [start_api_server(redis_env, tmp_path / f"api-{n}.log", workers=1) for n in range(4)]
    processes += [api for api, _ in apis]
    for api, url in apis:
        wait_until_up(url, api)
    yield [url for _, url in apis]
    for process in processes:
        process.stop()


class TestOnPostgres:
    backend = "postgres"

    def test_wrong_passwords_spread_over_four_processes_share_one_limit(
        self, services: Services, four_processes: list[str]
    ) -> None:
        seeded_group(services)
        statuses = [
            requests.post(
                f"{url}/api/v1/session",
                json={"email": "admin@g.example", "password": "wrong password 1"},
                timeout=30,
            ).status_code
            for url in round_robin(four_processes, PER_ADDRESS_AND_EMAIL + 10)
        ]
        assert statuses == [401] * PER_ADDRESS_AND_EMAIL + [429] * 10

    def test_an_apps_quota_holds_over_four_processes(
        self, services: Services, four_processes: list[str]
    ) -> None:
        """SPEC 15: rate_limit_per_minute counts every process's calls in the one Redis."""
        ids, admin = seeded_group(services)
        app = provision(services, admin, "Quota", [ids["entities"]["E1"]])
        edited = services.commands.apps.edit_app(
            admin, UUID(app.app_id), EditApp(rate_limit_per_minute=QUOTA)
        )
        services.wait_for_views(edited.position)
        token = get_token(four_processes[0], app)
        statuses = []
        for url in round_robin(four_processes, QUOTA + 5):
            response = requests.post(
                f"{url}/soap",
                data=ENVELOPE,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "text/xml"},
                timeout=30,
            )
            code = re.search(r"<tns:ErrorCode>(\w+)</tns:ErrorCode>", response.text)
            statuses.append((response.status_code, code.group(1) if code else "Success"))
        assert statuses == [(200, "Success")] * QUOTA + [(429, "RATE_LIMITED")] * 5

    def test_an_unreachable_storage_stops_the_server_with_one_line(
        self, redis_env: dict[str, str], tmp_path: Path
    ) -> None:
        env = {**redis_env, "RATELIMIT_STORAGE_URI": "redis://user:s3cret@127.0.0.1:1/0"}
        _assert_refuses_to_start(env, tmp_path, "cannot be reached")

    def test_a_malformed_storage_uri_stops_the_server_with_one_line(
        self, redis_env: dict[str, str], tmp_path: Path
    ) -> None:
        env = {**redis_env, "RATELIMIT_STORAGE_URI": "redis//127.0.0.1:6379"}
        _assert_refuses_to_start(env, tmp_path, "is not usable: unknown storage scheme")


def _assert_refuses_to_start(env: dict[str, Any], tmp_path: Path, reason: str) -> None:
    with pytest.raises(AssertionError, match="server exited") as failed:
        process, _ = api_server(env, tmp_path / "api.log", workers=2)
        process.stop(signal.SIGTERM)
    uri = env["RATELIMIT_STORAGE_URI"].replace(":s3cret@", ":***@")
    expected = f"integrations: cannot start: RATELIMIT_STORAGE_URI={uri} {reason}"
    lines = [line for line in str(failed.value).splitlines() if "cannot start" in line]
    assert lines and all(line.startswith(expected) for line in lines), lines
    assert "s3cret" not in str(failed.value)
