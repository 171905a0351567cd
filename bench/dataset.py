"""Part B's data, written to the event store directly (not through the command path: 100k
creates with their OTP hashing would take most of the time budget). The events are exactly
those the commands record."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from bench.harness import SECRET
from composition.root import Services
from domain.actor import Actor
from domain.apps import OTP_MAX_ATTEMPTS, AppName, IntegrationApp
from domain.catalog import AIQ_INTEGRATE, NEW_INTEGRATION
from domain.credentials import OtpDigests
from domain.handlers.developer_link import OTP_TTL
from domain.naming import normalise_name
from entrypoints.cli import bootstrap_group

BATCH = 1000


def many_apps(services: Services, count: int) -> tuple[str, float]:
    """`count` apps in one group, varied for every filter: each status, both types in use,
    four categories, two entities, 500 developers; returns the group id and the seconds it
    took."""
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
        requested = n % 10 == 9  # a team request (AIQ Integrate) with no developer yet
        app = IntegrationApp(
            group,
            AIQ_INTEGRATE if requested else NEW_INTEGRATION,
            "hubspot" if requested else None,
            f"App {n:06d} {categories[n % 4]}",
            "generated",
            categories[n % 4],
            ("read", "read_write")[n % 2],
            entities[: 1 + n % 2],
            f"big{n:06d}",
            who,
        )
        if not requested and n % 10 != 8:  # 8: no developer
            _link_developer(app, n, services.clock.now(), digest, who)
        pending += [app, AppName(normalise_name(app.name), app.id)]
        if len(pending) >= 2 * BATCH:
            services.store.save(*pending)
            pending = []
    if pending:
        services.store.save(*pending)
    return str(group), time.perf_counter() - started


def _link_developer(
    app: IntegrationApp, n: int, now: datetime, digest: str, who: dict[str, Any]
) -> None:
    """A developer linked, and then what brings app `n` to one of the statuses the list
    shows; otp_expired is an OTP whose time had passed when the services' clock read `now`."""
    expires_at = now - OTP_TTL if n % 10 == 1 else now + OTP_TTL
    app.link_developer(f"dev{n % 500}@big.example", now, True, None, None, digest, expires_at, who)
    match n % 10:
        case 0:
            app.revoke(who)
        case 2 | 3 | 4:
            app.try_otp(lambda _: True, now, who)  # active
        case 5:
            for _ in range(OTP_MAX_ATTEMPTS):  # otp_locked
                app.try_otp(lambda _: False, now, who)
        # 6, 7: pending verification


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
