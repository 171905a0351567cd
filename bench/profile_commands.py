"""Where a command's time goes: `python -m bench.profile_commands` (cProfile, in-process,
projections running in a thread as in `integrations serve`). Not part of `make bench`."""

from __future__ import annotations

import cProfile
import os
import sys

from bench.profiling import profiled_group, report
from domain.commands import CreateApp, EditApp

COMMANDS = int(os.environ.get("PROFILE_COMMANDS", "300"))


def main() -> int:
    with profiled_group() as (services, ids, admin):
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
            services.commands.apps.edit_app(admin, created.app.id, EditApp(description=f"edit {n}"))
        profiler.disable()
    report(profiler, 25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
