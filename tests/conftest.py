"""Fixtures: every service-level test runs once on SQLite and once on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from api.app import create_app
from composition.root import Services, build_services
from config.settings import Settings
from tests.support import FAST_ARGON2, FakeClock, PostgresTestDatabase, require_postgres

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="session")
def postgres_db() -> Iterator[PostgresTestDatabase]:
    db = PostgresTestDatabase()
    require_postgres(db)
    db.create()
    yield db
    db.drop()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    backend = getattr(request, "param", "sqlite")
    if backend == "postgres":
        db: PostgresTestDatabase = request.getfixturevalue("postgres_db")
        db.empty()
        return db.url
    return f"sqlite:///{tmp_path / 'events.sqlite3'}"


@pytest.fixture
def make_settings(database_url: str, tmp_path: Path) -> Callable[..., Settings]:
    def make(**overrides: str) -> Settings:
        env = {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            "MAIL_DIR": str(tmp_path / "mail"),
            "BASE_URL": "http://testserver",
            # Generous: a loaded machine must not turn slowness into failures.
            "READ_MODEL_TIMEOUT_SECONDS": "60",
            **FAST_ARGON2,
            **overrides,
        }
        return Settings.from_env(env)

    return make


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(make_settings: Callable[..., Settings], clock: FakeClock) -> Iterator[Services]:
    svc = build_services(make_settings(), clock=clock)
    svc.start_projections()
    yield svc
    svc.close()


class LiveServer:
    """The real WSGI app on a loopback port, served by threads, reached over real HTTP."""

    def __init__(self, app: Any, port: int = 0) -> None:
        self._server = make_server("127.0.0.1", port, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        # serve_forever checks for shutdown every poll_interval (0.5 s by default): a test's
        # teardown would wait that long for nothing.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()


@pytest.fixture
def server(services: Services) -> Iterator[LiveServer]:
    live = LiveServer(create_app(services))
    yield live
    live.stop()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests that reach the database run on both backends, unless a class pins one."""
    if "database_url" in metafunc.fixturenames and not hasattr(metafunc.cls, "backend"):
        metafunc.parametrize("database_url", BACKENDS, indirect=True)
    elif "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", [metafunc.cls.backend], indirect=True)
