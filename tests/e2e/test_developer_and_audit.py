"""Manage Developer Portal Access, the activity log CSV and the auditors' history (HTTP)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from tests.e2e.conftest import World
from tests.support import FakeClock


def test_developer_view_and_actions(world: World, clock: FakeClock) -> None:
    app = world.create()
    view = world.admin.developer(app["id"]).json()
    assert view["email"] == "dev@example.com" and view["signed_up"] is False
    assert view["otp_verified"] is False
    linked = datetime.fromisoformat(view["linked_at"])
    assert datetime.fromisoformat(view["invite_expires_at"]) - linked == timedelta(days=3)
    assert world.admin.register_developer(app["id"], "x@example.com").status_code == 409

    clock.advance(hours=2)
    resent = world.admin.resend_invite(app["id"])
    assert resent.status_code == 200
    assert resent.json()["invite_expires_at"] > view["invite_expires_at"]

    reset = world.admin.reset_otp(app["id"])
    assert reset.status_code == 200 and reset.json()["otp"] != app["otp"]
    assert len(reset.json()["otp"]) == 8

    assert world.admin.revoke_developer(app["id"]).status_code == 204
    assert world.admin.developer(app["id"]).status_code == 404
    detail = world.admin.app(app["id"]).json()
    assert detail["developer"] is None and detail["status"] == "no_developer"
    for action in (world.admin.resend_invite, world.admin.reset_otp, world.admin.revoke_developer):
        assert action(app["id"]).status_code == 409
    registered = world.admin.register_developer(app["id"], "new.dev@example.com")
    assert registered.status_code == 200 and len(registered.json()["otp"]) == 8
    assert registered.json()["status"] == "pending_verification"
    assert registered.json()["developer"]["email"] == "new.dev@example.com"
    bad = world.admin.register_developer(app["id"], "not an email")
    assert bad.status_code in (409, 422)


def test_managed_app_gets_its_developer_later(world: World) -> None:
    created = world.admin.create_app(
        type="aiq_integrate",
        preset="soldo",
        name="Soldo feed",
        description="d",
        entity_ids=world.entities[:1],
        acknowledge_charges=True,
        acknowledge_data_access=True,
    )
    app_id = created.json()["id"]
    assert world.admin.developer(app_id).status_code == 404
    assert world.admin.register_developer(app_id, "ops@partner.example").json()["status"] == (
        "pending_verification"
    )


def test_actions_on_a_revoked_app_conflict(world: World) -> None:
    app = world.create()
    world.admin.revoke_app(app["id"])
    for response in (
        world.admin.resend_invite(app["id"]),
        world.admin.reset_otp(app["id"]),
        world.admin.revoke_developer(app["id"]),
        world.admin.edit_app(app["id"], description="x"),
    ):
        assert response.status_code == 409


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_activity_log_csv(world: World) -> None:
    app = world.create()
    otps = [app["otp"]]
    world.admin.edit_app(app["id"], description='=HYPERLINK("http://evil")')
    world.admin.edit_app(app["id"], description="@SUM(A1)")
    otps.append(world.admin.reset_otp(app["id"]).json()["otp"])
    world.admin.revoke_app(app["id"])
    response = world.auditor.activity_csv(app["id"])
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.text.splitlines()[0] == "timestamp,event,actor_type,actor,details"
    rows = rows_of(response.text)
    assert [r["event"] for r in rows] == [
        "app_created",
        "developer_linked",
        "app_edited",
        "app_edited",
        "otp_reset",
        "app_revoked",
    ]
    assert {(r["actor_type"], r["actor"]) for r in rows} == {("admin", "admin@a.example")}
    assert rows[2]["details"] == 'description==HYPERLINK("http://evil")'
    assert all(not r[k].startswith(("=", "+", "-", "@")) for r in rows for k in r)
    timestamps = [r["timestamp"] for r in rows]
    assert timestamps == sorted(timestamps)
    for otp in otps:
        assert otp not in response.text


def test_formula_cells_are_neutralised(world: World) -> None:
    # An e-mail address may start with "=": as the actor cell it must not become a formula.
    created = world.admin.post(
        "/users",
        json={
            "email": "=HYPERLINK(0)@a.example",
            "full_name": "Eve",
            "role": "user",
            "password": "long enough password",
            "permissions": ["manage_integration_applications"],
        },
    )
    assert created.status_code == 201, created.text
    eve = world.new_client().login("=HYPERLINK(0)@a.example", "long enough password")
    app = world.create(client=eve)
    rows = rows_of(world.admin.activity_csv(app["id"]).text)
    assert rows[0]["actor"] == "'=hyperlink(0)@a.example"  # addresses are stored lower-case
    assert rows[0]["details"].startswith("type=")  # ordinary cells are left alone


def test_a_long_log_streams_in_order(world: World) -> None:
    app = world.create()
    for n in range(150):
        assert world.admin.edit_app(app["id"], description=f"revision {n}").status_code == 200
    rows = rows_of(world.admin.activity_csv(app["id"]).text)
    assert len(rows) == 152
    assert rows[-1]["details"] == "description=revision 149"


def test_history_as_of(world: World) -> None:
    app = world.create(description="first")
    world.admin.edit_app(app["id"], description="second")
    middle = world.admin.history(app["id"]).json()["events"][-1]["timestamp"]
    world.admin.edit_app(app["id"], description="third")
    full = world.auditor.history(app["id"])
    assert full.status_code == 200
    events = full.json()["events"]
    assert [e["event"] for e in events] == [
        "IntegrationApp.Created",
        "IntegrationApp.DeveloperLinked",
        "IntegrationApp.DescriptionChanged",
        "IntegrationApp.DescriptionChanged",
    ]
    assert events[0]["actor"]["name"] == "admin@a.example"
    assert full.json()["state"]["description"] == "third"
    for event in events:
        assert not {"otp_digest", "invite_id", "password_hash"} & set(event["data"])
    assert app["otp"] not in full.text
    then = world.auditor.history(app["id"], as_of=middle).json()
    assert then["state"]["description"] == "second" and len(then["events"]) == 3
    before = world.auditor.history(app["id"], as_of="2000-01-01").json()
    assert before["state"] is None and before["events"] == []
    assert world.auditor.history(app["id"], as_of="not a date").status_code == 422
