"""Part A: a scratch database, the API servers + a worker, a group and apps with credentials."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests

from bench.harness import Bench, servers, services_for
from bench.seeding import admin_actor, client_app
from entrypoints.cli import bootstrap_group

ADMIN = {"email": "admin@bench.example", "password": "bench admin password"}


@contextmanager
def http_world(bench: Bench, apps: int = 6) -> Iterator[dict[str, Any]]:
    with bench.database("integrations_bench_http") as url, servers(url) as base:
        setup = services_for(url)
        setup.start_projections()
        try:
            ids = bootstrap_group(
                setup,
                "Bench",
                [("B1", "Bench One"), ("B2", "Bench Two")],
                ADMIN["email"],
                ADMIN["password"],
            )
            admin = admin_actor(ids, ADMIN["email"])
            entities = list(ids["entities"].values())
            clients = [
                client_app(setup, admin, f"Bench client {n}", entities, f"dev{n}@bench.example")
                for n in range(apps)
            ]
        finally:
            setup.close()
        tokens = [
            requests.post(
                f"{base}/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=(c.client_id, c.client_secret),
                timeout=30,
            ).json()["access_token"]
            for c in clients
        ]
        yield {
            "url": base,
            "database_url": url,
            "login": ADMIN,
            "entities": entities,
            "clients": clients,
            "tokens": tokens,
        }
