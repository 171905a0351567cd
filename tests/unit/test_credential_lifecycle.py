"""SPEC 14 on in-memory storage: secret lifetimes and expiry, the warnings before it, ending
a secret at once, allowlists, private_key_jwt keys and single-use assertions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from joserfc.jwk import ECKey, RSAKey

from domain.apps import IntegrationApp, SecretCheck
from domain.commands import CreateApp, EditApp
from domain.credentials import token_digest
from domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from domain.groups import Group
from domain.handlers.portal import Credentials, developer_actor
from domain.mail_policy import APP_DEVELOPER, GROUP_ADMINS, MailKind, mail_for
from tests.unit.conftest import Domain

DEV = developer_actor("dev@example.com")


def verified(domain: Domain) -> Credentials:
    created = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields()))
    assert created.otp is not None
    return domain.commands.portal.verify_app(DEV, created.app.id, created.otp)


def stored(domain: Domain, credentials: Credentials) -> IntegrationApp:
    return domain.store.get(credentials.app.id, IntegrationApp)


def check(domain: Domain, app: IntegrationApp, secret: str) -> SecretCheck:
    return app.match_secret(token_digest(secret), domain.clock.now()).check


# -- lifetimes and expiry ---------------------------------------------------------------------


def test_a_secret_lives_for_the_groups_lifetime_and_is_then_told_expired(domain: Domain) -> None:
    first = verified(domain)
    app = stored(domain, first)
    assert app.secret_expires_at == domain.clock.now() + timedelta(days=365)  # the default
    domain.clock.advance(days=364, hours=23)
    assert check(domain, stored(domain, first), first.client_secret) is SecretCheck.VALID
    domain.clock.advance(hours=1)
    assert check(domain, stored(domain, first), first.client_secret) is SecretCheck.EXPIRED
    assert check(domain, stored(domain, first), "aiqcs_wrong") is SecretCheck.WRONG
    # A rotation gives a fresh secret with a fresh lifetime.
    fresh = domain.commands.portal.rotate_secret(DEV, first.app.id)
    app = stored(domain, fresh)
    assert check(domain, app, fresh.client_secret) is SecretCheck.VALID
    assert app.secret_expires_at == domain.clock.now() + timedelta(days=365)
    # The expired one gets no grace period from the rotation.
    assert check(domain, app, first.client_secret) is SecretCheck.WRONG


def test_the_lifetime_applies_to_secrets_issued_after_it_changes(domain: Domain) -> None:
    first = verified(domain)
    group, _ = domain.commands.directory.set_secret_lifetime(domain.admin, 30)
    assert group.secret_lifetime_days == 30
    assert domain.commands.directory.group(domain.plain).secret_lifetime_days == 30
    assert stored(domain, first).secret_expires_at == first.app.secret_expires_at  # unchanged
    second = domain.commands.portal.rotate_secret(DEV, first.app.id)
    assert stored(domain, second).secret_expires_at == domain.clock.now() + timedelta(days=30)
    # The previous secret's grace ends no later than its own expiry.
    domain.clock.advance(days=30)
    assert check(domain, stored(domain, second), second.client_secret) is SecretCheck.EXPIRED


def test_only_practice_admins_set_the_lifetime_and_only_within_30_to_730_days(
    domain: Domain,
) -> None:
    for actor in (domain.manager, domain.auditor, domain.plain):
        with pytest.raises(PermissionDeniedError):
            domain.commands.directory.set_secret_lifetime(actor, 90)
    for days in (29, 731, 0, -5, True):
        with pytest.raises(ValidationError) as refused:
            domain.commands.directory.set_secret_lifetime(domain.admin, days)  # type: ignore[arg-type]
        assert refused.value.field == "secret_lifetime_days"
    group_id = domain.admin.group_id
    assert group_id is not None
    assert domain.store.get(group_id, Group).secret_lifetime_days == 365
    domain.commands.directory.set_secret_lifetime(domain.admin, 730)
    before = domain.store.head()
    domain.commands.directory.set_secret_lifetime(domain.admin, 730)  # no change, no event
    assert domain.store.head() == before
    other = domain.commands.directory.group(domain.outsider)
    assert other.secret_lifetime_days == 365  # another group's setting is its own


def test_warnings_come_at_30_7_and_1_days_each_once(domain: Domain) -> None:
    first = verified(domain)
    app_id = first.app.id

    def record(app_id: object) -> list[str]:  # (the unsigned-up invite expires meanwhile)
        found = domain.commands.developers.record_expiries(first.app.id)
        return [r for r in found if r == "secret_warning"]

    domain.clock.advance(days=334, hours=23)  # 30 days and an hour before
    assert record(app_id) == []
    domain.clock.advance(hours=1)
    assert record(app_id) == ["secret_warning"]
    assert record(app_id) == []  # once
    domain.clock.advance(days=22, hours=23)
    assert record(app_id) == []
    domain.clock.advance(hours=1)  # 7 days before
    assert record(app_id) == ["secret_warning"]
    domain.clock.advance(days=6)  # 1 day before
    assert record(app_id) == ["secret_warning"]
    assert record(app_id) == []
    domain.clock.advance(days=2)  # expired: nothing more to warn of
    assert record(app_id) == []
    warned = [e for e in domain.store.events_of(app_id) if type(e).__name__ == "SecretExpiryWarned"]
    assert [e.days for e in warned] == [30, 7, 1]
    assert {e.expires_at for e in warned} == {first.app.secret_expires_at}


def test_a_late_check_sends_only_the_nearest_warning(domain: Domain) -> None:
    first = verified(domain)
    domain.clock.advance(days=360)  # 5 days before: the 30-day warning was missed
    assert "secret_warning" in domain.commands.developers.record_expiries(first.app.id)
    assert stored(domain, first).secret_warned_days == 7
    # A rotation starts the warnings afresh, for the new secret.
    domain.commands.portal.rotate_secret(DEV, first.app.id)
    assert stored(domain, first).secret_warned_days is None
    assert domain.commands.developers.record_expiries(first.app.id) == []


def test_a_warning_goes_to_the_developer_and_the_admins(domain: Domain) -> None:
    first = verified(domain)
    domain.clock.advance(days=336)
    domain.commands.developers.record_expiries(first.app.id)
    warning = domain.store.events_of(first.app.id)[-1]
    mail = mail_for(warning)
    assert mail is not None and mail.kind is MailKind.SECRET_EXPIRING
    assert mail.recipients == (APP_DEVELOPER, GROUP_ADMINS)
    assert mail.data["days"] == 30


# -- ending a secret at once --------------------------------------------------------------------


def test_the_developer_ends_every_secret_at_once_and_the_admins_are_told(domain: Domain) -> None:
    first = verified(domain)
    second = domain.commands.portal.rotate_secret(DEV, first.app.id)  # first is in its grace
    ended = domain.commands.portal.end_secrets_now(DEV, first.app.id)
    app = stored(domain, first)
    for credentials in (first, second):
        assert check(domain, app, credentials.client_secret) is SecretCheck.WRONG
    # Tokens carry the version of the secret they were obtained with: all are ended.
    version = second.app.secret_version
    assert version is not None and app.secret_version_ended(version)
    assert app.secret_version_ended(0)  # a token from before versions
    assert not app.secret_version_ended(None)  # a token obtained with a key
    assert domain.commands.oauth.client_app(app.id) is None  # nothing to authenticate with
    mail = mail_for(domain.store.events_of(app.id)[-1])
    assert mail is not None and mail.kind is MailKind.SECRET_ENDED
    assert mail.recipients == (GROUP_ADMINS,) and ended.position == domain.store.head()
    with pytest.raises(ConflictError, match="no client secret"):
        domain.commands.portal.end_secrets_now(DEV, first.app.id)
    # A new secret works, and its tokens are not ended.
    third = domain.commands.portal.rotate_secret(DEV, first.app.id)
    app = stored(domain, third)
    assert check(domain, app, third.client_secret) is SecretCheck.VALID
    assert not app.secret_version_ended(app.secret_version)


def test_an_admin_ends_the_secret_and_the_developer_is_told(domain: Domain) -> None:
    first = verified(domain)
    for actor in (domain.plain, domain.auditor):
        with pytest.raises(PermissionDeniedError):
            domain.commands.apps.end_secrets_now(actor, first.app.id)
    with pytest.raises(NotFoundError):
        domain.commands.apps.end_secrets_now(domain.outsider, first.app.id)
    domain.commands.apps.end_secrets_now(domain.manager, first.app.id)
    mail = mail_for(domain.store.events_of(first.app.id)[-1])
    assert mail is not None and mail.recipients == (APP_DEVELOPER,)
    assert mail.data["by_developer"] is False


# -- allowlists --------------------------------------------------------------------------------


def test_allowed_ips_are_stored_canonical_and_bad_ones_refused_by_name(domain: Domain) -> None:
    first = verified(domain)
    edit = EditApp(allowed_ips=["203.0.113.0/24", " 2001:db8::1 ", "203.0.113.0/24"])
    domain.commands.apps.edit_app(domain.admin, first.app.id, edit)
    assert stored(domain, first).allowed_ips == ["203.0.113.0/24", "2001:db8::1/128"]
    assert domain.event_names(first.app.id)[-1] == "AllowedIpsChanged"
    for bad in (
        ["10.0.0.7/24"],
        ["not-an-ip"],
        ["10.0.0.0/33"],
        [f"10.0.{n}.0/24" for n in range(51)],
    ):
        with pytest.raises(ValidationError) as refused:
            domain.commands.apps.edit_app(domain.admin, first.app.id, EditApp(allowed_ips=bad))
        assert refused.value.field == "allowed_ips"
    domain.commands.apps.edit_app(domain.admin, first.app.id, EditApp(allowed_ips=[]))
    assert stored(domain, first).allowed_ips == []


# -- private_key_jwt keys and assertions -------------------------------------------------------


def test_up_to_two_public_keys_and_never_a_private_one(domain: Domain) -> None:
    first = verified(domain)
    app_id = first.app.id
    ec, rsa = ECKey.generate_key("P-256"), RSAKey.generate_key(2048)
    with pytest.raises(ValidationError, match="private"):
        domain.commands.portal.add_client_key(DEV, app_id, ec.as_dict(private=True))
    domain.commands.portal.add_client_key(DEV, app_id, {**ec.as_dict(private=False), "kid": "k1"})
    domain.commands.portal.add_client_key(DEV, app_id, rsa.as_dict(private=False))
    keys = stored(domain, first).client_keys
    assert keys["k1"]["alg"] == "ES256" and "d" not in keys["k1"]
    assert {k["alg"] for k in keys.values()} == {"ES256", "RS256"}
    with pytest.raises(ConflictError, match="at most 2"):
        domain.commands.portal.add_client_key(
            DEV, app_id, ECKey.generate_key("P-256").as_dict(private=False)
        )
    domain.commands.portal.remove_client_key(DEV, app_id, "k1")
    with pytest.raises(ConflictError, match="already registered"):
        rsa_again = {
            **ECKey.generate_key("P-256").as_dict(private=False),
            "kid": next(iter(keys.keys() - {"k1"})),
        }
        domain.commands.portal.add_client_key(DEV, app_id, rsa_again)
    with pytest.raises(NotFoundError):
        domain.commands.portal.remove_client_key(DEV, app_id, "k1")
    slashed = {**ECKey.generate_key("P-256").as_dict(private=False), "kid": "team/key"}
    with pytest.raises(ValidationError) as refused:
        domain.commands.portal.add_client_key(DEV, app_id, slashed)
    assert refused.value.field == "kid"
    for bad in ({"kty": "oct", "k": "c2VjcmV0"}, {"kty": "EC", "crv": "P-384"}, "a string"):
        with pytest.raises(ValidationError):
            domain.commands.portal.add_client_key(DEV, app_id, bad)


def test_an_app_with_only_keys_may_obtain_tokens(domain: Domain) -> None:
    first = verified(domain)
    domain.commands.portal.end_secrets_now(DEV, first.app.id)
    assert domain.commands.oauth.client_app(first.app.id) is None
    key = ECKey.generate_key("P-256").as_dict(private=False)
    domain.commands.portal.add_client_key(DEV, first.app.id, key)
    assert domain.commands.oauth.client_app(first.app.id) is not None


def test_a_client_assertion_is_used_once(domain: Domain) -> None:
    expires = domain.clock.now() + timedelta(minutes=5)
    assert domain.commands.oauth.use_assertion("client-1", "jti-1", expires)
    assert not domain.commands.oauth.use_assertion("client-1", "jti-1", expires)
    assert domain.commands.oauth.use_assertion("client-2", "jti-1", expires)  # per client
