"""Where a command's time goes: `python -m bench.profile_commands` (cProfile, in-process,
projections running in a thread as in `integrations serve`). Not part of `make bench`."""

from __future__ import annotations

import cProfile
import os
import pstats
import sys

from bench.harness import Bench, services_for
from bench.seeding import admin_actor
from domain.commands import CreateApp, EditApp
from entrypoints.cli import bootstrap_group

COMMANDS = int(os.environ.get("PROFILE_COMMANDS", "300"))


def main() -> int:
    bench = Bench()
    with bench.database("integrations_bench_profile") as url:
        services = services_for(url)
        services.start_projections()
        try:
            ids = bootstrap_group(
                services, "P", [("P1", "One")], "p@bench.example", "bench admin password"
            )
            admin = admin_actor(ids, "p@bench.example")
            entities = list(ids["entities"].values())
            profiler = cProfile.Profile()
            profiler.enable()
            for n in range(COMMANDS // 2):
                created = services.commands.apps.create_app(
                    admin,
                    CreateApp(
                        type="new_integration",
                        name=f"Profiled {n}",
                        description="d",
                        category="crm",
                        api_permission="read",
                        developer_email="dev@bench.example",
                        entity_ids=entities,
                    ),
                )
                services.commands.apps.edit_app(
                    admin, created.app.id, EditApp(description=f"edit {n}")
                )
            profiler.disable()
        finally:
            services.close()
    stats = pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative")
    stats.print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
