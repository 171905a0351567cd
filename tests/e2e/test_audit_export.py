"""SPEC 15, audit export, on both databases: the group's every event (apps, users, permissions,
plan, the team's actions) as CSV and NDJSON, filtered, formula-safe, isolated per group, and
streamed in constant memory (10k events)."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from typing import Any
from uuid import UUID

from api.app import create_app
from domain.actor import MANAGE_APPS, Actor
from entrypoints.cli import bootstrap_group
from tests.e2e.client import PASSWORD, AdminApi
from tests.e2e.conftest import World

STAFF = Actor(type="staff", id="staff-1", name="sam@aiq.example")


def rows_csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def rows_ndjson(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in response.text.splitlines()]


def test_the_group_export_holds_every_kind_of_event_and_only_the_groups(world: World) -> None:
    app = world.create()
    other = world.create(client=world.other_admin, entity_ids=[world.group_b["entities"]["B1"]])
    admin_id = UUID(world.group_a["admin_id"])
    admin = Actor(
        type="admin",
        id=str(admin_id),
        name="admin@a.example",
        group_id=UUID(world.group_a["group_id"]),
        role="practice_admin",
    )
    user = world.services.commands.directory.create_user(
        admin,
        admin.group_id,
        "new@a.example",
        "New Person",
        "user",
        PASSWORD,  # type: ignore[arg-type]
    ).user
    world.services.commands.directory.update_user(admin, user.id, permissions=[MANAGE_APPS])
    world.services.commands.directory.change_plan(STAFF, admin.group_id, "aiq2")  # type: ignore[arg-type]
    world.services.commands.directory.change_plan(STAFF, admin.group_id, "aiq3")  # type: ignore[arg-type]
    world.services.wait_for_views(world.services.store.head())

    lines = rows_csv(world.auditor.get("/audit-log"))  # auditors may export
    assert list(lines[0]) == ["timestamp", "app_id", "event", "actor_type", "actor", "details"]
    events = [(r["event"], r["app_id"]) for r in lines]
    assert ("group_registered", "") in events and ("user_created", "") in events
    assert ("permission_granted", "") in events
    assert ("plan_changed", "") in events and ("app_suspended", app["id"]) in events
    assert ("app_created", app["id"]) in events
    assert all(r["app_id"] != other["id"] for r in lines)  # another group's app
    assert not any("Group B" in r["details"] for r in lines)
    staff_lines = [r for r in lines if r["actor_type"] == "staff"]
    assert {r["event"] for r in staff_lines} >= {"plan_changed", "app_suspended", "app_restored"}
    timestamps = [r["timestamp"] for r in lines]
    assert timestamps == sorted(timestamps)  # event order

    as_json = rows_ndjson(world.auditor.get("/audit-log", params={"format": "ndjson"}))
    assert [(r["event"], r["app_id"]) for r in as_json] == events
    only_app = rows_ndjson(
        world.admin.get("/audit-log", params={"format": "ndjson", "app_id": app["id"]})
    )
    assert only_app and {r["app_id"] for r in only_app} == {app["id"]}
    later = rows_csv(world.admin.get("/audit-log", params={"from": lines[-1]["timestamp"]}))
    assert later and all(r["timestamp"] >= lines[-1]["timestamp"] for r in later)
    assert rows_csv(world.admin.get("/audit-log", params={"to": "2000-01-01"})) == []
    per_app = rows_ndjson(
        world.admin.get(f"/integration-applications/{app['id']}/activity-log.ndjson")
    )
    assert [r["event"] for r in per_app][:1] == ["app_created"]
    # Refused: users without the permission; bad parameters name themselves.
    assert world.plain_user.get("/audit-log").status_code == 403
    for params, field in (({"format": "xml"}, "format"), ({"app_id": "x"}, "app_id")):
        refused = world.admin.get("/audit-log", params=params)
        assert refused.status_code == 422 and field in refused.json()["errors"]
    assert world.admin.get("/audit-log", params={"from": "yesterday"}).status_code == 422


def test_cells_that_would_be_formulas_are_neutralised(world: World) -> None:
    ids = bootstrap_group(world.services, "=HYPERLINK(1)", [("Q1", "Q")], "q@q.example", PASSWORD)
    world.services.wait_for_views(world.services.store.head())
    admin = AdminApi(world.server.url).login("q@q.example")
    lines = rows_csv(admin.get("/audit-log"))
    registered = next(r for r in lines if r["event"] == "group_registered")
    assert registered["details"] == "'=HYPERLINK(1)"
    raw = rows_ndjson(admin.get("/audit-log", params={"format": "ndjson"}))
    assert next(r for r in raw if r["event"] == "group_registered")["details"] == "=HYPERLINK(1)"
    assert ids["group_id"]


def _peak_while_streaming(world: World, token: str, url: str) -> tuple[int, int]:
    """(lines, peak bytes allocated) while the export streams through the WSGI app."""
    client = create_app(world.services).test_client()
    tracemalloc.start()
    try:
        response = client.get(url, headers={"Authorization": f"Bearer {token}"}, buffered=False)
        assert response.status_code == 200
        count = sum(chunk.count(b"\n") for chunk in response.response)
        response.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, peak


def _add_lines(world: World, app_id: str, n: int, start: int) -> None:
    """Activity lines as the projection writes them (the view's own table), many at once."""
    view = world.services.activity_log
    with view.db.transaction() as c:
        c.executemany(
            "INSERT INTO activity_log (app_id, position, occurred_at, event, actor_type, actor, "
            "details) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    app_id,
                    10_000_000 + i,
                    f"2030-01-01T00:00:{i % 60:02d}.000000+00:00",
                    "token_issued",
                    "client",
                    "c",
                    f"access token {i} " + "x" * 80,
                )
                for i in range(start, start + n)
            ],
        )


def test_tens_of_thousands_of_events_stream_in_constant_memory(world: World) -> None:
    app = world.create()
    token = world.admin.token
    assert token is not None
    # Past the first few chunks (PostgreSQL's driver prepares a statement run five times,
    # a one-off allocation), then more than twice the lines: the peak must not follow them.
    _add_lines(world, app["id"], 10_000, 0)
    small = _peak_while_streaming(world, token, "/api/v1/audit-log?format=ndjson")
    small_csv = _peak_while_streaming(world, token, "/api/v1/audit-log")
    _add_lines(world, app["id"], 12_000, 10_000)
    large = _peak_while_streaming(world, token, "/api/v1/audit-log?format=ndjson")
    large_csv = _peak_while_streaming(world, token, "/api/v1/audit-log")
    assert small[0] >= 10_000 and large[0] >= 22_000 and large_csv[0] >= 22_000
    # Rows are read 1000 at a time and sent in chunks of ~256 KiB: 12,000 more lines (~1.7 MB
    # more export; their rows as Python dicts would be ~15 MB) leave the peak within what one
    # chunk more or less in flight makes (where a flush falls against a read varies).
    megabyte = 1024 * 1024
    assert large[1] < small[1] + megabyte and large[1] < 8 * megabyte, (small, large)
    assert large_csv[1] < small_csv[1] + megabyte and large_csv[1] < 8 * megabyte, (
        small_csv,
        large_csv,
    )
    parsed = [
        json.loads(line)
        for line in world.admin.get(
            "/audit-log", params={"format": "ndjson", "app_id": app["id"]}
        ).text.splitlines()
    ]
    assert sum(1 for r in parsed if r["event"] == "token_issued") == 22_000
