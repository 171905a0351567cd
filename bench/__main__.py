"""`make bench`: every figure of SPEC 10, printed as a table and written to
bench/out/results.json. PostgreSQL when DATABASE_URL names one, else SQLite.

`python -m bench token_rate soap_call_rate` measures only the HTTP figures named (same
servers, same clients), for quick comparisons while working; results.json is left alone."""

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
    webhook_delivery,
)
from bench.harness import OUT, Bench, Figure, services_for
from bench.http_world import http_world

APPS = int(os.environ.get("BENCH_APPS", "100000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "100000"))


HTTP_FIGURES = {
    "command_throughput": lambda bench, world: command_throughput.run(bench, world),
    "soap_call_rate": lambda bench, world: soap_call_rate.run(world),
    "token_rate": lambda bench, world: token_rate.run(world),
    "revocation_visibility_ms": lambda bench, world: revocation_visibility.run(world),
}


def http_figures(bench: Bench, names: list[str]) -> dict[str, Figure]:
    with http_world(bench) as world:
        return {name: HTTP_FIGURES[name](bench, world) for name in names}


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
    with bench.database("integrations_bench_webhooks") as url:
        figures["webhook_delivery_rate"] = webhook_delivery.run(url)
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
    only = sys.argv[1:]
    unknown = [name for name in only if name not in HTTP_FIGURES]
    if unknown:
        print(f"not an HTTP figure: {', '.join(unknown)} (one of {', '.join(HTTP_FIGURES)})")
        return 2
    if only:
        figures = http_figures(bench, only)
    else:
        figures = {**http_figures(bench, list(HTTP_FIGURES)), **data_figures(bench)}
    print(f"\n{'figure':<26}{'value':>12} {'unit':<11}{'baseline':>12}{'ratio':>8}  note")
    for name, f in figures.items():
        baseline = "" if f.baseline is None else f"{f.baseline:.1f}"
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}"
        print(f"{name:<26}{f.value:>12.2f} {f.unit:<11}{baseline:>12}{ratio:>8}  {f.note}")
    if not only:
        (OUT / "results.json").write_text(
            json.dumps({name: f.as_json() for name, f in figures.items()}, indent=2)
        )
        print(f"\nwritten to {OUT / 'results.json'} in {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
