"""Events/s the app list projection processes when rebuilding from event 1, against reading
(and decoding) the same notifications with no processing."""

from __future__ import annotations

import time

from eventsourcing.persistence import Tracking

from bench.harness import Figure
from composition.root import Services

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
    """Clears the view and replays events 1..upto into it, in batches; returns events/s."""
    view = services.views[name]
    view.clear()
    projection = services.projection(name)
    started, start = time.perf_counter(), 0
    while start < upto:
        batch = services.store.recorder.select_notifications(
            start, BATCH, stop=upto, inclusive_of_start=False
        )
        if not batch:
            break
        with view.batch(services.store.name, batch[0].id, batch[-1].id):
            for notification in batch:
                projection.process_event(
                    services.store.mapper.to_domain_event(notification),
                    Tracking(services.store.name, notification.id),
                )
        start = batch[-1].id
    return upto / (time.perf_counter() - started)


def run(services: Services) -> Figure:
    upto = services.store.recorder.max_notification_id() or 0
    started = time.perf_counter()
    read = _read_all(services, upto) / (time.perf_counter() - started)
    return Figure(rebuild(services, "app_list", upto), "events/s", read, note=f"{upto} events")
