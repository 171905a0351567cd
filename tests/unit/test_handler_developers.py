"""DeveloperAccess: positions of its commands, who may use them, expiries recorded once."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.apps import IntegrationApp
from domain.commands import CreateApp
from domain.developers import Signup
from domain.errors import ConflictError, NotFoundError, PermissionDeniedError
from domain.handlers.portal import developer_actor
from tests.unit.conftest import Domain

EMAIL = "dev@example.com"
RECORDER = {"type": "system", "id": "expiry-recorder", "name": "expiry-recorder"}


def new_app(domain: Domain, name: str = "Invoice Sync") -> IntegrationApp:
    return domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields(name=name))).app


def sign_up(domain: Domain, app: IntegrationApp) -> None:
    assert app.developer is not None and app.developer.invite_id is not None
    token = domain.invites.token_for(app.developer.invite_id)
    domain.commands.portal.start_signup(token)
    challenge = domain.store.get(Signup.create_id(EMAIL), Signup).challenge_id
    code = domain.signup_codes.code_for(challenge)
    domain.commands.portal.complete_signup(token, code, "Dee Veloper", "developer password 1")


def test_each_command_returns_the_position_of_what_it_recorded(domain: Domain) -> None:
    developers, app = domain.commands.developers, new_app(domain)
    positions = [
        developers.resend_invite(domain.admin, app.id).position,
        developers.reset_otp(domain.manager, app.id).position,
        developers.revoke_developer_access(domain.admin, app.id).position,
        developers.register_developer(domain.manager, app.id, "new@example.com").position,
    ]
    assert positions == sorted(positions) and positions[-1] == domain.store.head()
    assert len(set(positions)) == 4
    assert domain.event_names(app.id)[2:] == [
        "InviteResent",
        "OtpReset",
        "DeveloperAccessRevoked",
        "DeveloperLinked",
    ]


def test_only_app_managers_of_the_group_may_use_them(domain: Domain) -> None:
    developers, app = domain.commands.developers, new_app(domain)
    commands = [
        lambda actor, app_id: developers.register_developer(actor, app_id, "x@example.com"),
        developers.resend_invite,
        developers.revoke_developer_access,
        developers.reset_otp,
    ]
    before = domain.store.head()
    for command in commands:
        for reader in (domain.plain, domain.auditor):
            with pytest.raises(PermissionDeniedError):
                command(reader, app.id)
        messages = set()
        for app_id in (app.id, UUID(int=9)):
            with pytest.raises(NotFoundError) as missing:
                command(domain.outsider, app_id)
            messages.add(str(missing.value))
        assert len(messages) == 1  # another group's app answers as an unknown id does
    assert domain.store.head() == before


def test_an_invite_is_not_resent_once_the_developer_signed_up(domain: Domain) -> None:
    app = new_app(domain)
    sign_up(domain, app)
    with pytest.raises(ConflictError, match="already signed up"):
        domain.commands.developers.resend_invite(domain.admin, app.id)


def test_expiries_are_recorded_once_each(domain: Domain) -> None:
    developers, app = domain.commands.developers, new_app(domain)
    link = app.developer
    assert link is not None
    assert developers.record_expiries(app.id) == []
    domain.clock.advance(days=2, hours=23)
    assert developers.record_expiries(app.id) == []
    domain.clock.advance(hours=1)
    assert developers.record_expiries(app.id) == ["otp", "invite"]
    otp_expired, invite_expired = domain.store.events_of(app.id)[-2:]
    assert type(otp_expired).__name__ == "OtpExpired"
    assert otp_expired.otp_expires_at == link.otp_expires_at
    assert type(invite_expired).__name__ == "InviteExpired"
    assert invite_expired.invite_expires_at == link.invite_expires_at
    assert otp_expired.actor == invite_expired.actor == RECORDER
    head = domain.store.head()
    domain.clock.advance(days=1)
    assert developers.record_expiries(app.id) == []
    assert domain.store.head() == head


def test_a_new_otp_or_invite_can_expire_again(domain: Domain) -> None:
    developers, app = domain.commands.developers, new_app(domain)
    domain.clock.advance(days=3)
    developers.record_expiries(app.id)
    developers.reset_otp(domain.admin, app.id)
    domain.clock.advance(days=3)
    assert developers.record_expiries(app.id) == ["otp"]
    developers.resend_invite(domain.admin, app.id)
    domain.clock.advance(days=3)
    assert developers.record_expiries(app.id) == ["invite"]
    assert domain.event_names(app.id).count("OtpExpired") == 2
    assert domain.event_names(app.id).count("InviteExpired") == 2


def test_nothing_expires_for_a_signed_up_developer_who_verified(domain: Domain) -> None:
    developers, app = domain.commands.developers, new_app(domain)
    sign_up(domain, app)
    other = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields(name="Second")))
    assert other.otp is not None
    domain.commands.portal.verify_app(developer_actor(EMAIL), other.app.id, other.otp)
    domain.clock.advance(days=4)
    assert developers.record_expiries(app.id) == ["otp"]  # signed up: no invite to expire
    assert developers.record_expiries(other.app.id) == []  # verified: no OTP to expire


def test_nothing_is_recorded_for_revoked_apps_or_apps_without_developer(domain: Domain) -> None:
    developers = domain.commands.developers
    revoked, unlinked = new_app(domain), new_app(domain, "Unlinked")
    domain.commands.apps.revoke_app(domain.admin, revoked.id, True)
    developers.revoke_developer_access(domain.admin, unlinked.id)
    domain.clock.advance(days=4)
    head = domain.store.head()
    assert developers.record_expiries(revoked.id) == []
    assert developers.record_expiries(unlinked.id) == []
    assert domain.store.head() == head
