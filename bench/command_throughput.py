"""REST commands/s (create + edit) over HTTP by several clients, against eventsourcing
saving the same events with no HTTP (one thread, same database kind)."""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

from bench import clients
from bench.harness import (
    SECRET,
    SERVER,
    Bench,
    Figure,
    Measure,
    Watch,
    bracketed,
    load,
    rate,
    services_for,
)
from domain.actor import Actor
from domain.apps import AppName, AppNameSkeleton, IntegrationApp
from domain.credentials import OtpDigests
from domain.developers import InviteRef
from domain.naming import confusable_key, normalise_name

SECONDS = 15.0
CLIENTS = 8  # as many as the API server has threads (2 x 4): fewer leave it idle


def raw_save_rate(bench: Bench, seconds: float = 8.0) -> float:
    """The same events per command as the API records (the app, both name claims and the
    invite), saved straight to the store."""
    with bench.database("integrations_bench_raw") as url:
        services = services_for(url)
        who = Actor.system().as_event_data()
        digest, n, started = OtpDigests(SECRET).digest("12345678"), 0, time.perf_counter()
        try:
            while time.perf_counter() - started < seconds:
                n += 1
                app = IntegrationApp(
                    UUID(int=1),
                    "new_integration",
                    None,
                    f"raw {n}",
                    "d",
                    "crm",
                    "read",
                    ["e"],
                    f"client{n}",
                    who,
                )
                now = services.clock.now()
                app.link_developer(
                    "dev@bench.example", now, False, f"inv{n}", now, digest, now, who
                )
                services.store.save(
                    app,
                    AppName(normalise_name(app.name), app.id),
                    AppNameSkeleton(confusable_key(app.name), app.id),
                    InviteRef(f"inv{n}", app.id),
                )
                app.edit({"description": f"edited {n}"}, who)
                services.store.save(app)
            return 2 * n / (time.perf_counter() - started)
        finally:
            services.close()


def measures(bench: Bench, world: dict[str, Any]) -> tuple[Measure, Measure]:
    """The figure's load and its baseline's (which runs in this process, with no load and
    so nothing to watch)."""
    args = [
        {"url": world["url"], "login": world["login"], "entities": world["entities"]}
        for _ in range(CLIENTS)
    ]

    def commands(watch: Watch = None) -> float:
        return rate(load(clients.commands, args, SECONDS, watch), SECONDS)

    def raw_saves(watch: Watch = None) -> float:
        return raw_save_rate(bench)

    return commands, raw_saves


def run(bench: Bench, world: dict[str, Any]) -> Figure:
    return bracketed(
        *measures(bench, world), "commands/s", f"{CLIENTS} clients, {SERVER} 2x4 threads + 1 worker"
    )
