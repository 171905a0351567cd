"""Events/s the app list projection processes when rebuilding from event 1, against reading
(and decoding) the same notifications with no processing."""

from __future__ import annotations

import time

from bench.harness import Figure, bracketed
from composition.root import Services
from workers.projection_runner import ProjectionRunner

BATCH = 500


def _read_all(services: Services, upto: int) -> int:
    start, count = 0, 0
    while start < upto:
        batch = services.store.recorder.select_notifications(
            start, BATCH, stop=upto, inclusive_of_start=False
        )
        if not batch:
            break
        for notification in batch:
            services.store.mapper.to_domain_event(notification)
        count += len(batch)
        start = batch[-1].id
    return count


def rebuild(services: Services, name: str, upto: int) -> float:
    """Clears the view and has a projection runner, the worker's own, bring it from event 1
    to `upto` (the last event: nothing is recorded meanwhile), as it would a new view;
    returns events/s."""
    services.views[name].clear()
    runner = ProjectionRunner(services.store, [services.projection(name)])
    started = time.perf_counter()
    reached = runner.catch_up({name: 0})
    seconds = time.perf_counter() - started
    assert reached == upto, f"{name} reached {reached} of {upto}"
    return upto / seconds


def run(services: Services) -> Figure:
    upto = services.store.recorder.max_notification_id() or 0

    def read() -> float:
        started = time.perf_counter()
        return _read_all(services, upto) / (time.perf_counter() - started)

    return bracketed(
        lambda: rebuild(services, "app_list", upto), read, "events/s", f"{upto} events"
    )
