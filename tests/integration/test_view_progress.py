"""On PostgreSQL, a process that does not run the projections hears of their progress: a
request waiting for its read models is woken by the runner's commit and asks the database
nothing, and if the listening connection is lost it still gets its answer, by polling."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from composition.root import LISTENER_NAME, Services, build_services
from config.settings import Settings
from domain.commands import CreateApp, EditApp
from projections import view as view_module
from projections.sql import SqlDatabase
from projections.view import progress_channel
from tests.support import FakeClock, seeded_group


@pytest.fixture
def api_process(
    services: Services, make_settings: Callable[..., Settings], clock: FakeClock
) -> Iterator[Services]:
    """Services as a gunicorn worker has them: the same database, no projections of its own
    (`services`, the fixture, plays the worker that runs them)."""
    api = build_services(make_settings(), clock=clock)
    yield api
    api.close()


def tracking_polls(monkeypatch: pytest.MonkeyPatch, db: SqlDatabase) -> list[str]:
    """Every query on the tracking table this process's views make from now on. The news is
    trusted for as long as it takes (a loaded machine may take more than the usual quarter
    second to project), so any poll means the news did not come."""
    monkeypatch.setattr(view_module, "TRUST_NEWS_SECONDS", 60.0)
    polls: list[str] = []
    query_one = db.query_one

    def counting(sql: str, params: Any = ()) -> Any:
        if "view_tracking" in sql:
            polls.append(sql)
        return query_one(sql, params)

    monkeypatch.setattr(db, "query_one", counting)
    return polls


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds}s"
        time.sleep(0.05)


def create(api: Services, actor: Any, name: str, entity_ids: list[str]) -> Any:
    spec = CreateApp(
        type="new_integration",
        name=name,
        description="d",
        category="crm",
        api_permission="read",
        developer_email="dev@example.com",
        entity_ids=entity_ids,
    )
    return api.commands.apps.create_app(actor, spec)


class TestOnPostgres:
    backend = "postgres"

    def test_a_waiter_is_woken_by_the_commit_without_polling(
        self, api_process: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        ids, admin = seeded_group(api_process)
        entities = list(ids["entities"].values())
        api_process.wait_until_current()  # starts the listener
        wait_for(
            lambda: api_process.progress_news is not None and api_process.progress_news.live,
            "listening",
        )
        polls = tracking_polls(monkeypatch, api_process.app_list.db)

        for n in range(5):
            created = create(api_process, admin, f"Heard {n}", entities)
            api_process.wait_for_views(created.position, "app_list")
            assert api_process.app_list.get(str(created.app.id))["name"] == f"Heard {n}"
            edited = api_process.commands.apps.edit_app(
                admin, created.app.id, EditApp(description=f"edited {n}")
            )
            api_process.wait_for_views(edited.position, "app_list", "access")
            assert api_process.app_list.get(str(created.app.id))["description"] == f"edited {n}"

        assert polls == []

    def test_a_lost_listening_connection_costs_a_poll_and_comes_back(
        self, api_process: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        ids, admin = seeded_group(api_process)
        entities = list(ids["entities"].values())
        api_process.wait_until_current()
        news = api_process.progress_news
        assert news is not None
        wait_for(lambda: news.live, "listening")

        with psycopg.connect(api_process.settings.database_url, autocommit=True) as admin_db:
            cut = admin_db.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s AND datname = current_database()",
                (LISTENER_NAME,),
            ).fetchall()
        assert cut, "no listening connection was found to cut"
        wait_for(lambda: not news.live, "noticing the lost connection")

        polls = tracking_polls(monkeypatch, api_process.app_list.db)
        created = create(api_process, admin, "Polled", entities)
        api_process.wait_for_views(created.position, "app_list")
        assert api_process.app_list.get(str(created.app.id))["name"] == "Polled"
        assert polls, "with nothing heard, the waiter should have asked the database"

        wait_for(lambda: news.live, "listening again")
        polls.clear()
        again = create(api_process, admin, "Heard again", entities)
        api_process.wait_for_views(again.position, "app_list")
        assert polls == []

    def test_a_stray_notification_on_the_channel_is_ignored(
        self, api_process: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        ids, admin = seeded_group(api_process)
        entities = list(ids["entities"].values())
        api_process.wait_until_current()
        news = api_process.progress_news
        assert news is not None
        wait_for(lambda: news.live, "listening")

        channel = progress_channel(api_process.store.name)
        with psycopg.connect(api_process.settings.database_url, autocommit=True) as other:
            for junk in ("hello", "12", "x app_list", ""):
                other.execute("SELECT pg_notify(%s, %s)", (channel, junk))

        polls = tracking_polls(monkeypatch, api_process.app_list.db)
        created = create(api_process, admin, "After the noise", entities)
        api_process.wait_for_views(created.position, "app_list")
        assert news.live
        assert polls == []
