"""`make bench`: every figure of SPEC 10, printed as a table and written to
bench/out/results.json. PostgreSQL when DATABASE_URL names one, else SQLite."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import sys
import time

import psycopg

from bench import (
    activity_csv,
    command_throughput,
    dataset,
    list_query,
    projection_catchup,
    revocation_visibility,
    soap_call_rate,
    token_rate,
)
from bench.harness import OUT, Bench, Figure, services_for
from bench.http_world import http_world

APPS = int(os.environ.get("BENCH_APPS", "100000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "100000"))


def http_figures(bench: Bench) -> dict[str, Figure]:
    with http_world(bench) as world:
        return {
            "command_throughput": command_throughput.run(bench, world),
            "soap_call_rate": soap_call_rate.run(world),
            "token_rate": token_rate.run(world),
            "revocation_visibility_ms": revocation_visibility.run(world),
        }


def data_figures(bench: Bench) -> dict[str, Figure]:
    figures: dict[str, Figure] = {}
    with bench.database("integrations_bench_data") as url:
        services = services_for(url)
        try:
            group_id, seconds = dataset.many_apps(services, APPS)
            print(f"  generated {APPS} apps via the event store in {seconds:.0f}s", flush=True)
            figures["projection_catchup"] = projection_catchup.run(services)
            analyze(url)  # what autovacuum does for a live table
            figures["list_query_p95_ms"] = list_query.run(services, group_id)
        finally:
            services.close()
    with bench.database("integrations_bench_csv") as url:
        services = services_for(url)
        try:
            app_id, seconds = dataset.long_history(services, EVENTS)
            print(f"  generated an app with {EVENTS} events in {seconds:.0f}s", flush=True)
            upto = services.store.recorder.max_notification_id() or 0
            projection_catchup.rebuild(services, "activity_log", upto)
            figures["activity_csv"], figures["activity_csv_peak_mib"] = activity_csv.run(
                services, app_id
            )
        finally:
            services.close()
    return figures


def analyze(url: str) -> None:
    if url.startswith("postgres"):
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    else:
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.execute("ANALYZE")


def _stop_on(signum: int, _frame: object) -> None:
    # Python's default for SIGTERM ends the process without running `finally` blocks, and
    # those are what stop the servers and drop the scratch databases.
    raise SystemExit(128 + signum)


def main() -> int:
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, _stop_on)
    OUT.mkdir(parents=True, exist_ok=True)
    bench = Bench()
    print(f"benchmarks on {'PostgreSQL' if bench.postgres else 'SQLite'}", flush=True)
    started = time.perf_counter()
    figures = {**http_figures(bench), **data_figures(bench)}
    print(f"\n{'figure':<26}{'value':>12} {'unit':<11}{'baseline':>12}{'ratio':>8}  note")
    for name, f in figures.items():
        baseline = "" if f.baseline is None else f"{f.baseline:.1f}"
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}"
        print(f"{name:<26}{f.value:>12.2f} {f.unit:<11}{baseline:>12}{ratio:>8}  {f.note}")
    (OUT / "results.json").write_text(
        json.dumps({name: f.as_json() for name, f in figures.items()}, indent=2)
    )
    print(f"\nwritten to {OUT / 'results.json'} in {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
