"""The whole journey of SPEC 4-6, over real HTTP and real SMTP, on both databases."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from api.app import create_app
from composition.root import Services, build_services
from entrypoints.cli import bootstrap_group
from tests.conftest import LiveServer
from tests.e2e.client import PASSWORD, AdminApi
from tests.e2e.portal_client import OAuthClient, PortalApi, code_from, invite_token_from
from tests.mailbox import Mailbox, body
from tests.support import FakeClock

DEV = "dev@example.com"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox().start()
    yield box
    box.stop()


@pytest.fixture
def live(make_settings: Any, clock: FakeClock, mailbox: Mailbox) -> Iterator[dict[str, Any]]:
    settings = make_settings(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(mailbox.port),
        TEAM_EMAIL="team@aiq.example",
        ACCESS_TOKEN_TTL="600",
    )
    services: Services = build_services(settings, clock=clock)
    services.start_workers()
    server = LiveServer(create_app(services))
    ids = bootstrap_group(
        services, "Group A", [("A1", "Alpha"), ("A2", "Beta")], "admin@a.example", PASSWORD
    )
    yield {
        "services": services,
        "server": server,
        "ids": ids,
        "admin": AdminApi(server.url).login("admin@a.example"),
    }
    server.stop()
    services.close()


def stored_event_bytes(services: Services) -> bytes:
    notifications = services.store.recorder.select_notifications(start=1, limit=1_000_000)
    return b"\n".join(n.state for n in notifications)


def test_the_whole_journey(
    live: dict[str, Any], mailbox: Mailbox, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    admin: AdminApi = live["admin"]
    services: Services = live["services"]
    base = live["server"].url
    entities = list(live["ids"]["entities"].values())
    secrets_seen: list[str] = []

    # The admin creates the app; the OTP is in the response, the invite arrives by SMTP.
    created = admin.create_app(
        type="new_integration",
        name="Invoice Sync",
        description="Pushes invoices",
        category="accounting",
        developer_email=DEV,
        api_permission="read_write",
        entity_ids=entities,
    )
    assert created.status_code == 201, created.text
    app_id, first_otp = created.json()["id"], created.json()["otp"]
    secrets_seen.append(first_otp)
    invite = mailbox.wait_for(DEV)[0]
    assert "Invoice Sync" in invite["Subject"]
    assert first_otp not in body(invite)
    invite_token = invite_token_from(invite)
    secrets_seen.append(invite_token)

    # The developer signs up from the invite: code by e-mail, then name and password.
    dev = PortalApi(base)
    started = dev.start_signup(invite_token)
    assert started.status_code == 202 and started.json()["email"] == DEV
    code = code_from(mailbox.wait_for(DEV, count=2)[1])
    secrets_seen.append(code)
    assert (
        dev.complete_signup(invite_token, "000000" if code != "000000" else "111111").status_code
        == 422
    )
    completed = dev.complete_signup(invite_token, code)
    assert completed.status_code == 201, completed.text
    assert dev.complete_signup(invite_token, code).status_code == 409  # the invite is used
    assert admin.developer(app_id).json()["signed_up"] is True
    assert dev.login(DEV).status_code == 201

    home = dev.apps().json()
    assert [(a["id"], a["state"]) for a in home] == [(app_id, "OTP verification needed")]
    assert home[0]["client_id"] is None

    # Five wrong OTPs lock it; the admin resets it; the developer verifies.
    wrong = "00000000" if first_otp != "00000000" else "11111111"
    answers = [dev.verify(app_id, wrong) for _ in range(5)]
    assert [a.status_code for a in answers] == [422] * 5
    assert "locked" in answers[-1].json()["message"]
    assert dev.verify(app_id, first_otp).status_code == 409
    assert admin.app(app_id).json()["status"] == "otp_locked"
    reset = admin.reset_otp(app_id)
    assert reset.status_code == 200
    new_otp = reset.json()["otp"]
    secrets_seen.append(new_otp)
    notice = mailbox.wait_for(DEV, count=3)[2]
    assert "reset" in notice["Subject"] and new_otp not in body(notice)
    verified = dev.verify(app_id, new_otp)
    assert verified.status_code == 200, verified.text
    credentials = verified.json()
    assert credentials["status"] == "active"
    assert credentials["token_url"] == "http://testserver/oauth/token"
    client_id, secret = credentials["client_id"], credentials["client_secret"]
    secrets_seen.append(secret)
    assert dev.app(app_id).json()["client_id"] == client_id
    assert "client_secret" not in dev.app(app_id).json()

    # Tokens with both client authentication methods; introspection.
    client = OAuthClient(base, client_id, secret)
    basic, post = client.token_basic(), client.token_post()
    assert basic.status_code == 200 and post.status_code == 200, (basic.text, post.text)
    token = basic.json()["access_token"]
    secrets_seen += [token, post.json()["access_token"]]
    assert basic.json()["token_type"].lower() == "bearer"
    assert basic.json()["expires_in"] == 600
    introspected = client.introspect(token).json()
    assert introspected["active"] is True and introspected["client_id"] == client_id
    assert client.token_basic("wrong-secret").json()["error"] == "invalid_client"

    # Rotation: the old secret works during the grace period, not after.
    rotated = dev.rotate_secret(app_id)
    assert rotated.status_code == 200
    new_secret = rotated.json()["client_secret"]
    secrets_seen.append(new_secret)
    assert client.token_basic(new_secret).status_code == 200
    assert client.token_basic(secret).status_code == 200
    clock.advance(hours=25)
    assert client.token_basic(secret).status_code == 401
    client.client_secret = new_secret
    fresh = client.token_post()
    assert fresh.status_code == 200
    fresh_token = fresh.json()["access_token"]
    secrets_seen.append(fresh_token)

    # The admin revokes the developer's access: e-mail, portal 404, the API keeps working.
    # (A day passed: both sessions expired, as the 401s show; they log in again.)
    assert admin.revoke_developer(app_id).status_code == 401
    assert dev.apps().status_code == 401
    admin.login("admin@a.example")
    assert dev.login(DEV).status_code == 201
    assert admin.revoke_developer(app_id).status_code == 204
    revoked_mail = mailbox.wait_for(DEV, count=4)[3]
    assert "revoked" in revoked_mail["Subject"]
    assert dev.app(app_id).status_code == 404
    assert dev.apps().json() == []
    assert client.token_basic().status_code == 200
    assert client.introspect(fresh_token).json()["active"] is True

    # The admin revokes the app: the token endpoint and its tokens are refused.
    assert admin.revoke_app(app_id).status_code == 200
    refused = client.token_basic()
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
    assert client.token_post().json()["error"] == "invalid_client"

    # Token issuance is in the activity log; no secret anywhere in the store or the CSV.
    csv_text = admin.activity_csv(app_id).text
    assert csv_text.count("token_issued") >= 5
    stored = stored_event_bytes(services)
    # Every log line of the product and its libraries (not of the test's own mail server,
    # which logs the messages it receives).
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "mail.log")
    for secret_value in [*secrets_seen, "developer password 1", PASSWORD]:
        assert secret_value.encode() not in stored, secret_value
        assert secret_value not in csv_text
        assert secret_value not in logged  # nor in any log line (access logs included)
    assert "POST /oauth/token" in logged  # the capture did see the requests


def test_team_is_told_about_managed_apps(live: dict[str, Any], mailbox: Mailbox) -> None:
    admin: AdminApi = live["admin"]
    entities = list(live["ids"]["entities"].values())
    created = admin.create_app(
        type="aiq_integrate",
        preset="hubspot",
        name="HubSpot sync",
        description="Managed",
        entity_ids=entities[:1],
        acknowledge_charges=True,
        acknowledge_data_access=True,
    )
    assert created.status_code == 201
    told = mailbox.wait_for("team@aiq.example")
    assert "HubSpot sync" in told[0]["Subject"] and "admin@a.example" in body(told[0])
