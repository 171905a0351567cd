"""What the profilers share (`bench.profile_commands`, `bench.profile_requests`): a scratch
database with the projections running in-process, a group with its admin, and the report."""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from bench.harness import Bench, services_for
from bench.seeding import admin_actor
from composition.root import Services
from domain.actor import Actor
from entrypoints.cli import GroupIds, bootstrap_group

ADMIN_EMAIL = "p@bench.example"
ADMIN_PASSWORD = "bench admin password"


@contextmanager
def profiled_group() -> Iterator[tuple[Services, GroupIds, Actor]]:
    """The services, the ids of a group with one entity (P1) and that group's admin."""
    with Bench().database("integrations_bench_profile") as url:
        services = services_for(url)
        services.start_projections()
        try:
            ids = bootstrap_group(services, "P", [("P1", "One")], ADMIN_EMAIL, ADMIN_PASSWORD)
            yield services, ids, admin_actor(ids, ADMIN_EMAIL)
        finally:
            services.close()


def report(profiler: cProfile.Profile, lines: int) -> None:
    """The top `lines` by PROFILE_SORT (cumulative, or tottime); the whole profile to
    PROFILE_OUT when set (for pstats or snakeviz)."""
    if os.environ.get("PROFILE_OUT"):
        profiler.dump_stats(os.environ["PROFILE_OUT"])
    order = os.environ.get("PROFILE_SORT", "cumulative")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats(order).print_stats(lines)
