"""Writes legacy_edited_store.json: a store as the code before the changed-field events
wrote it (commit 4f1c0e7: edits recorded as `IntegrationApp.Edited(changes, actor)`), and
the read models that code built from it.

The committed JSON was produced by running this module against commit 4f1c0e7's domain and
projections, so its `views` are the old code's own output. Edits go through
`trigger_event(IntegrationApp.Edited, ...)`, which is exactly what the old `edit()` recorded,
so the script still writes legacy events after the change; but only a run on the old code
also gives the old views. Run: `.venv/bin/python -m tests.integration.legacy_edited_store`.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any
from uuid import UUID

from composition.root import Services, build_services
from config.settings import Settings
from domain.apps import IntegrationApp
from domain.commands import CreateApp
from tests.support import FAST_ARGON2, FakeClock, new_integration, seeded_group

FIXTURE = Path(__file__).with_name("legacy_edited_store.json")
# The read models that handle edits; the others never looked at Edited.
VIEWS = ("app_list", "activity_log", "access")


def legacy_edit(services: Services, app_id: UUID, changes: dict[str, Any], actor: Any) -> None:
    app = services.store.get(app_id, IntegrationApp)
    app.trigger_event(IntegrationApp.Edited, changes=changes, actor=actor.as_event_data())
    services.store.record(app)


def view_rows(services: Services) -> dict[str, list[dict[str, Any]]]:
    """The VIEWS' tables, minus columns that do not come from events, in a stable order."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for view in (services.views[name] for name in VIEWS):
        for table in view.tables:
            skipped = view.not_from_events.get(table, ())
            found = [
                {k: v for k, v in row.items() if k not in skipped}
                for row in view.db.query(f"SELECT * FROM {table}")
            ]
            rows[table] = sorted(found, key=lambda r: json.dumps(r, sort_keys=True, default=str))
    return rows


def write_store(services: Services) -> None:
    ids, admin = seeded_group(services, (("E1", "One"), ("E2", "Two"), ("E3", "Three")))
    e1, e2, e3 = (ids["entities"][code] for code in ("E1", "E2", "E3"))
    apps = services.commands.apps
    first = apps.create_app(admin, CreateApp(**new_integration("Legacy Sync", [e1]))).app.id
    # The old edit() recorded one Edited per edit, with only the fields that differed.
    legacy_edit(services, first, {"description": "two fields", "entity_ids": [e1, e2]}, admin)
    legacy_edit(services, first, {"category": "accounting"}, admin)
    legacy_edit(
        services,
        first,
        {"description": "all three", "category": "crm", "entity_ids": [e3, e1]},
        admin,
    )
    second = apps.create_app(admin, CreateApp(**new_integration("Legacy Other", [e2]))).app.id
    legacy_edit(services, second, {"entity_ids": [e2, e3]}, admin)
    apps.revoke_app(admin, second, True)


def dump(services: Services) -> dict[str, Any]:
    recorder: Any = services.store.recorder
    events = [
        {
            "id": n.id,
            "originator_id": str(n.originator_id),
            "originator_version": n.originator_version,
            "topic": n.topic,
            "state": n.state.decode("utf-8"),
        }
        for n in recorder.select_notifications(start=None, limit=10_000)
    ]
    return {"events": events, "views": view_rows(services)}


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            "DATABASE_URL": f"sqlite:///{scratch}/events.sqlite3",
            "SECRET_KEY": "legacy-fixture-secret-key",
            "MAIL_DIR": f"{scratch}/mail",
            "BASE_URL": "http://testserver",
            **FAST_ARGON2,
        }
        services = build_services(Settings.from_env(env), clock=FakeClock())
        services.start_projections()
        try:
            write_store(services)
            services.wait_until_current()
            FIXTURE.write_text(json.dumps(dump(services), indent=1, default=str) + "\n")
        finally:
            services.close()


if __name__ == "__main__":
    main()
