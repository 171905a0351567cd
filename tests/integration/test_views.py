"""The read models on SQLite and on PostgreSQL: one scenario class, a subclass per backend.

The scenario is recorded with no projection running; the tests then feed the projections by
hand (as a runner would, one event per transaction), stop them part-way, restart, run two
runners at once, and query the views the way the API does.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError, Notification, Tracking, WaitInterruptedError

from composition.root import PROJECTIONS, Services, build_services
from domain.actor import Actor
from domain.commands import CreateApp, EditApp
from domain.tokens import AccessToken
from entrypoints.cli import bootstrap_group
from projections.activity_log import GROUP_LOG
from projections.app_list import AppQuery
from projections.sql import COPY_FROM
from projections.view import View, iso
from tests.support import FakeClock, admin_actor
from workers import projection_runner
from workers.projection_runner import ProjectionRunner

Snapshot = dict[str, list[tuple[tuple[str, Any], ...]]]


@dataclass
class Facts:
    """What the scenario recorded: ids to look rows up by."""

    group: str
    other_group: str
    admin: Actor
    e1: str
    e2: str
    f1: str
    apps: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)


def _new_integration(name: str, category: str, dev: str, entities: list[str]) -> dict[str, Any]:
    return {
        "type": "new_integration",
        "name": name,
        "description": f"about {name}",
        "category": category,
        "api_permission": "read",
        "developer_email": dev,
        "entity_ids": entities,
    }


def record_scenario(services: Services, extra_apps: int = 0) -> Facts:
    """Two groups, apps of every type, edits, developer actions, revokes, a token, a login."""
    commands = services.commands
    ids = bootstrap_group(
        services, "G", [("E1", "One"), ("E2", "Two")], "admin@g.example", "admin pass 12"
    )
    other = bootstrap_group(services, "H", [("F1", "Eff")], "admin@h.example", "admin pass 34")
    entities: dict[str, str] = ids["entities"]  # type: ignore[assignment]
    other_entities: dict[str, str] = other["entities"]  # type: ignore[assignment]
    facts = Facts(
        group=str(ids["group_id"]),
        other_group=str(other["group_id"]),
        admin=admin_actor(ids, "admin@g.example"),
        e1=entities["E1"],
        e2=entities["E2"],
        f1=other_entities["F1"],
    )
    admin, e1, e2 = facts.admin, facts.e1, facts.e2

    def create(key: str, spec: dict[str, Any], actor: Actor = admin) -> UUID:
        created = commands.apps.create_app(actor, CreateApp(**spec))
        facts.apps[key], facts.names[key] = str(created.app.id), spec["name"]
        return created.app.id

    alpha = create("alpha", _new_integration("Alpha CRM", "crm", "dev0@example.com", [e1]))
    beta = create(
        "beta",
        {
            **_new_integration("beta ledger", "accounting", "Dev1@Example.com", [e1]),
            "api_permission": "read_write",
        },
    )
    gamma = create(
        "gamma", _new_integration("Gamma 100% Pure_Data", "other", "dev2@example.com", [e2])
    )
    managed = {"entity_ids": [e1], "acknowledge_data_access": True}
    delta = create(
        "delta",
        {
            **managed,
            "type": "aiq_integrate",
            "preset": "hubspot",
            "name": "Delta",
            "description": "managed",
            "acknowledge_charges": True,
        },
    )
    epsilon = create(
        "epsilon",
        {
            **managed,
            "type": "aiq_connector",
            "preset": "salesforce",
            "name": "Epsilon",
            "description": "connector",
            "developer_email": "dev4@example.com",
        },
    )
    zeta = create("zeta", _new_integration("Zeta", "accounting", "dev5@example.com", [e1, e2]))
    create(
        "eta",
        {
            **managed,
            "type": "aiq_integrate",
            "preset": "custom",
            "category": "reporting",
            "name": "Eta",
            "description": "still requested",
            "acknowledge_charges": True,
        },
    )
    create(
        "theta",
        _new_integration("Theta", "crm", "dev0@example.com", [facts.f1]),
        actor=admin_actor(other, "admin@h.example"),
    )
    for n in range(extra_apps):
        create(f"extra{n}", _new_integration(f"Extra {n}", "other", f"x{n}@example.com", [e1]))

    commands.apps.edit_app(admin, beta, EditApp(entity_ids=[e1, e2], description="edited"))
    commands.apps.edit_app(admin, alpha, EditApp(category="reporting"))
    commands.apps.edit_app(admin, alpha, EditApp(category="crm"))
    commands.apps.revoke_app(admin, gamma, True)
    commands.developers.register_developer(admin, delta, "dev3@example.com")
    commands.developers.resend_invite(admin, delta)
    commands.developers.revoke_developer_access(admin, epsilon)
    commands.developers.reset_otp(admin, zeta)
    beta_app = services.store.repository.get(beta)
    facts.tokens.append(commands.oauth.issue_access_token(beta_app).access_token)
    commands.directory.login("admin@g.example", "admin pass 12")
    return facts


def notifications(services: Services) -> list[Notification]:
    found: list[Notification] = services.store.recorder.select_notifications(
        0, 100_000, inclusive_of_start=False
    )
    return found


def last_position(services: Services) -> int:
    return int(services.store.recorder.max_notification_id() or 0)


def process(services: Services, name: str, upto: int | None = None) -> int:
    """Feeds one projection by hand from its position, one event per transaction."""
    projection = services.projection(name)
    start = services.views[name].max_tracking_id(services.store.name) or 0
    done = 0
    for n in notifications(services):
        if n.id <= start:
            continue
        if upto is not None and n.id > upto:
            break
        projection.process_event(
            services.store.mapper.to_domain_event(n), Tracking(services.store.name, n.id)
        )
        done += 1
    return done


def process_batch(services: Services, name: str, upto: int) -> None:
    """Feeds one projection by hand through the batch path: one transaction, one move."""
    projection, view = services.projection(name), services.views[name]
    start = view.max_tracking_id(services.store.name) or 0
    pending = [n for n in notifications(services) if start < n.id <= upto]
    with view.batch(services.store.name, pending[0].id, pending[-1].id):
        for n in pending:
            projection.process_event(
                services.store.mapper.to_domain_event(n), Tracking(services.store.name, n.id)
            )


def snapshot(view: View) -> Snapshot:
    """Every row of every table of a view, as a sorted multiset (duplicates would show)."""
    return {
        table: sorted(
            (tuple(sorted(row.items())) for row in view.db.query(f"SELECT * FROM {table}")),
            key=repr,
        )
        for table in view.tables
    }


def rebuilt(services: Services, name: str) -> Snapshot:
    """clear() the view, replay every event into it, and return its rows."""
    view = services.views[name]
    view.clear()
    assert view.max_tracking_id(services.store.name) is None
    assert all(rows == [] for rows in snapshot(view).values())
    process(services, name)
    return snapshot(view)


def stop_runners(services: Services) -> None:
    for runner in services.runners:
        runner.stop()
    services.runners = []


def count(view: View, table: str) -> int:
    row = view.db.query_one(f"SELECT COUNT(*) AS n FROM {table}")
    assert row is not None
    return int(row["n"])


def app_lines(services: Services) -> int:
    """The activity log's lines about apps (not the groups' own: users, entities, plans)."""
    row = services.activity_log.db.query_one(
        "SELECT COUNT(*) AS n FROM activity_log WHERE app_id NOT LIKE ?", (GROUP_LOG + "%",)
    )
    assert row is not None
    return int(row["n"])


def app_event_count(services: Services, facts: Facts) -> int:
    """Events of the apps themselves plus the tokens issued to them: one log row each."""
    per_app = sum(len(list(services.store.events.get(UUID(a)))) for a in facts.apps.values())
    return per_app + len(facts.tokens)


class ViewScenario:
    """The tests; run once per backend by the subclasses below."""

    @pytest.fixture
    def quiet(self, make_settings: Any, clock: FakeClock) -> Iterator[Services]:
        """Services that record events but run no projection (commands wait for nothing)."""
        services = build_services(make_settings(), clock=clock)
        yield services
        services.close()

    @pytest.fixture
    def more_services(self, make_settings: Any, clock: FakeClock) -> Iterator[list[Services]]:
        """Further Services on the same database, as other processes would have; closed last."""
        made: list[Services] = []
        yield made
        for services in made:
            services.close()

    # (a) stopped half-way, restarted: nothing lost, nothing doubled

    def test_projections_stopped_part_way_resume_after_a_restart(
        self, quiet: Services, more_services: list[Services], make_settings: Any, clock: FakeClock
    ) -> None:
        facts = record_scenario(quiet)
        last = last_position(quiet)
        ids = [n.id for n in notifications(quiet)]
        # Each view stops at a different place: one never ran, one is at the end, app_list
        # went through the batch path.
        fractions = [1 / 2, 1 / 3, 0, 2 / 3, 1, 1 / 4, 3 / 4, 1 / 5, 4 / 5, 1 / 6, 5 / 6, 1 / 7]

        def stop_at(fraction: float) -> int:
            return ids[int(len(ids) * fraction) - 1] if fraction else 0

        stops = {name: stop_at(fractions[i % len(fractions)]) for i, name in enumerate(PROJECTIONS)}
        assert len(set(stops.values())) == len(stops)
        for name, stop in stops.items():
            if stop and name == "app_list":
                process_batch(quiet, name, stop)
            elif stop:
                process(quiet, name, upto=stop)
            assert (quiet.views[name].max_tracking_id(quiet.store.name) or 0) == stop, name
        assert 0 < app_lines(quiet) < app_event_count(quiet, facts)

        # The process "dies"; a new one on the same database starts its runner.
        restarted = build_services(make_settings(), clock=clock)
        more_services.append(restarted)
        restarted.start_projections()
        restarted.wait_for_views(last)
        stop_runners(restarted)

        for name, view in restarted.views.items():
            assert view.max_tracking_id(restarted.store.name) == last, name
            live = snapshot(view)
            assert live == rebuilt(restarted, name), name
        assert app_lines(restarted) == app_event_count(restarted, facts)
        assert count(restarted.app_list, "app_list") == len(facts.apps)
        assert count(restarted.mail_outbox, "mail_outbox") > 0

    def test_a_failure_mid_event_or_mid_batch_commits_neither_rows_nor_position(
        self, quiet: Services
    ) -> None:
        record_scenario(quiet)
        name, view = "activity_log", quiet.activity_log
        first = notifications(quiet)[:12]
        before = snapshot(view)

        with pytest.raises(RuntimeError), view.tracked(Tracking(quiet.store.name, 1)) as c:
            c.execute(
                "INSERT INTO activity_log (app_id, position, event) VALUES (?, ?, ?)",
                ("x", 1, "half-written"),
            )
            raise RuntimeError("the process dies here")
        assert snapshot(view) == before
        assert view.max_tracking_id(quiet.store.name) is None

        projection = quiet.projection(name)
        with pytest.raises(RuntimeError), view.batch(quiet.store.name, first[0].id, first[-1].id):
            for n in first:
                projection.process_event(
                    quiet.store.mapper.to_domain_event(n), Tracking(quiet.store.name, n.id)
                )
            raise RuntimeError("the process dies after the last event of the batch")
        assert snapshot(view) == before
        assert view.max_tracking_id(quiet.store.name) in (None, 0)

        # Nothing was half-done, so a plain run from the start is exactly a rebuild.
        process(quiet, name)
        assert snapshot(view) == rebuilt(quiet, name)

    # (b) an event processed twice

    def test_an_event_processed_again_is_refused_and_changes_nothing(self, quiet: Services) -> None:
        record_scenario(quiet)
        last = last_position(quiet)
        for name in PROJECTIONS:
            process(quiet, name)
        before = {name: snapshot(view) for name, view in quiet.views.items()}

        for name, view in quiet.views.items():
            projection = quiet.projection(name)
            for n in notifications(quiet):
                with pytest.raises(IntegrityError):
                    projection.process_event(
                        quiet.store.mapper.to_domain_event(n), Tracking(quiet.store.name, n.id)
                    )
            with pytest.raises(IntegrityError), view.batch(quiet.store.name, 1, last):
                pytest.fail("a batch over processed events must be refused before it runs")

        for name, view in quiet.views.items():
            assert snapshot(view) == before[name], name
            assert view.max_tracking_id(quiet.store.name) == last, name

    # (c) two runners of the same projections at once

    def test_two_runners_at_once_make_exactly_one_row_per_event(
        self,
        quiet: Services,
        more_services: list[Services],
        make_settings: Any,
        clock: FakeClock,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        facts = record_scenario(quiet, extra_apps=40)
        last = last_position(quiet)
        pair = [build_services(make_settings(), clock=clock) for _ in range(2)]
        more_services.extend(pair)
        with caplog.at_level(logging.WARNING, logger="workers.projection_runner"):
            for services in pair:
                services.start_projections()
            for services in pair:
                services.wait_for_views(last)
            for services in pair:
                stop_runners(services)
        failures = [r for r in caplog.records if r.name == "workers.projection_runner"]
        assert failures == [], [r.getMessage() for r in failures]

        first = pair[0]
        assert app_lines(first) == app_event_count(first, facts)
        assert count(first.app_list, "app_list") == len(facts.apps)
        for name, view in first.views.items():
            assert view.max_tracking_id(first.store.name) == last, name
            assert snapshot(view) == rebuilt(first, name), name

    def test_one_batch_of_many_new_apps_equals_a_rebuild_event_by_event(
        self, quiet: Services
    ) -> None:
        """A batch with more new rows than `COPY_FROM` writes them by COPY on PostgreSQL:
        the same rows as one event per transaction, which writes them by statement."""
        facts = record_scenario(quiet, extra_apps=COPY_FROM + 8)
        process_batch(quiet, "app_list", last_position(quiet))
        in_one_batch = snapshot(quiet.app_list)
        assert len(in_one_batch["app_list"]) == len(facts.apps) > COPY_FROM
        assert len(in_one_batch["app_list_entities"]) > COPY_FROM
        assert in_one_batch == rebuilt(quiet, "app_list")

    def test_a_runner_catching_up_over_many_batches_misses_nothing(
        self, quiet: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Small batches, so that the catch-up crosses a dozen of them: every view ends where
        a one-by-one rebuild does, at the last event."""
        record_scenario(quiet, extra_apps=12)
        last = last_position(quiet)
        monkeypatch.setattr(projection_runner, "CATCH_UP_BATCH", 7)
        assert last > 15 * 7
        runner = ProjectionRunner(quiet.store, [quiet.projection(n) for n in PROJECTIONS])
        positions = dict.fromkeys(PROJECTIONS, 0)
        assert runner.catch_up(positions) == last
        assert positions == dict.fromkeys(PROJECTIONS, last)
        for name, view in quiet.views.items():
            assert view.max_tracking_id(quiet.store.name) == last, name
            assert snapshot(view) == rebuilt(quiet, name), name
        assert runner.catch_up(positions) == last  # nothing new: nothing done

    def test_a_runner_overtaken_by_another_forgets_what_it_kept_of_the_endpoints(
        self, more_services: list[Services], make_settings: Any, clock: FakeClock
    ) -> None:
        """The webhooks view keeps the endpoints it read from one batch of its runner to the
        next. When another runner (another thread or process) processed events meanwhile, here
        the endpoint's creation, the first runner must not go on with what it kept: the app's
        edits it processes next are delivered to the new endpoint."""
        # Quiet too (no runner), and it may send to a loopback receiver.
        quiet = build_services(make_settings(WEBHOOK_ALLOW_LOOPBACK="true"), clock=clock)
        more_services.append(quiet)
        facts = record_scenario(quiet)
        app_id = UUID(facts.apps["zeta"])
        first = ProjectionRunner(quiet.store, [quiet.projection("webhooks")])
        positions = {"webhooks": 0}
        first.catch_up(positions)  # keeps: the group has no endpoint
        hook = quiet.commands.webhooks.create(facts.admin, "http://127.0.0.1:9/w", ["*"], None)
        other = ProjectionRunner(quiet.store, [quiet.projection("webhooks")])
        elsewhere = threading.Thread(target=other.catch_up, args=(dict(positions),))
        elsewhere.start()
        elsewhere.join()
        for text in ("one", "two"):
            quiet.commands.apps.edit_app(facts.admin, app_id, EditApp(description=text))
            first.catch_up(positions)
        delivered = quiet.webhooks.deliveries(str(hook.webhook.id))
        assert [d["event_type"] for d in delivered] == ["app.updated", "app.updated"]
        assert snapshot(quiet.webhooks) == rebuilt(quiet, "webhooks")

    # (d) the access view follows the app

    def test_the_access_view_follows_entity_edits_and_revokes(self, quiet: Services) -> None:
        facts = record_scenario(quiet)
        store, admin = quiet.store, facts.admin
        access = quiet.access

        def caught_up() -> None:
            process(quiet, "access")

        caught_up()
        beta = store.repository.get(UUID(facts.apps["beta"]))
        row = access.for_client(beta.client_id)
        assert row is not None
        assert row["app_id"] == facts.apps["beta"] and row["group_id"] == facts.group
        assert row["entity_ids"] == [facts.e1, facts.e2]
        assert row["revoked"] is False and row["api_permission"] == "read_write"
        gamma = store.repository.get(UUID(facts.apps["gamma"]))
        assert access.for_client(gamma.client_id)["revoked"] is True  # type: ignore[index]
        assert access.for_client("no-such-client") is None

        jti = quiet.access_tokens.verify(facts.tokens[0]).jti
        token_id, beta_id = str(AccessToken.create_id(jti)), facts.apps["beta"]
        by_token = access.for_call(beta_id, token_id, " e2 ")
        assert by_token is not None and by_token["client_id"] == beta.client_id
        assert by_token["entity_id"] == facts.e2 and by_token["entity_code"] == "E2"
        assert by_token["revoked"] is False and by_token["token_revoked"] is False
        other_groups_entity = access.for_call(beta_id, token_id, "F1")
        assert other_groups_entity is not None and other_groups_entity["entity_id"] is None
        assert access.for_call(str(UUID(int=7)), token_id, "E1") is None

        quiet.commands.apps.edit_app(
            admin, UUID(facts.apps["beta"]), EditApp(entity_ids=[facts.e2])
        )
        caught_up()
        assert access.for_client(beta.client_id)["entity_ids"] == [facts.e2]  # type: ignore[index]

        quiet.commands.apps.edit_app(
            admin, UUID(facts.apps["beta"]), EditApp(description="only words")
        )
        caught_up()
        assert access.for_client(beta.client_id)["entity_ids"] == [facts.e2]  # type: ignore[index]

        # Revoking the developer's access leaves the API credentials working (SPEC 4)...
        quiet.commands.developers.revoke_developer_access(admin, UUID(facts.apps["beta"]))
        caught_up()
        assert access.for_client(beta.client_id)["revoked"] is False  # type: ignore[index]

        # ...revoking a token stops that token...
        token = quiet.commands.oauth.find_access_token(jti)
        assert token is not None
        quiet.commands.oauth.revoke_access_token(beta, token)
        caught_up()
        assert access.for_call(beta_id, token_id)["token_revoked"] is True  # type: ignore[index]

        # ...and revoking the app stops the app.
        quiet.commands.apps.revoke_app(admin, UUID(facts.apps["beta"]), True)
        caught_up()
        assert access.for_client(beta.client_id)["revoked"] is True  # type: ignore[index]
        assert access.for_call(beta_id, token_id, "E2")["revoked"] is True  # type: ignore[index]
        assert snapshot(access) == rebuilt(quiet, "access")

    # (e) wait()

    def test_wait_times_out_while_nothing_runs(self, quiet: Services) -> None:
        record_scenario(quiet)
        last = last_position(quiet)
        for view in quiet.views.values():
            assert not view.has_tracking_id(quiet.store.name, last)
            with pytest.raises(TimeoutError):
                view.wait(quiet.store.name, last, timeout=0.05)

    def test_wait_returns_once_a_runner_processed_the_position(
        self, quiet: Services, more_services: list[Services], make_settings: Any, clock: FakeClock
    ) -> None:
        facts = record_scenario(quiet)
        last = last_position(quiet)

        # A runner in "another process": this one notices by polling.
        elsewhere = build_services(make_settings(), clock=clock)
        more_services.append(elsewhere)
        elsewhere.start_projections()
        quiet.app_list.wait(quiet.store.name, last, timeout=30)
        assert (quiet.app_list.max_tracking_id(quiet.store.name) or 0) >= last
        assert quiet.app_list.get(facts.apps["eta"]) is not None
        stop_runners(elsewhere)

        # This process's own runner wakes the waiter when it commits.
        quiet.start_projections()
        app_id = UUID(facts.apps["zeta"])
        edited = quiet.commands.apps.edit_app(
            facts.admin, app_id, EditApp(description="waited for")
        )
        position = last_position(quiet)
        assert position > last
        quiet.app_list.wait(quiet.store.name, position, timeout=30)
        row = quiet.app_list.get(str(app_id))
        assert row is not None and row["description"] == "waited for"
        assert row["version"] == edited.app.version

        # A position nobody has reached yet still times out; an interrupt stops the wait.
        with pytest.raises(TimeoutError):
            quiet.app_list.wait(quiet.store.name, position + 1, timeout=0.05)
        interrupt = threading.Event()
        interrupt.set()
        with pytest.raises(WaitInterruptedError):
            quiet.app_list.wait(quiet.store.name, position + 1, timeout=30, interrupt=interrupt)

    def test_read_your_writes_gives_up_with_a_timeout_when_no_runner_runs(
        self, quiet: Services
    ) -> None:
        record_scenario(quiet)
        quiet.settings = replace(quiet.settings, read_model_timeout=0.05)
        with pytest.raises(TimeoutError):
            quiet.wait_for_views(last_position(quiet))

    # (f) the list view's queries

    def _search(self, services: Services, facts: Facts, **query: Any) -> tuple[list[str], int]:
        query.setdefault("now", iso(services.clock.now()))
        rows, total = services.app_list.search(AppQuery(group_id=facts.group, **query))
        keys = {v: k for k, v in facts.apps.items()}
        return [keys[r["id"]] for r in rows], total

    def test_list_filters(self, quiet: Services) -> None:
        facts = record_scenario(quiet)
        process(quiet, "app_list")

        def found(**query: Any) -> set[str]:
            keys, total = self._search(quiet, facts, page_size=100, **query)
            assert total == len(keys)
            return set(keys)

        mine = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"}
        assert found() == mine  # never the other group's Theta
        assert found(status=["revoked"]) == {"gamma"}
        assert found(status=["requested"]) == {"eta"}
        assert found(status=["no_developer"]) == {"epsilon"}
        assert found(status=["revoked", "no_developer"]) == {"gamma", "epsilon"}
        pending = {"alpha", "beta", "delta", "zeta"}
        assert found(status=["pending_verification"]) == pending
        assert found(status=["otp_expired"]) == set()
        # Three days later the OTPs have expired by the clock, before any expiry event.
        later = iso(quiet.clock.now() + timedelta(days=3, seconds=1))
        assert found(status=["otp_expired"], now=later) == pending
        assert found(status=["pending_verification"], now=later) == set()
        assert found(type="aiq_integrate") == {"delta", "eta"}
        assert found(type="aiq_connector") == {"epsilon"}
        assert found(category="crm") == {"alpha", "delta", "epsilon"}
        assert found(type="new_integration", category="accounting") == {"beta", "zeta"}
        assert found(name="ALPHA") == {"alpha"}
        assert found(name="E") == {"beta", "gamma", "delta", "epsilon", "zeta", "eta"}
        # LIKE's wildcards are taken literally.
        assert found(name="0% p") == {"gamma"}
        assert found(name="_") == {"gamma"}
        assert found(name="%") == {"gamma"}
        assert found(developer_email="DEV1@example") == {"beta"}
        assert found(developer_email="dev3@") == {"delta"}
        assert found(developer_email="dev4@") == set()  # access revoked: no developer now
        assert found(developer_email="dev0@") == {"alpha"}  # not the other group's Theta
        assert found(entity_id=facts.e2) == {"beta", "gamma", "zeta"}
        assert found(entity_id=facts.f1) == set()
        assert found(status=["pending_verification"], entity_id=facts.e2) == {"beta", "zeta"}

        created = {k: quiet.app_list.get(v)["created_at"] for k, v in facts.apps.items()}  # type: ignore[index]
        assert found(created_from=created["delta"]) == {"delta", "epsilon", "zeta", "eta"}
        assert found(created_to=created["beta"]) == {"alpha", "beta"}
        window = found(created_from=created["beta"], created_to=created["delta"])
        assert window == {"beta", "gamma", "delta"}

        beta = quiet.app_list.get(facts.apps["beta"])
        assert beta is not None
        assert beta["description"] == "edited" and beta["dev_email"] == "dev1@example.com"
        assert beta["status"] == "pending_verification"
        assert beta["version"] == quiet.store.repository.get(UUID(facts.apps["beta"])).version

    def test_list_sort_and_paging(self, quiet: Services) -> None:
        facts = record_scenario(quiet)
        process(quiet, "app_list")
        by_creation = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"]

        assert self._search(quiet, facts) == (by_creation[::-1], 7)  # newest first by default
        assert self._search(quiet, facts, sort="created_at") == (by_creation, 7)
        pages = [
            self._search(quiet, facts, sort="created_at", page=page, page_size=3)
            for page in (1, 2, 3, 4)
        ]
        assert pages == [(by_creation[:3], 7), (by_creation[3:6], 7), (["eta"], 7), ([], 7)]
        pages = [
            self._search(quiet, facts, sort="-created_at", page=page, page_size=3)
            for page in (1, 2, 3)
        ]
        assert pages == [
            (by_creation[::-1][:3], 7),
            (by_creation[::-1][3:6], 7),
            (["alpha"], 7),
        ]
        status_order, _ = self._search(quiet, facts, sort="status")
        statuses = [quiet.app_list.get(facts.apps[k])["status"] for k in status_order]  # type: ignore[index]
        assert statuses == sorted(statuses)
        assert self._search(quiet, facts, sort="updated_at")[0][-1] == "zeta"  # OTP reset last
        crm_by_type, _ = self._search(quiet, facts, category="crm", sort="-type")
        assert crm_by_type == ["alpha", "delta", "epsilon"]

    def test_list_sorted_by_name_is_alphabetical_whatever_the_case(self, quiet: Services) -> None:
        facts = record_scenario(quiet)
        process(quiet, "app_list")
        expected = ["alpha", "beta", "delta", "epsilon", "eta", "gamma", "zeta"]
        assert self._search(quiet, facts, sort="name") == (expected, 7)
        assert self._search(quiet, facts, sort="-name") == (expected[::-1], 7)


class TestViewsOnSQLite(ViewScenario):
    backend = "sqlite"


class TestViewsOnPostgres(ViewScenario):
    backend = "postgres"
