"""SPEC 4: the developer link, invites and the OTP, with the clock moved instead of waiting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.commands import CreateApp
from domain.credentials import OtpDigests
from domain.errors import ConflictError, GoneError, NotFoundError, ValidationError
from domain.handlers.portal import developer_actor
from tests.unit.conftest import Domain

DEV = developer_actor("dev@example.com")


def wrong(otp: str) -> str:
    return "00000000" if otp != "00000000" else "11111111"


def test_five_wrong_otps_lock_it_until_reset(domain: Domain) -> None:
    created = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields()))
    app_id, otp = created.app.id, created.otp
    assert otp is not None
    for attempt in range(1, 5):
        with pytest.raises(ValidationError) as error:
            domain.commands.portal.verify_app(DEV, app_id, wrong(otp))
        assert f"{5 - attempt} attempts left" in error.value.message
    with pytest.raises(ValidationError, match="locked"):
        domain.commands.portal.verify_app(DEV, app_id, wrong(otp))
    app = domain.store.repository.get(app_id)
    assert app.status_at(domain.clock.now()) == "otp_locked"
    with pytest.raises(ConflictError):  # even the right OTP, once locked
        domain.commands.portal.verify_app(DEV, app_id, otp)
    new_otp = domain.commands.developers.reset_otp(domain.admin, app_id).otp
    assert new_otp != otp
    with pytest.raises(ValidationError):  # the old one is no longer valid
        domain.commands.portal.verify_app(DEV, app_id, otp)
    verified = domain.commands.portal.verify_app(DEV, app_id, new_otp)
    assert verified.app.status_at(domain.clock.now()) == "active"
    assert len(verified.client_secret) >= 40
    with pytest.raises(ConflictError):  # single use
        domain.commands.portal.verify_app(DEV, app_id, new_otp)
    with pytest.raises(ConflictError):  # nothing to reset once verified
        domain.commands.developers.reset_otp(domain.admin, app_id)


def test_the_otp_expires_after_three_days(domain: Domain) -> None:
    created = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields()))
    domain.clock.advance(days=2, hours=23)
    assert created.app.status_at(domain.clock.now()) == "pending_verification"
    domain.clock.advance(hours=1)
    assert created.app.status_at(domain.clock.now()) == "otp_expired"
    with pytest.raises(ValidationError, match="expired"):
        domain.commands.portal.verify_app(DEV, created.app.id, created.otp or "")


def test_invites_are_resent_with_a_new_token_and_a_new_expiry(domain: Domain) -> None:
    app = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields())).app
    link = app.developer
    assert link is not None and link.invite_id is not None
    old_token = domain.invites.token_for(link.invite_id)
    assert link.invite_expires_at - link.linked_at == timedelta(days=3)
    assert link.otp_expires_at - link.linked_at == timedelta(days=3)
    domain.clock.advance(days=4)
    resent = domain.commands.developers.resend_invite(domain.admin, app.id).app
    new_link = resent.developer
    assert new_link is not None and new_link.invite_id != link.invite_id
    assert new_link.invite_expires_at is not None
    assert new_link.invite_expires_at > domain.clock.now()
    assert domain.invites.invite_id_of(old_token) == link.invite_id  # well-formed...
    with pytest.raises(GoneError):  # ...but replaced
        domain.commands.portal.start_signup(old_token)
    assert domain.commands.portal.start_signup(domain.invites.token_for(new_link.invite_id)) == (
        "dev@example.com"
    )


def test_register_revoke_and_register_again(domain: Domain) -> None:
    app = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields())).app
    with pytest.raises(ConflictError):
        domain.commands.developers.register_developer(domain.admin, app.id, "other@example.com")
    revoked = domain.commands.developers.revoke_developer_access(domain.admin, app.id).app
    assert revoked.developer is None
    assert revoked.status_at(domain.clock.now()) == "no_developer"
    with pytest.raises(NotFoundError):  # the old developer loses the app at once
        domain.commands.portal.portal_app(DEV, app.id)
    with pytest.raises(ConflictError):
        domain.commands.developers.revoke_developer_access(domain.admin, app.id)
    linked = domain.commands.developers.register_developer(
        domain.admin, app.id, "Other@Example.com"
    )
    again, otp = linked.app, linked.otp
    assert again.developer is not None and again.developer.email == "other@example.com"
    assert len(otp) == 8
    assert domain.event_names(app.id) == [
        "Created",
        "DeveloperLinked",
        "DeveloperAccessRevoked",
        "DeveloperLinked",
    ]


def test_otp_digests_are_salted_and_compare_in_constant_time() -> None:
    otps = OtpDigests("a key")
    first, second = otps.digest("12345678"), otps.digest("12345678")
    assert first != second
    assert otps.matches("12345678", first) and otps.matches("12345678", second)
    assert not otps.matches("12345679", first)
    assert not OtpDigests("another key").matches("12345678", first)  # useless without the key


def test_no_secret_is_stored_in_clear(domain: Domain) -> None:
    created = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields()))
    reset = domain.commands.developers.reset_otp(domain.admin, created.app.id).otp
    link = created.app.developer
    assert link is not None and link.invite_id is not None
    invite = domain.invites.token_for(link.invite_id)
    session = domain.commands.directory.login("admin@a.example", "correct horse battery")
    stored = b"".join(n.state for n in domain.store.recorder.select_notifications(1, 10_000))
    for secret in (created.otp, reset, invite, session.token, "correct horse battery"):
        assert secret is not None and secret.encode() not in stored
