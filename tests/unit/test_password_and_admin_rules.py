"""Logins that name no account, password strength, and a group never without a practice admin."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from uuid import UUID

import pytest

from domain.actor import Actor
from domain.commands import CreateApp
from domain.errors import AuthenticationError, ConflictError, ValidationError
from domain.naming import index_id
from domain.ports import PasswordHasher
from domain.users import PracticeAdmins
from tests.unit.conftest import PASSWORD, Domain

DEV = "dev@example.com"
DEV_PASSWORD = "developer password 1"


class CountingPasswords:
    """The real hasher, counting what each login costs: argon2 calls are the login's work."""

    def __init__(self, inner: PasswordHasher) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()

    def hash(self, password: str) -> str:
        self.calls["hash"] += 1
        return self.inner.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        self.calls["verify"] += 1
        return self.inner.verify(password_hash, password)

    def cost_of(self, attempt: Callable[[], object]) -> Counter[str]:
        self.calls.clear()
        with pytest.raises(AuthenticationError) as refused:
            attempt()
        assert str(refused.value) == "wrong e-mail or password"
        return Counter(self.calls)


def sign_up_developer(domain: Domain) -> None:
    app = domain.commands.apps.create_app(
        domain.admin, CreateApp(**domain.fields(developer_email=DEV))
    ).app
    assert app.developer is not None and app.developer.invite_id is not None
    invite = domain.invites.token_for(app.developer.invite_id)
    domain.commands.portal.start_signup(invite)
    signup = domain.store.repository.get(index_id("signup", DEV))
    code = domain.signup_codes.code_for(signup.challenge_id)
    domain.commands.portal.complete_signup(invite, code, "Dee Veloper", DEV_PASSWORD)


@pytest.mark.parametrize("audience", ["admin", "portal"])
def test_an_unknown_email_costs_what_a_wrong_password_costs(domain: Domain, audience: str) -> None:
    sign_up_developer(domain)
    counting = CountingPasswords(domain.passwords.hasher)
    domain.passwords.hasher = counting
    login = (
        domain.commands.directory.login
        if audience == "admin"
        else domain.commands.portal.developer_login
    )
    known = "admin@a.example" if audience == "admin" else DEV

    counting.cost_of(lambda: login("warm-up@nowhere.example", "whatever it is"))
    unknown = counting.cost_of(lambda: login("nobody@nowhere.example", "whatever it is"))
    wrong = counting.cost_of(lambda: login(known, "not the right password"))

    assert unknown == wrong == Counter(verify=1)
    right = PASSWORD if audience == "admin" else DEV_PASSWORD
    login(known, right)  # and the known account still logs in


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("new@a.example", "e-mail address or name"),
        (" " * 12, "repeats"),
        ("aaaaaaaaaaaa", "repeats"),
        ("password1234", "common password"),
        ("Nia Newcomer 1", "e-mail address or name"),
    ],
)
def test_weak_passwords_are_refused_saying_why(domain: Domain, password: str, why: str) -> None:
    with pytest.raises(ValidationError) as refused:
        domain.commands.directory.create_user(
            domain.admin, domain.admin.group_id, "new@a.example", "Nia Newcomer", "user", password
        )
    assert refused.value.field == "password"
    assert str(refused.value).startswith("password is too easy to guess")
    assert why in str(refused.value).lower()


def test_portal_signup_refuses_a_weak_password(domain: Domain) -> None:
    app = domain.commands.apps.create_app(
        domain.admin, CreateApp(**domain.fields(developer_email=DEV))
    ).app
    assert app.developer is not None and app.developer.invite_id is not None
    invite = domain.invites.token_for(app.developer.invite_id)
    domain.commands.portal.start_signup(invite)
    with pytest.raises(ValidationError) as refused:
        domain.commands.portal.complete_signup(invite, "000000", "Dee Veloper", "dev@example.com")
    assert refused.value.field == "password" and "too easy to guess" in str(refused.value)


def test_the_last_practice_admin_cannot_stop_being_one(domain: Domain) -> None:
    me = domain.admin
    with pytest.raises(ConflictError) as refused:
        domain.commands.directory.update_user(me, _id(me), role="user")
    assert refused.value.field == "role" and "last practice admin" in str(refused.value)

    # With a second admin, either may step down, but then not the one left.
    second = domain.commands.directory.update_user(
        me, _id(domain.plain), role="practice_admin"
    ).user
    domain.commands.directory.update_user(me, _id(me), role="auditor")
    admins = domain.store.repository.get(PracticeAdmins.create_id(second.group_id))
    assert admins.user_ids == {second.id}
    with pytest.raises(ConflictError):
        domain.commands.directory.update_user(domain.admin, second.id, role="user")


def test_other_changes_to_the_last_admin_still_work(domain: Domain) -> None:
    user = domain.commands.directory.update_user(
        domain.admin, _id(domain.admin), full_name="Ada Admin"
    ).user
    assert (user.full_name, user.role) == ("Ada Admin", "practice_admin")


def _id(actor: Actor) -> UUID:
    return UUID(actor.id)
