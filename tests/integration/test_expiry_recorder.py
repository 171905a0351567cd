"""Expiry of invites and OTPs is recorded once, as events, by moving the clock."""

from __future__ import annotations

from uuid import UUID

from composition.root import Services
from domain.actor import Actor
from domain.commands import CreateApp
from tests.support import FakeClock, seeded_group
from workers.expiry_recorder import ExpiryRecorder


def _app(services: Services) -> tuple[str, Actor]:
    ids, admin = seeded_group(services, (("E1", "Entity"),))
    created = services.commands.apps.create_app(
        admin,
        CreateApp(
            **{
                "type": "new_integration",
                "name": "Expiring",
                "description": "d",
                "category": "crm",
                "api_permission": "read",
                "developer_email": "dev@example.com",
                "entity_ids": list(ids["entities"].values()),
            }
        ),
    )
    services.wait_for_views(created.position)  # the recorder finds candidates in the app list
    return str(created.app.id), admin


def _events(services: Services, app_id: str) -> list[str]:
    services.wait_until_current("activity_log")
    return [r["event"] for r in services.activity_log.rows(app_id)]


def test_expiries_are_recorded_once(services: Services, clock: FakeClock) -> None:
    app_id, admin = _app(services)
    recorder = ExpiryRecorder(services.app_list, services.commands.developers, services.clock)
    assert recorder.run_once() == 0
    clock.advance(days=3, seconds=1)
    assert recorder.run_once() == 1
    assert recorder.run_once() == 0  # once only
    events = _events(services, app_id)
    assert events.count("otp_expired") == 1 and events.count("invite_expired") == 1
    rows = [r for r in services.activity_log.rows(app_id) if r["event"] == "otp_expired"]
    assert rows[0]["actor_type"] == "system"
    services.wait_until_current("app_list")
    assert services.app_list.get(app_id)["status"] == "otp_expired"  # type: ignore[index]

    # A reset OTP and a resent invite expire again, and are recorded again, once.
    services.commands.developers.reset_otp(admin, UUID(app_id))
    resent = services.commands.developers.resend_invite(admin, UUID(app_id))
    services.wait_for_views(resent.position, "app_list")
    assert services.app_list.get(app_id)["status"] == "pending_verification"  # type: ignore[index]
    clock.advance(days=3, seconds=1)
    assert recorder.run_once() == 1
    events = _events(services, app_id)
    assert events.count("otp_expired") == 2 and events.count("invite_expired") == 2


def test_nothing_is_recorded_for_revoked_apps(services: Services, clock: FakeClock) -> None:
    app_id, admin = _app(services)
    revoked = services.commands.apps.revoke_app(admin, UUID(app_id), True)
    services.wait_for_views(revoked.position, "app_list")
    clock.advance(days=4)
    assert (
        ExpiryRecorder(services.app_list, services.commands.developers, services.clock).run_once()
        == 0
    )
    assert "otp_expired" not in _events(services, app_id)
