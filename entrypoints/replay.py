"""`integrations replay`: rebuild a read model from event 1 into fresh tables and compare.

The rebuild goes into a scratch SQLite file with the very same projection code, up to the
position the live view had reached when the replay started; then both are compared table by
table and every differing row is reported.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import SQLiteDatastore
from tqdm import tqdm

from composition.root import PROJECTIONS, Services
from projections.sql import SqlDatabase
from projections.view import View

BATCH = 1000


@dataclass
class Difference:
    table: str
    side: str  # "only in live" or "only in rebuild"
    row: tuple[Any, ...]


def _notifications(services: Services, upto: int) -> Iterator[Any]:
    recorder, start = services.store.recorder, 0
    while start < upto:
        batch = recorder.select_notifications(
            start=start, limit=BATCH, stop=upto, inclusive_of_start=False
        )
        if not batch:
            return
        yield from batch
        start = batch[-1].id


def _rows(view: View, table: str) -> set[tuple[str, ...]]:
    skipped = view.not_from_events.get(table, ())
    rows = view.db.query(f"SELECT * FROM {table}")
    return {
        tuple("" if v is None else str(v) for k, v in row.items() if k not in skipped)
        for row in rows
    }


def replay(services: Services, name: str, show_progress: bool = True) -> list[Difference]:
    projection_class, view_class = PROJECTIONS[name]
    live = services.views[name]
    upto = live.max_tracking_id(services.store.name) or 0
    with tempfile.TemporaryDirectory() as scratch:
        datastore = SQLiteDatastore(str(Path(scratch) / "rebuild.sqlite3"))
        fresh = view_class(SqlDatabase(datastore, "sqlite"))
        fresh.create_tables()
        projection = projection_class(view=fresh)
        mapper = services.store.mapper
        for notification in tqdm(
            _notifications(services, upto),
            total=upto,
            unit="event",
            desc=f"rebuilding {name}",
            disable=not show_progress,
        ):
            projection.process_event(
                mapper.to_domain_event(notification), Tracking(services.store.name, notification.id)
            )
        differences = []
        for table in view_class.tables:
            live_rows, rebuilt = _rows(live, table), _rows(fresh, table)
            differences += [Difference(table, "only in live", r) for r in live_rows - rebuilt]
            differences += [Difference(table, "only in rebuild", r) for r in rebuilt - live_rows]
        datastore.close()
    return differences
