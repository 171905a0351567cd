"""Where the machine's CPU goes while an HTTP figure runs, and while its baseline does:
`python -m bench.cpu_share token|soap|commands` (not part of `make bench`).

For each load it prints the CPU time of the API server processes, the worker, PostgreSQL,
the load's client processes and the rest, over the load's window: their share of the whole
machine and their milliseconds of CPU per request. Read it before optimising a figure: if
all the processes together use much less of the machine than it has, the figure is held
back by waiting (a lock, a commit, the wait for the views), and making any one part cheaper
will not raise it.
"""

from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench import command_throughput, soap_call_rate, token_rate
from bench.harness import Bench, Measure
from bench.http_world import http_world

TICKS = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1
MARGIN = 0.5  # seconds
# What a process is, by a word of its command line; the first that matches.
KINDS = (
    ("granian", "API server"),
    ("gunicorn", "API server"),
    ("integrations worker", "worker"),
    ("postgres", "PostgreSQL"),
    ("multiprocessing", "load clients"),
    ("redis", "Redis"),
)
FIGURES = {
    "token": lambda bench, world: token_rate.measures(world),
    "soap": lambda bench, world: soap_call_rate.measures(world),
    "commands": command_throughput.measures,
}


def kind_of(command_line: str) -> str:
    return next((kind for word, kind in KINDS if word in command_line), "other")


def cpu_seconds() -> dict[int, tuple[str, float]]:
    """Every process's kind and CPU time so far (user + system)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The fields after the command name, which may hold spaces and parentheses.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command_line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue  # gone meanwhile
        used = (int(fields[11]) + int(fields[12])) / TICKS
        found[int(entry.name)] = (kind_of(command_line), used)
    return found


@dataclass
class Window:
    """CPU seconds by kind of process between a load's start and stop."""

    seconds: float = 0.0
    by_kind: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))

    def watch(self, start: float, stop: float) -> None:
        # A little inside the load's window: the clients exit the moment it ends.
        start, stop = start + MARGIN, stop - MARGIN
        time.sleep(max(0.0, start - time.time()))
        before = cpu_seconds()
        time.sleep(max(0.0, stop - time.time()))
        after = cpu_seconds()
        self.seconds = stop - start
        for pid, (kind, used) in after.items():
            self.by_kind[kind] += used - before.get(pid, (kind, 0.0))[1]


def report(name: str, rate: float, window: Window) -> None:
    requests = rate * window.seconds
    total = sum(window.by_kind.values())
    print(
        f"\n{name}: {rate:,.0f}/s; all processes used {total / window.seconds / CORES:.0%} "
        f"of the machine's {CORES} cores"
    )
    print(f"  {'process':14} {'cpu s':>7} {'machine':>8} {'ms/request':>11}")
    for kind, used in sorted(window.by_kind.items(), key=lambda item: -item[1]):
        if used >= 0.01:
            share = used / window.seconds / CORES
            per_request = 1000 * used / requests if requests else 0.0
            print(f"  {kind:14} {used:7.2f} {share:8.0%} {per_request:11.2f}")


def main() -> int:
    what = sys.argv[1] if len(sys.argv) > 1 else "token"
    if what not in FIGURES:
        print(f"usage: python -m bench.cpu_share {'|'.join(FIGURES)}", file=sys.stderr)
        return 2
    bench = Bench()
    with http_world(bench) as world:
        figure, baseline = FIGURES[what](bench, world)
        loads: list[tuple[str, Measure]] = [(what, figure), ("its baseline", baseline)]
        for name, measure in loads:
            window = Window()
            rate = measure(window.watch)
            if window.seconds:  # command_throughput's baseline runs no load
                report(name, rate, window)
    return 0


if __name__ == "__main__":
    sys.exit(main())
