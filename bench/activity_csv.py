"""Seconds and peak MiB to stream the activity CSV of an app with 100k events.

Two passes: the time is taken without tracemalloc (tracing every allocation doubled it),
the peak memory in a second pass with it."""

from __future__ import annotations

import time
import tracemalloc

from api.audit.csv_stream import csv_lines
from bench.harness import Figure
from composition.root import Services


def _stream(services: Services, app_id: str) -> tuple[int, int]:
    size = rows = 0
    for chunk in csv_lines(services.activity_log.rows(app_id)):
        size += len(chunk)
        rows += chunk.count("\n")
    return size, rows


def run(services: Services, app_id: str) -> tuple[Figure, Figure]:
    started = time.perf_counter()
    size, rows = _stream(services, app_id)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    _stream(services, app_id)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    note = f"{rows - 1} rows, {size / 2**20:.1f} MiB of CSV"
    return (Figure(seconds, "s", note=note), Figure(peak / 2**20, "MiB", note=note))
