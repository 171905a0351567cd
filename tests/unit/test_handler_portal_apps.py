"""PortalHandler, apps: who sees an app, verifying with the OTP, client secrets and grace."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from domain.apps import IntegrationApp
from domain.commands import CreateApp
from domain.credentials import plausible_client_secret, token_digest
from domain.errors import ConflictError, NotFoundError, ValidationError
from domain.handlers.portal import Credentials, developer_actor
from tests.unit.conftest import Domain

DEV = developer_actor("dev@example.com")
STRANGER = developer_actor("someone@example.com")


def wrong(otp: str) -> str:
    return "00000000" if otp != "00000000" else "11111111"


def pending(domain: Domain) -> tuple[IntegrationApp, str]:
    created = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields()))
    assert created.otp is not None
    return created.app, created.otp


def verified(domain: Domain) -> Credentials:
    app, otp = pending(domain)
    return domain.commands.portal.verify_app(DEV, app.id, otp)


def stored_app(domain: Domain, app_id: UUID) -> IntegrationApp:
    return domain.store.get(app_id, IntegrationApp)


def test_only_the_linked_developer_sees_the_app(domain: Domain) -> None:
    app, otp = pending(domain)
    assert domain.commands.portal.portal_app(DEV, app.id).id == app.id
    before = domain.store.head()
    for command in (
        lambda: domain.commands.portal.portal_app(STRANGER, app.id),
        lambda: domain.commands.portal.verify_app(STRANGER, app.id, otp),
        lambda: domain.commands.portal.rotate_secret(STRANGER, app.id),
    ):
        with pytest.raises(NotFoundError):
            command()
    assert domain.store.head() == before  # a stranger's guesses cost the developer nothing
    assert stored_app(domain, app.id).developer.otp_attempts == 0  # type: ignore[union-attr]


def test_an_app_not_linked_is_not_found_exactly_like_an_unknown_id(domain: Domain) -> None:
    app, _ = pending(domain)
    messages = []
    for app_id in (app.id, UUID(int=5)):
        with pytest.raises(NotFoundError) as missing:
            domain.commands.portal.verify_app(STRANGER, app_id, "12345678")
        messages.append(str(missing.value))
    assert messages[0] == messages[1]


def test_wrong_otps_are_recorded_and_the_fifth_locks(domain: Domain) -> None:
    app, otp = pending(domain)
    for _ in range(5):
        with pytest.raises(ValidationError) as refused:
            domain.commands.portal.verify_app(DEV, app.id, wrong(otp))
        assert refused.value.field == "otp"
    failed = [e for e in domain.store.events_of(app.id) if type(e).__name__ == "OtpAttemptFailed"]
    assert [(e.attempts, e.locked) for e in failed] == [(n, n == 5) for n in range(1, 6)]
    assert all(e.actor == DEV.as_event_data() for e in failed)
    before = domain.store.head()
    with pytest.raises(ConflictError) as locked:
        domain.commands.portal.verify_app(DEV, app.id, otp)
    assert locked.value.field == "otp" and "locked" in locked.value.message
    assert domain.store.head() == before  # no sixth attempt is counted


def test_the_right_otp_shows_a_secret_of_which_only_the_digest_is_stored(domain: Domain) -> None:
    app, otp = pending(domain)
    result = domain.commands.portal.verify_app(DEV, app.id, f"  {otp}\n")  # pasted from an SMS
    assert result.position == domain.store.head()
    app = stored_app(domain, app.id)
    assert app.status_at(domain.clock.now()) == "active"
    assert app.secret_digest == token_digest(result.client_secret)
    assert app.secret_is_valid(token_digest(result.client_secret), domain.clock.now())
    # Recognisable (SPEC 14): the prefix and a checksum that holds.
    assert result.client_secret.startswith("aiqcs_") and len(result.client_secret) == 55
    assert plausible_client_secret(result.client_secret)
    assert domain.event_names(app.id)[-2:] == ["OtpVerified", "CredentialsIssued"]
    stored = b"".join(n.state for n in domain.store.recorder.select_notifications(1, 10_000))
    assert result.client_secret.encode() not in stored
    assert domain.commands.oauth.client_app(app.id) is not None


def test_a_secret_needs_a_verified_app(domain: Domain) -> None:
    app, _ = pending(domain)
    with pytest.raises(ConflictError, match="verify the application"):
        domain.commands.portal.rotate_secret(DEV, app.id)


def test_rotating_keeps_the_previous_secret_for_the_grace_period(domain: Domain) -> None:
    first = verified(domain)
    app_id, old = first.app.id, token_digest(first.client_secret)
    second = domain.commands.portal.rotate_secret(DEV, app_id)
    assert first.position < second.position == domain.store.head()
    new = token_digest(second.client_secret)
    app = stored_app(domain, app_id)
    assert new != old and app.previous_valid_until == domain.clock.now() + timedelta(hours=24)
    assert app.secret_is_valid(old, domain.clock.now())
    domain.clock.advance(hours=23, minutes=59)
    assert app.secret_is_valid(old, domain.clock.now())
    domain.clock.advance(minutes=1)
    assert not app.secret_is_valid(old, domain.clock.now())
    assert app.secret_is_valid(new, domain.clock.now())


def test_rotating_twice_drops_the_oldest_secret_at_once(domain: Domain) -> None:
    first = verified(domain)
    second = domain.commands.portal.rotate_secret(DEV, first.app.id)
    third = domain.commands.portal.rotate_secret(DEV, first.app.id)
    app, now = stored_app(domain, first.app.id), domain.clock.now()
    assert not app.secret_is_valid(token_digest(first.client_secret), now)
    assert app.secret_is_valid(token_digest(second.client_secret), now)
    assert app.secret_is_valid(token_digest(third.client_secret), now)


def test_retiring_the_previous_secret_ends_its_grace_now(domain: Domain) -> None:
    first = verified(domain)
    app_id = first.app.id
    with pytest.raises(ConflictError, match="no previous secret"):
        domain.commands.portal.retire_previous_secret(DEV, app_id)
    second = domain.commands.portal.rotate_secret(DEV, app_id)
    retired = domain.commands.portal.retire_previous_secret(DEV, app_id)
    assert second.position < retired.position == domain.store.head()
    app, now = stored_app(domain, app_id), domain.clock.now()
    assert not app.secret_is_valid(token_digest(first.client_secret), now)
    assert app.secret_is_valid(token_digest(second.client_secret), now)
    assert domain.event_names(app_id)[-1] == "PreviousSecretRetired"
    with pytest.raises(ConflictError):  # once only
        domain.commands.portal.retire_previous_secret(DEV, app_id)


def test_a_previous_secret_past_its_grace_cannot_be_retired(domain: Domain) -> None:
    first = verified(domain)
    domain.commands.portal.rotate_secret(DEV, first.app.id)
    domain.clock.advance(hours=24)
    with pytest.raises(ConflictError, match="no previous secret"):
        domain.commands.portal.retire_previous_secret(DEV, first.app.id)


def test_a_new_developer_verifying_gets_a_new_secret_and_the_old_one_keeps_its_grace(
    domain: Domain,
) -> None:
    first = verified(domain)
    app_id = first.app.id
    domain.commands.developers.revoke_developer_access(domain.admin, app_id)
    with pytest.raises(NotFoundError):  # the old developer loses the app, and its secrets
        domain.commands.portal.rotate_secret(DEV, app_id)
    otp = domain.commands.developers.register_developer(domain.admin, app_id, "new@example.com").otp
    newcomer = domain.commands.portal.verify_app(developer_actor("new@example.com"), app_id, otp)
    app, now = stored_app(domain, app_id), domain.clock.now()
    assert app.secret_is_valid(token_digest(newcomer.client_secret), now)
    assert app.secret_is_valid(token_digest(first.client_secret), now)  # the integration runs on
    assert app.previous_valid_until == now + timedelta(hours=24)


def test_a_revoked_app_gets_no_new_secret(domain: Domain) -> None:
    first = verified(domain)
    domain.commands.apps.revoke_app(domain.admin, first.app.id, True)
    before = domain.store.head()
    with pytest.raises(ConflictError, match="revoked"):
        domain.commands.portal.rotate_secret(DEV, first.app.id)
    assert domain.store.head() == before
    assert domain.commands.oauth.client_app(first.app.id) is None
