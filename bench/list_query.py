"""p95 of filtered, paged list queries over 100k apps (the view query the API runs), for
every filter shape and every sort of the list endpoint, each timed as often as the others."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from datetime import datetime

from bench.harness import Figure, p95
from composition.root import Services
from domain.status import Status
from projections.app_list import SORTABLE, AppQuery
from projections.view import iso

PER_SHAPE = 40


def shapes(services: Services, group_id: str) -> dict[str, Callable[[random.Random], AppQuery]]:
    """Each filter and sort the list endpoint takes, by a name for the report; a shape makes
    its query from `rng` (the page, the text searched, the dates)."""
    now = iso(services.clock.now()) or ""
    first, last = _created_range(services, group_id, now)

    def query(**fields: object) -> Callable[[random.Random], AppQuery]:
        return lambda rng: AppQuery(
            group_id=group_id,
            now=now,
            page=rng.randint(1, 50),
            **fields,  # type: ignore[arg-type]
        )

    def dates(rng: random.Random) -> AppQuery:
        start = first + (last - first) * rng.random()
        end = start + (last - start) * rng.random()
        return AppQuery(group_id=group_id, now=now, created_from=iso(start), created_to=iso(end))

    every: dict[str, Callable[[random.Random], AppQuery]] = {"no filter": query()}
    every |= {f"status={s}": query(status=[s.value]) for s in Status}
    every |= {
        "status=active,pending_verification": query(status=["active", "pending_verification"]),
        "status=otp_expired,otp_locked,no_developer": query(
            status=["otp_expired", "otp_locked", "no_developer"]
        ),
        "status=revoked, sort=name": query(status=["revoked"], sort="name"),
        "type": query(type="aiq_integrate"),
        "category": query(category="crm", sort="-name"),
        "created_from/to": dates,
    }
    for n, entity_id in enumerate(_entities(services, group_id, now), 1):
        every[f"entity {n}"] = query(entity_id=entity_id)
    every["name"] = lambda rng: AppQuery(
        group_id=group_id, now=now, name=f"{rng.randint(0, 9999):04d}"
    )
    every["developer_email"] = lambda rng: AppQuery(
        group_id=group_id, now=now, developer_email=f"dev{rng.randint(0, 499)}@", sort="created_at"
    )
    for column in SORTABLE:
        for sort in (column, f"-{column}"):
            every[f"sort={sort}"] = query(sort=sort)
    return every


def run(services: Services, group_id: str) -> Figure:
    rng = random.Random(7)
    every = shapes(services, group_id)
    order = [name for name in every for _ in range(PER_SHAPE)]
    rng.shuffle(order)
    timings: dict[str, list[float]] = {name: [] for name in every}
    for name in order:
        query = every[name](rng)
        started = time.perf_counter()
        services.app_list.search(query)
        timings[name].append((time.perf_counter() - started) * 1000)
    per_shape = {name: p95(ms) for name, ms in timings.items()}
    for name, ms in sorted(per_shape.items(), key=lambda item: -item[1]):
        print(f"    {name:<46}{ms:>8.1f} ms", flush=True)
    slowest = max(per_shape, key=per_shape.__getitem__)
    return Figure(
        p95([ms for shape in timings.values() for ms in shape]),
        "ms",
        note=f"{len(order)} queries of {len(every)} shapes; slowest: {slowest} "
        f"{per_shape[slowest]:.1f} ms",
    )


def _created_range(services: Services, group_id: str, now: str) -> tuple[datetime, datetime]:
    """When the first and the last app were created: the dates filtered on lie between."""
    ends = []
    for sort in ("created_at", "-created_at"):
        rows, _ = services.app_list.search(
            AppQuery(group_id=group_id, now=now, sort=sort, page_size=1)
        )
        ends.append(datetime.fromisoformat(rows[0]["created_at"]))
    return ends[0], ends[1]


def _entities(services: Services, group_id: str, now: str) -> list[str]:
    """The entities the newest apps work with (the dataset's: one every app works with, one
    half of them do)."""
    rows, _ = services.app_list.search(AppQuery(group_id=group_id, now=now))
    return sorted({entity for row in rows for entity in json.loads(row["entity_ids"])})
