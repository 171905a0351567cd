"""p95 of filtered, paged list queries over 100k apps (the view query the API runs)."""

from __future__ import annotations

import random
import time

from bench.harness import Figure, p95
from composition.root import Services
from projections.app_list import AppQuery
from projections.view import iso

QUERIES = 300


def run(services: Services, group_id: str) -> Figure:
    rng = random.Random(7)
    now = iso(services.clock.now()) or ""
    shapes = [
        lambda: AppQuery(group_id=group_id, now=now, page=rng.randint(1, 50)),
        lambda: AppQuery(
            group_id=group_id, now=now, status=["revoked"], sort="name", page=rng.randint(1, 20)
        ),
        lambda: AppQuery(group_id=group_id, now=now, category="crm", sort="-name"),
        lambda: AppQuery(group_id=group_id, now=now, name=f"{rng.randint(0, 9999):04d}"),
        lambda: AppQuery(
            group_id=group_id,
            now=now,
            status=["active", "pending_verification"],
            page=rng.randint(1, 100),
        ),
        lambda: AppQuery(group_id=group_id, now=now, developer_email="dev42@", sort="created_at"),
    ]
    timings = []
    for _ in range(QUERIES):
        query = rng.choice(shapes)()
        started = time.perf_counter()
        services.app_list.search(query)
        timings.append((time.perf_counter() - started) * 1000)
    return Figure(p95(timings), "ms", note=f"{QUERIES} queries of 6 shapes")
