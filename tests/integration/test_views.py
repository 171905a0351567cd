"""The read models on SQLite and on PostgreSQL: one scenario, a subclass per backend."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from domain.actor import Actor
from projections.app_list import AppQuery
from projections.view import iso
from tests.support import FakeClock
from workers.cli import bootstrap_group
from workers.composition import Services, build_services
from workers.replay import replay


def _scenario(services: Services) -> dict[str, Any]:
    ids = bootstrap_group(
        services, "G", [("E1", "One"), ("E2", "Two")], "admin@g.example", "admin pass 12"
    )
    admin = Actor(
        type="admin",
        id=ids["admin_id"],
        name="admin@g.example",
        group_id=UUID(ids["group_id"]),
        role="practice_admin",
    )
    e1, e2 = ids["entities"]["E1"], ids["entities"]["E2"]
    app = services.app
    apps = []
    for n in range(6):
        created = app.create_app(
            admin,
            {
                "type": "new_integration",
                "name": f"View app {n}",
                "description": f"d{n}",
                "category": "crm" if n % 2 else "accounting",
                "api_permission": "read",
                "developer_email": f"dev{n}@example.com",
                "entity_ids": [e1],
            },
        )
        apps.append(created.app.id)
    app.edit_app(admin, apps[1], {"entity_ids": [e1, e2]})
    app.revoke_app(admin, apps[2], True)
    app.revoke_developer_access(admin, apps[3])
    return {"ids": ids, "admin": admin, "apps": apps, "e1": e1, "e2": e2}


class ViewScenario:
    """The tests; run once per backend by the subclasses below."""

    @pytest.fixture
    def quiet(self, make_settings: Any, clock: FakeClock) -> Any:
        """Services that record events but run no projection (nothing waits for views)."""
        services = build_services(make_settings(), clock=clock)
        services.app.after_save = None
        yield services
        services.close()

    def _process(self, services: Services, name: str, upto: int | None = None) -> int:
        projection = services.projection(name)
        view = services.views[name]
        start = view.max_tracking_id(services.app.name) or 0
        count = 0
        for n in services.app.recorder.select_notifications(
            start, 10_000, inclusive_of_start=False
        ):
            if upto is not None and n.id > upto:
                break
            projection.process_event(
                services.app.mapper.to_domain_event(n), Tracking(services.app.name, n.id)
            )
            count += 1
        return count

    def test_a_projection_stopped_midway_resumes_with_nothing_lost_or_doubled(
        self, quiet: Services, make_settings: Any, clock: FakeClock
    ) -> None:
        facts = _scenario(quiet)
        last = quiet.app.recorder.max_notification_id()
        self._process(quiet, "activity_log", upto=last // 2)  # then the process "dies"
        self._process(quiet, "app_list", upto=last // 3)
        assert quiet.activity_log.max_tracking_id(quiet.app.name) == last // 2

        restarted = build_services(make_settings(), clock=clock)
        restarted.start_projections()
        try:
            restarted.wait_for_views(last)
            for name in restarted.views:
                assert replay(restarted, name, show_progress=False) == [], name
            app_events = sum(len(list(restarted.app.events.get(a))) for a in facts["apps"])
            rows = restarted.activity_log.db.query("SELECT COUNT(*) AS n FROM activity_log")
            assert rows[0]["n"] == app_events
        finally:
            restarted.close()

    def test_an_event_processed_twice_is_refused_and_changes_nothing(self, quiet: Services) -> None:
        _scenario(quiet)
        self._process(quiet, "activity_log")
        before = quiet.activity_log.db.query("SELECT * FROM activity_log ORDER BY position")
        first = quiet.app.recorder.select_notifications(1, 50)
        projection = quiet.projection("activity_log")
        for notification in first:
            with pytest.raises(IntegrityError):
                projection.process_event(
                    quiet.app.mapper.to_domain_event(notification),
                    Tracking(quiet.app.name, notification.id),
                )
        after = quiet.activity_log.db.query("SELECT * FROM activity_log ORDER BY position")
        assert after == before

    def test_two_runners_of_the_same_views_make_one_row_per_event(
        self, quiet: Services, make_settings: Any, clock: FakeClock
    ) -> None:
        facts = _scenario(quiet)
        last = quiet.app.recorder.max_notification_id()
        pair = [build_services(make_settings(), clock=clock) for _ in range(2)]
        try:
            for services in pair:
                services.start_projections()
            for services in pair:
                services.wait_for_views(last)
            for name in quiet.views:
                assert replay(pair[0], name, show_progress=False) == [], name
            count = pair[0].app_list.db.query("SELECT COUNT(*) AS n FROM app_list")[0]["n"]
            assert count == len(facts["apps"])
        finally:
            for services in pair:
                services.close()

    def test_views_answer_the_queries_the_api_makes(self, services: Services) -> None:
        facts = _scenario(services)
        group = str(facts["ids"]["group_id"])
        now = iso(services.clock.now()) or ""
        rows, total = services.app_list.search(AppQuery(group_id=group, now=now, sort="name"))
        assert total == 6 and [r["name"] for r in rows][:2] == ["View app 0", "View app 1"]
        revoked, _ = services.app_list.search(AppQuery(group_id=group, now=now, status=["revoked"]))
        assert [r["name"] for r in revoked] == ["View app 2"]
        by_entity, n = services.app_list.search(
            AppQuery(group_id=group, now=now, entity_id=facts["e2"])
        )
        assert n == 1 and by_entity[0]["name"] == "View app 1"
        page, n = services.app_list.search(
            AppQuery(group_id=group, now=now, sort="-name", page=2, page_size=4)
        )
        assert n == 6 and [r["name"] for r in page] == ["View app 1", "View app 0"]
        access = services.access.for_client(services.app.repository.get(facts["apps"][1]).client_id)
        assert access is not None and access["entity_ids"] == [facts["e1"], facts["e2"]]
        revoked_access = services.access.for_client(
            services.app.repository.get(facts["apps"][2]).client_id
        )
        assert revoked_access is not None and revoked_access["revoked"] is True

    def test_wait_times_out_when_nothing_runs(self, quiet: Services) -> None:
        _scenario(quiet)
        with pytest.raises(TimeoutError):
            quiet.app_list.wait(
                quiet.app.name, quiet.app.recorder.max_notification_id(), timeout=0.2
            )


class TestViewsOnSQLite(ViewScenario):
    backend = "sqlite"


class TestViewsOnPostgres(ViewScenario):
    backend = "postgres"
