"""Seconds and peak MiB to stream the activity CSV of an app with 100k events."""

from __future__ import annotations

import time
import tracemalloc

from api.audit.csv_stream import csv_lines
from bench.harness import Figure
from composition.root import Services


def run(services: Services, app_id: str) -> tuple[Figure, Figure]:
    tracemalloc.start()
    started = time.perf_counter()
    size = rows = 0
    for chunk in csv_lines(services.activity_log.rows(app_id)):
        size += len(chunk)
        rows += chunk.count("\n")
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    note = f"{rows - 1} rows, {size / 2**20:.1f} MiB of CSV"
    return (Figure(seconds, "s", note=note), Figure(peak / 2**20, "MiB", note=note))
