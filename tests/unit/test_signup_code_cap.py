"""Sign-up codes: 5 wrong per code, and 15 wrong per invite however often a code is re-sent."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.commands import CreateApp
from domain.developers import SIGNUP_CODE_ATTEMPTS, SIGNUP_INVITE_ATTEMPTS, Signup
from domain.errors import GoneError, ValidationError
from domain.naming import index_id
from tests.unit.conftest import Domain

NAME, PASSWORD = "Dee Veloper", "developer password 1"
ME = {"type": "developer", "id": "dev@example.com", "name": "dev@example.com"}


def wrong(code: str) -> str:
    return "".join("1" if c == "0" else "0" for c in code)


def test_the_aggregate_counts_wrong_codes_per_invite_across_reissued_codes() -> None:
    now = datetime.now(UTC)
    signup = Signup("dev@example.com", "c1", uuid4(), now, ME, "invite-1")
    for n in range(SIGNUP_INVITE_ATTEMPTS):
        if n and n % SIGNUP_CODE_ATTEMPTS == 0:
            signup.reissue("dev@example.com", f"c{n}", signup.app_id, now, ME, "invite-1")
        assert not signup.invite_exhausted("invite-1")
        signup.fail_attempt(signup.attempts + 1, ME)
    assert signup.invite_exhausted("invite-1")
    with pytest.raises(GoneError, match="resend the invite"):
        signup.refuse_exhausted_invite("invite-1")
    # A new invite (the admin's Resend Invite) starts its own count.
    signup.reissue("dev@example.com", "c99", signup.app_id, now, ME, "invite-2")
    signup.refuse_exhausted_invite("invite-2")
    assert signup.attempts == 0 and not signup.invite_exhausted("invite-2")
    # The counts are rebuilt from the events alone.
    replayed = None
    for domain_event in signup.collect_events():
        replayed = domain_event.mutate(replayed)
    assert isinstance(replayed, Signup)
    assert replayed.invite_exhausted("invite-1") and not replayed.invite_exhausted("invite-2")


def test_resending_codes_gives_no_more_than_15_guesses_per_invite(domain: Domain) -> None:
    portal = domain.commands.portal
    created = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields()))
    assert created.app.developer is not None and created.app.developer.invite_id
    token = domain.invites.token_for(created.app.developer.invite_id)
    signup_id = index_id("signup", "dev@example.com")

    def current_code() -> str:
        return domain.signup_codes.code_for(domain.store.repository.get(signup_id).challenge_id)

    messages = []
    for _ in range(SIGNUP_INVITE_ATTEMPTS // SIGNUP_CODE_ATTEMPTS):
        portal.start_signup(token)  # a new code: 5 more wrong ones are allowed for it
        for _ in range(SIGNUP_CODE_ATTEMPTS):
            with pytest.raises(ValidationError) as refused:
                portal.complete_signup(token, wrong(current_code()), NAME, PASSWORD)
            messages.append(refused.value.message)
    assert messages[-1].endswith("ask your admin to resend it")

    # Neither a new code nor the right code opens this invite any more.
    with pytest.raises(GoneError, match="resend the invite"):
        portal.start_signup(token)
    with pytest.raises(GoneError, match="resend the invite"):
        portal.complete_signup(token, current_code(), NAME, PASSWORD)

    # The admin resends the invite: a new invite id, a fresh allowance.
    resent = domain.commands.developers.resend_invite(domain.admin, created.app.id).app
    assert resent.developer is not None and resent.developer.invite_id
    new_token = domain.invites.token_for(resent.developer.invite_id)
    portal.start_signup(new_token)
    account = portal.complete_signup(new_token, current_code(), NAME, PASSWORD).account
    assert account.email == "dev@example.com"
