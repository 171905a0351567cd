"""SPEC 11, the vendor's team, over real HTTP, SMTP and SOAP on both databases: its own
accounts and sessions (refused by the groups' and the portal's APIs, and the reverse), the
groups' plans, and the queue of managed apps it sets up with its developers."""

from __future__ import annotations

from typing import Any

import requests

from tests.e2e.client import AdminApi, TeamApi
from tests.e2e.test_portal_edges import DEV, Live, assert_error
from tests.soap.support import SoapClient

STAFF_EMAIL = "sam@aiq.example"
STAFF_PASSWORD = "staff password 1234"
TEAM_DEV = "builder@aiq.example"


def staff(live: Live) -> TeamApi:
    created = live.services.commands.team.create_staff(STAFF_EMAIL, "Sam Staff", STAFF_PASSWORD)
    live.services.wait_for_views(created.position, "team")
    return TeamApi(live.base).login(STAFF_EMAIL, STAFF_PASSWORD)


def integrate_request(live: Live) -> dict[str, Any]:
    created = live.admin.create_app(
        type="aiq_integrate",
        preset="custom",
        name="Month-end Flow",
        description="Close the books",
        category="other",
        entity_ids=[live.entity("A1")],
        acknowledge_charges=True,
        acknowledge_data_access=True,
    )
    assert created.status_code == 201, created.text
    return dict(created.json())


def test_staff_sessions_are_their_own_and_no_one_elses(live: Live) -> None:
    team = staff(live)
    assert team.token is not None
    live.seen.append(team.token)
    dev_app = live.create()
    dev = live.sign_up()
    assert dev.token is not None and live.admin.token is not None
    # A staff token is unknown to the groups' API and the portal ...
    as_staff = {"Authorization": f"Bearer {team.token}"}
    assert live.admin.get("/integration-applications", headers=as_staff).status_code == 401
    assert (
        requests.get(f"{live.base}/portal/v1/apps", headers=as_staff, timeout=30).status_code == 401
    )
    # ... and theirs to the team's.
    for token in (live.admin.token, dev.token):
        answer = team.get("/groups", headers={"Authorization": f"Bearer {token}"})
        assert_error(answer, 401)
    assert team.get("/groups").status_code == 200
    # Wrong passwords are refused alike and throttled (RATELIMIT on in this server).
    wrong = [
        requests.post(
            f"{live.base}/team/v1/session",
            json={"email": STAFF_EMAIL, "password": f"wrong {n}"},
            timeout=30,
        )
        for n in range(11)
    ]
    codes = [r.status_code for r in wrong]  # (the login above counted: 10 a minute in all)
    assert codes == [401] * 9 + [429] * 2
    assert int(wrong[-1].headers["Retry-After"]) > 0
    # An admin of a group cannot log in here with their own password.
    admin_try = requests.post(
        f"{live.base}/team/v1/session",
        json={"email": "admin@a.example", "password": "correct horse battery"},
        timeout=30,
    )
    assert admin_try.status_code in (401, 429)
    assert team.delete("/session").status_code == 204
    assert_error(team.get("/groups"), 401)
    assert dev_app["id"]


def test_the_team_moves_a_group_off_aiq3_and_back(live: Live) -> None:
    team = staff(live)
    app = live.create()
    dev = live.sign_up()
    client = live.verify(dev, app["id"], app["otp"])
    soap = SoapClient(live.base, live.access_token(client))
    groups = team.get("/groups").json()
    assert [(g["name"], g["plan"]) for g in groups] == [("Group A", "aiq3")]
    group_id = groups[0]["id"]
    assert_error(team.put(f"/groups/{group_id}/plan", json={"plan": "gold"}), 422, "plan")
    moved = team.put(f"/groups/{group_id}/plan", json={"plan": "aiq1"})
    assert moved.status_code == 200 and moved.json()["plan"] == "aiq1"
    assert soap.call("GetEntitiesByToken").ErrorCode == "APPLICATION_SUSPENDED"  # at once
    assert live.admin.list_apps().json()["code"] == "plan_required"
    assert team.put(f"/groups/{group_id}/plan", json={"plan": "aiq3"}).status_code == 200
    assert soap.call("GetEntitiesByToken").Status == "Success"
    assert live.admin.app(app["id"]).json()["status"] == "active"


def test_the_team_picks_up_a_request_links_a_developer_and_notes_progress(live: Live) -> None:
    team = staff(live)
    request = integrate_request(live)
    live.next_mail("team@aiq.example", "team_new_app")
    queue = team.get("/requests").json()
    assert [r["app_id"] for r in queue] == [request["id"]]
    item = queue[0]
    assert (item["group_name"], item["type"], item["preset"]) == (
        "Group A",
        "aiq_integrate",
        "custom",
    )
    assert (item["status"], item["acknowledged_by"]) == ("requested", "admin@a.example")
    assert item["developer_email"] is None
    assert [r["app_id"] for r in team.get("/requests", params={"status": "requested"}).json()] == [
        request["id"]
    ]
    assert team.get("/requests", params={"status": "active"}).json() == []
    assert_error(team.get("/requests", params={"status": "nonsense"}), 422, "status")
    # Only managed apps are the team's: another app is not found.
    other = live.create()
    assert_error(team.put(f"/requests/{other['id']}/developer", json={"email": TEAM_DEV}), 404)
    # The staff member links a developer of the team; the OTP is theirs, once.
    linked = team.put(f"/requests/{request['id']}/developer", json={"email": TEAM_DEV})
    assert linked.status_code == 200, linked.text
    assert linked.headers["Cache-Control"].startswith("no-store")
    otp = linked.json()["otp"]
    live.seen.append(otp)
    assert linked.json()["status"] == "pending_verification"
    assert linked.json()["developer_email"] == TEAM_DEV
    conflict = team.put(f"/requests/{request['id']}/developer", json={"email": TEAM_DEV})
    assert_error(conflict, 409)
    # The team's developer signs up from the invite and verifies with the OTP.
    builder = live.sign_up(TEAM_DEV)
    live.verify(builder, request["id"], otp)
    noted = team.post(
        f"/requests/{request['id']}/progress", json={"state": "in_progress", "note": "mapping GL"}
    )
    assert noted.status_code == 200, noted.text
    assert noted.json()["progress"]["state"] == "in_progress"
    assert noted.json()["status"] == "active"
    assert_error(
        team.post(f"/requests/{request['id']}/progress", json={"state": "half"}), 422, "state"
    )
    # The group's admin sees the team's work in the app's activity log.
    csv_text = live.admin.activity_csv(request["id"]).text
    assert f"staff,{STAFF_EMAIL}" in csv_text.replace('"', "")
    assert "developer_linked" in csv_text and "in progress: mapping GL" in csv_text
    # Staff never change the group's app fields: there is no route for it.
    edit = requests.patch(
        f"{live.base}/api/v1/integration-applications/{request['id']}",
        json={"description": "staff edit"},
        headers={"Authorization": f"Bearer {team.token}"},
        timeout=30,
    )
    assert edit.status_code == 401
    assert DEV not in csv_text
    live.assert_no_secret_stored()


def test_a_staff_account_from_the_cli_logs_in(live: Live) -> None:
    team = staff(live)
    assert team.token
    admin = AdminApi(live.base)
    refused = admin.post("/session", json={"email": STAFF_EMAIL, "password": STAFF_PASSWORD})
    assert refused.status_code == 401  # not a group user
