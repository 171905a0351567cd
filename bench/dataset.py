"""Part B's data, written to the event store directly (not through the command path: 100k
creates with their OTP hashing would take most of the time budget). The events are exactly
those the commands record."""

from __future__ import annotations

import time
from uuid import UUID

from eventsourcing.domain import Aggregate

from bench.harness import SECRET
from composition.root import Services
from domain.actor import Actor
from domain.apps import AppName, IntegrationApp
from domain.credentials import OtpDigests
from domain.naming import normalise_name
from entrypoints.cli import bootstrap_group

BATCH = 1000


def many_apps(services: Services, count: int) -> tuple[str, float]:
    """`count` apps in one group (Created, DeveloperLinked, name claim), varied for filters;
    returns the group id and the seconds it took."""
    started = time.perf_counter()
    ids = bootstrap_group(
        services,
        "Big group",
        [("E1", "One"), ("E2", "Two")],
        "admin@big.example",
        "bench admin password",
    )
    group, entities = UUID(ids["group_id"]), list(ids["entities"].values())
    who = Actor(type="admin", id=ids["admin_id"], name="admin@big.example").as_event_data()
    digest = OtpDigests(SECRET).digest("12345678")
    categories = ("crm", "accounting", "expenses", "inventory")
    pending: list[Aggregate] = []
    for n in range(count):
        app = IntegrationApp(
            group,
            "new_integration",
            None,
            f"App {n:06d} {categories[n % 4]}",
            "generated",
            categories[n % 4],
            ("read", "read_write")[n % 2],
            entities[: 1 + n % 2],
            f"big{n:06d}",
            who,
        )
        now = services.clock.now()
        app.link_developer(f"dev{n % 500}@big.example", now, True, None, None, digest, now, who)
        if n % 10 == 0:
            app.revoke(who)
        pending += [app, AppName(normalise_name(app.name), app.id)]
        if len(pending) >= 2 * BATCH:
            services.store.save(*pending)
            pending = []
    if pending:
        services.store.save(*pending)
    return str(group), time.perf_counter() - started


def long_history(services: Services, events: int) -> tuple[str, float]:
    """One app with `events` events (edits), saved in batches."""
    started = time.perf_counter()
    who = Actor.system("bench").as_event_data()
    app = IntegrationApp(
        UUID(int=7),
        "new_integration",
        None,
        "Long history",
        "d",
        "crm",
        "read",
        ["e"],
        "long-history",
        who,
    )
    services.store.save(app, AppName(normalise_name(app.name), app.id))
    for n in range(events - 1):
        app.edit({"description": f"=revision {n}" if n % 100 == 0 else f"revision {n}"}, who)
        if n % BATCH == BATCH - 1:
            services.store.save(app)
    services.store.save(app)
    return str(app.id), time.perf_counter() - started
