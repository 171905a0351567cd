"""The Developer Portal: sign-up from an invite, sessions, verifying apps, client secrets."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.actor import Actor
from domain.apps import IntegrationApp
from domain.credentials import new_token, token_digest
from domain.developers import SIGNUP_CODE_ATTEMPTS, DeveloperAccount, InviteRef, Signup
from domain.errors import (
    AuthenticationError,
    ConflictError,
    GoneError,
    NotFoundError,
    ValidationError,
)
from domain.naming import index_id, normalise_email, readable_name
from domain.usecases.base import retried_on_conflict
from domain.usecases.developers import DeveloperUseCases
from domain.usecases.directory import SESSION_TTL, check_password_rules

SIGNUP_CODE_TTL = timedelta(minutes=15)
DEFAULT_SECRET_GRACE = timedelta(hours=24)


@dataclass(frozen=True)
class DeveloperSession:
    token: str
    expires_at: datetime
    account: DeveloperAccount


@dataclass(frozen=True)
class Credentials:
    app: IntegrationApp
    client_secret: str


def developer_actor(email: str) -> Actor:
    return Actor(type="developer", id=email, name=email)


class PortalUseCases(DeveloperUseCases):
    secret_grace: timedelta = DEFAULT_SECRET_GRACE

    # -- sign-up ---------------------------------------------------------------------------
    def _open_invite(self, invite_token: str) -> IntegrationApp:
        """The app whose current invite this is, or a 4xx that says what is wrong."""
        invite_id = self.invites.invite_id_of(invite_token)
        ref_id = invite_id and index_id("invite", invite_id)
        if not ref_id or ref_id not in self.repository:
            raise NotFoundError("this invite link is not valid", "invite_token")
        app = self._get(self._get(ref_id, InviteRef).app_id, IntegrationApp)
        link = app.developer
        if app.revoked or link is None or link.invite_id != invite_id:
            raise GoneError(
                "this invite was replaced or withdrawn; ask your admin for a new one",
                "invite_token",
            )
        if self.has_portal_account(link.email):
            raise ConflictError("you have already signed up; log in instead", "invite_token")
        if link.invite_expires_at is None or self.clock.now() >= link.invite_expires_at:
            raise GoneError("this invite has expired; ask your admin to resend it", "invite_token")
        return app

    def start_signup(self, invite_token: str) -> str:
        """E-mails a 6-digit code to the invited address; returns that address."""
        app = self._open_invite(invite_token)
        email = app.developer.email  # type: ignore[union-attr]
        me = developer_actor(email).as_event_data()
        challenge_id, _ = self.signup_codes.issue()
        expires_at = self.clock.now() + SIGNUP_CODE_TTL
        invite_id = app.developer.invite_id or ""  # type: ignore[union-attr]
        signup_id = index_id("signup", email)
        if signup_id in self.repository:
            signup = self._get(signup_id, Signup)
            signup.refuse_exhausted_invite(invite_id)
            signup.reissue(email, challenge_id, app.id, expires_at, me, invite_id)
        else:
            signup = Signup(email, challenge_id, app.id, expires_at, me, invite_id)
        self.save(signup)
        return email

    def complete_signup(
        self, invite_token: str, code: str, full_name: str, password: str
    ) -> DeveloperAccount:
        app = self._open_invite(invite_token)
        email = app.developer.email  # type: ignore[union-attr]
        full_name = readable_name(full_name, "full_name", 200)
        check_password_rules(password, self.password_strength, email, full_name)
        signup_id = index_id("signup", email)
        if signup_id not in self.repository:
            raise ValidationError("ask for a verification code first", "code")
        signup = self._get(signup_id, Signup)
        self._check_code(signup, code)
        me = developer_actor(email).as_event_data()
        account = DeveloperAccount(email, full_name, self.passwords.hash(password), me)
        signup.complete(me)
        try:
            self.save(account, signup)
        except IntegrityError:
            raise ConflictError("you have already signed up; log in instead") from None
        return account

    def _check_code(self, signup: Signup, code: str) -> None:
        signup.refuse_exhausted_invite(signup.invite_id)
        if signup.attempts >= SIGNUP_CODE_ATTEMPTS:
            raise ConflictError("too many wrong codes; ask for a new code", "code")
        if self.clock.now() >= signup.expires_at:
            raise GoneError("the code has expired; ask for a new one", "code")
        if self.signup_codes.matches(signup.challenge_id, code):
            return
        attempts = signup.attempts + 1
        signup.fail_attempt(attempts, developer_actor(signup.email).as_event_data())
        self.save(signup)
        if signup.invite_exhausted(signup.invite_id):
            raise ValidationError(
                "wrong code; too many wrong codes for this invite: ask your admin to resend it",
                "code",
            )
        left = SIGNUP_CODE_ATTEMPTS - attempts
        raise ValidationError(
            f"wrong code; {left} attempts left" if left else "wrong code; ask for a new code",
            "code",
        )

    # -- sessions --------------------------------------------------------------------------
    def developer_login(self, email: str, password: str) -> DeveloperSession:
        account_id = index_id("developer-account", normalise_email(email))
        account = self._get(account_id, DeveloperAccount) if account_id in self.repository else None
        stored = account.password_hash if account else None
        if not self._password_matches(stored, password) or account is None:
            raise AuthenticationError("wrong e-mail or password")
        token = new_token()
        expires_at = self.clock.now() + SESSION_TTL
        account = self._start_developer_session(account.id, token_digest(token), expires_at)
        return DeveloperSession(token, expires_at, account)

    @retried_on_conflict(attempts=20)
    def _start_developer_session(
        self, account_id: UUID, digest: str, expires_at: datetime
    ) -> DeveloperAccount:
        account = self._get(account_id, DeveloperAccount)
        account.start_session(digest, expires_at, developer_actor(account.email).as_event_data())
        self.save(account)
        return account

    @retried_on_conflict()
    def developer_logout(self, developer: Actor, token: str) -> None:
        account = self._get(index_id("developer-account", developer.name), DeveloperAccount)
        account.end_session(token_digest(token), developer.as_event_data())
        self.save(account)

    # -- apps ------------------------------------------------------------------------------
    def portal_app(self, developer: Actor, app_id: UUID) -> IntegrationApp:
        """The app if this developer is linked to it now; 404 for everyone else."""
        app = self._get(app_id, IntegrationApp)
        if app.developer is None or app.developer.email != developer.name:
            raise NotFoundError("application not found")
        return app

    def verify_app(self, developer: Actor, app_id: UUID, otp: str) -> Credentials:
        """The OTP the admin passed on activates the app and shows its client secret once."""
        app = self.portal_app(developer, app_id)
        self.check_otp(app, developer, otp)
        app.verify_otp(developer.as_event_data())
        secret = self._new_secret(app, developer)
        self.save(app)
        return Credentials(app, secret)

    def verify_otp(self, developer: Actor, app_id: UUID, otp: str) -> IntegrationApp:
        return self.verify_app(developer, app_id, otp).app

    def rotate_secret(self, developer: Actor, app_id: UUID) -> Credentials:
        app = self.portal_app(developer, app_id)
        app.require_not_revoked()
        if app.secret_digest is None:
            raise ConflictError("verify the application with its OTP first")
        secret = self._new_secret(app, developer)
        self.save(app)
        return Credentials(app, secret)

    def retire_previous_secret(self, developer: Actor, app_id: UUID) -> IntegrationApp:
        """Ends the grace period of the previous secret now, instead of after 24 h."""
        app = self.portal_app(developer, app_id)
        until = app.previous_valid_until
        if app.previous_secret_digest is None or until is None or self.clock.now() >= until:
            raise ConflictError("there is no previous secret in its grace period")
        app.retire_previous_secret(developer.as_event_data())
        self.save(app)
        return app

    def _new_secret(self, app: IntegrationApp, developer: Actor) -> str:
        """A new secret; the one it replaces keeps working for the grace period."""
        secret = secrets.token_urlsafe(32)
        previous = app.secret_digest
        app.issue_credentials(
            secret_digest=token_digest(secret),
            previous_secret_digest=previous,
            previous_valid_until=self.clock.now() + self.secret_grace if previous else None,
            actor=developer.as_event_data(),
        )
        return secret
