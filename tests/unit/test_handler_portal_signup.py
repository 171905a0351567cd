"""PortalHandler, sign-up and sessions: invite errors name the field, codes, one account."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from eventsourcing.domain import Aggregate

from domain.apps import IntegrationApp
from domain.commands import CreateApp
from domain.credentials import token_digest
from domain.developers import DeveloperAccount, Signup
from domain.errors import (
    AuthenticationError,
    ConflictError,
    DomainError,
    GoneError,
    NotFoundError,
    ValidationError,
)
from domain.handlers.portal import developer_actor
from tests.unit.conftest import Domain

EMAIL, NAME, PASSWORD = "dev@example.com", "Dee Veloper", "developer password 1"


def invited(domain: Domain) -> tuple[IntegrationApp, str]:
    app = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields())).app
    assert app.developer is not None and app.developer.invite_id is not None
    return app, domain.invites.token_for(app.developer.invite_id)


def code_sent(domain: Domain) -> str:
    signup = domain.store.get(Signup.create_id(EMAIL), Signup)
    return domain.signup_codes.code_for(signup.challenge_id)


def wrong(code: str) -> str:
    return "".join("1" if c == "0" else "0" for c in code)


def resend(domain: Domain, app: IntegrationApp) -> None:
    domain.commands.developers.resend_invite(domain.admin, app.id)


def revoke_developer(domain: Domain, app: IntegrationApp) -> None:
    domain.commands.developers.revoke_developer_access(domain.admin, app.id)


def revoke_app(domain: Domain, app: IntegrationApp) -> None:
    domain.commands.apps.revoke_app(domain.admin, app.id, True)


def three_days_pass(domain: Domain, app: IntegrationApp) -> None:
    domain.clock.advance(days=3)


@pytest.mark.parametrize("step", ["start", "complete"])
@pytest.mark.parametrize(
    ("spoil", "error", "says"),
    [
        (resend, GoneError, "replaced or withdrawn"),
        (revoke_developer, GoneError, "replaced or withdrawn"),
        (revoke_app, GoneError, "replaced or withdrawn"),
        (three_days_pass, GoneError, "expired"),
    ],
)
def test_an_unusable_invite_is_refused_naming_the_invite(
    domain: Domain,
    step: str,
    spoil: Callable[[Domain, IntegrationApp], None],
    error: type[DomainError],
    says: str,
) -> None:
    app, token = invited(domain)
    domain.commands.portal.start_signup(token)
    code = code_sent(domain)
    spoil(domain, app)
    before = domain.store.head()
    with pytest.raises(error) as refused:
        if step == "start":
            domain.commands.portal.start_signup(token)
        else:
            domain.commands.portal.complete_signup(token, code, NAME, PASSWORD)
    assert refused.value.field == "invite_token" and says in refused.value.message
    assert domain.store.head() == before
    assert not domain.store.exists(DeveloperAccount.create_id(EMAIL))


@pytest.mark.parametrize("token", ["", "nonsense", "0" * 32 + ".forged", "x" * 300])
def test_a_token_that_is_not_an_invite_is_not_found(domain: Domain, token: str) -> None:
    invited(domain)
    with pytest.raises(NotFoundError) as refused:
        domain.commands.portal.start_signup(token)
    assert refused.value.field == "invite_token"


def test_wrong_codes_are_counted_per_code_and_a_new_code_starts_afresh(domain: Domain) -> None:
    portal = domain.commands.portal
    _, token = invited(domain)
    with pytest.raises(ValidationError) as refused:
        portal.complete_signup(token, "123456", NAME, PASSWORD)
    assert (refused.value.field, refused.value.message) == (
        "code",
        "ask for a verification code first",
    )
    assert portal.start_signup(token) == EMAIL
    code = code_sent(domain)
    with pytest.raises(ValidationError):  # a weak password is refused before the code counts
        portal.complete_signup(token, wrong(code), NAME, "dev@example.com")
    told = []
    for _ in range(5):
        with pytest.raises(ValidationError) as refused:
            portal.complete_signup(token, wrong(code), NAME, PASSWORD)
        told.append((refused.value.field, refused.value.message))
    assert told == [("code", f"wrong code; {n} attempts left") for n in (4, 3, 2, 1)] + [
        ("code", "wrong code; ask for a new code")
    ]
    assert domain.event_names(Signup.create_id(EMAIL)).count("CodeAttemptFailed") == 5
    with pytest.raises(ConflictError) as locked:  # the right code no longer helps
        portal.complete_signup(token, code, NAME, PASSWORD)
    assert locked.value.field == "code" and "ask for a new code" in locked.value.message
    portal.start_signup(token)
    assert portal.complete_signup(token, code_sent(domain), NAME, PASSWORD).account.email == EMAIL


def test_a_code_expires_after_15_minutes(domain: Domain) -> None:
    _, token = invited(domain)
    domain.commands.portal.start_signup(token)
    domain.clock.advance(minutes=15)
    with pytest.raises(GoneError) as refused:
        domain.commands.portal.complete_signup(token, code_sent(domain), NAME, PASSWORD)
    assert refused.value.field == "code" and "expired" in refused.value.message


def test_the_account_is_created_once(domain: Domain) -> None:
    portal = domain.commands.portal
    _, token = invited(domain)
    portal.start_signup(token)
    signed = portal.complete_signup(token, f" {code_sent(domain)} ", f"  {NAME} ", PASSWORD)
    assert signed.position == domain.store.head()
    account = domain.store.get(DeveloperAccount.create_id(EMAIL), DeveloperAccount)
    assert (account.email, account.full_name) == (EMAIL, NAME)
    assert domain.passwords.matches(account.password_hash, PASSWORD)
    assert domain.event_names(Signup.create_id(EMAIL))[-1] == "Completed"
    for again in (
        lambda: portal.start_signup(token),
        lambda: portal.complete_signup(token, code_sent(domain), NAME, PASSWORD),
    ):
        with pytest.raises(ConflictError) as refused:
            again()
        assert refused.value.field == "invite_token" and "log in" in refused.value.message
    assert domain.event_names(account.id) == ["Registered"]
    # A later app links the existing account: no invite, so nothing to sign up with.
    later = domain.commands.apps.create_app(
        domain.admin, CreateApp(**domain.fields(name="Later"))
    ).app
    assert later.developer is not None and later.developer.invite_id is None


def test_a_wrong_code_racing_the_right_one_never_claims_an_account_exists(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal, record = domain.commands.portal, domain.store.record
    _, token = invited(domain)
    portal.start_signup(token)
    code, racing = code_sent(domain), [True]

    def record_after_a_wrong_attempt(*aggregates: Aggregate) -> int:
        if racing:  # another tab submits a wrong code between our read and our write
            racing.clear()
            with pytest.raises(ValidationError):
                portal.complete_signup(token, wrong(code), NAME, PASSWORD)
        return record(*aggregates)

    monkeypatch.setattr(domain.store, "record", record_after_a_wrong_attempt)
    try:
        portal.complete_signup(token, code, NAME, PASSWORD)
    except ConflictError as error:
        if "already signed up" in error.message:
            assert domain.store.exists(DeveloperAccount.create_id(EMAIL)), error.message


def test_developer_sessions_start_and_end(domain: Domain) -> None:
    portal = domain.commands.portal
    _, token = invited(domain)
    portal.start_signup(token)
    account = portal.complete_signup(token, code_sent(domain), NAME, PASSWORD).account
    before = domain.store.head()
    for email, password in (("nobody@example.com", PASSWORD), (EMAIL, "not the password")):
        with pytest.raises(AuthenticationError):
            portal.developer_login(email, password)
    assert domain.store.head() == before
    session = portal.developer_login("DEV@Example.com", PASSWORD)
    assert session.position == domain.store.head()
    assert session.expires_at == domain.clock.now() + timedelta(hours=8)
    started = domain.store.events_of(account.id)[-1]
    assert type(started).__name__ == "SessionStarted"
    assert started.token_digest == token_digest(session.token) != session.token
    ended = portal.developer_logout(developer_actor(EMAIL), session.token)
    assert ended > session.position
    last = domain.store.events_of(account.id)[-1]
    assert (type(last).__name__, last.token_digest) == ("SessionEnded", started.token_digest)
