"""SPEC 11 over real HTTP and SOAP, on both databases: a group that leaves AIQ3 is told whom
to ask, its apps stop at once and come back as they were when it returns."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.actor import Actor
from tests.e2e.test_portal_edges import Live
from tests.soap.support import SoapClient

STAFF = Actor(type="staff", id="staff-1", name="sam@aiq.example")


def move(live: Live, plan: str) -> None:
    """What the team's plan change does: record it, and answer once the views have it."""
    group_id = UUID(live.ids["group_id"])
    _, position = live.services.commands.directory.change_plan(STAFF, group_id, plan)
    live.services.wait_for_views(position)


def _shown_status(live: Live, app_id: str) -> str:
    detail = live.admin.app(app_id)
    assert detail.status_code == 200, detail.text
    return str(detail.json()["status"])


def test_leaving_aiq3_suspends_every_app_and_returning_restores_it(live: Live) -> None:
    active = live.create()
    dev = live.sign_up()
    client = live.verify(dev, active["id"], active["otp"])
    pending = live.create()
    token = live.access_token(client)
    soap = SoapClient(live.base, token)
    assert soap.call("GetEntitiesByToken").Status == "Success"
    assert live.admin.get("/group").json()["plan"] == "aiq3"

    move(live, "aiq2")
    group = live.admin.get("/group").json()
    assert (group["plan"], group["integrations_available"]) == ("aiq2", False)
    # Every apps call is refused, naming the plan and whom to ask.
    for response in (
        live.admin.list_apps(),
        live.admin.app(active["id"]),
        live.admin.create_app(name="New", type="new_integration"),
        live.admin.activity_csv(active["id"]),
        live.admin.developer(active["id"]),
    ):
        assert response.status_code == 403, response.text
        refusal = response.json()
        assert (refusal["code"], refusal["status"]) == ("plan_required", 403)
        assert "AIQ3" in refusal["message"]
        assert live.services.settings.sales_email in refusal["message"]
    # The apps stop at once: no token, no call; nothing is revoked.
    assert soap.call("GetEntitiesByToken").ErrorCode == "APPLICATION_SUSPENDED"
    assert client.token_basic().json()["error"] == "invalid_client"
    portal = dev.app(active["id"]).json()
    assert portal["status"] == "suspended"

    move(live, "aiq3")
    assert _shown_status(live, active["id"]) == "active"
    assert _shown_status(live, pending["id"]) == "pending_verification"
    assert soap.call("GetEntitiesByToken").Status == "Success"  # the same token works again
    assert live.access_token(client)
    lines = [line for line in _events(live, active["id"]) if line[0] != "token_issued"]
    assert lines[-2:] == [("app_suspended", "staff"), ("app_restored", "staff")]
    assert ("app_suspended", "staff") in _events(live, pending["id"])


def _events(live: Live, app_id: str) -> list[tuple[str, Any]]:
    live.services.wait_for_views(live.services.store.head())
    rows = live.services.activity_log.rows(app_id)
    return [(r["event"], r["actor_type"]) for r in rows if r["event"] != "call_denied"]
