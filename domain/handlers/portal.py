"""The Developer Portal: sign-up from an invite, sessions, verifying apps, client secrets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.actor import Actor
from domain.apps import IntegrationApp
from domain.client_keys import public_client_key
from domain.credentials import (
    InviteTokens,
    OtpDigests,
    SignupCodes,
    new_client_secret,
    new_token,
    token_digest,
)
from domain.developers import DeveloperAccount, InviteRef, Signup
from domain.errors import (
    AuthenticationError,
    ConflictError,
    GoneError,
    NotFoundError,
    ValidationError,
)
from domain.groups import Group
from domain.handlers.apps import AppRecorded
from domain.handlers.directory import SESSION_TTL
from domain.handlers.retry import retried_on_conflict
from domain.naming import normalise_email, readable_name
from domain.passwords import Passwords
from domain.ports import Clock
from domain.store import EventStore

SIGNUP_CODE_TTL = timedelta(minutes=15)
DEFAULT_SECRET_GRACE = timedelta(hours=24)


@dataclass(frozen=True)
class DeveloperSession:
    token: str
    expires_at: datetime
    account: DeveloperAccount
    position: int


@dataclass(frozen=True)
class SignedUp:
    account: DeveloperAccount
    position: int


@dataclass(frozen=True)
class Credentials:
    app: IntegrationApp
    client_secret: str
    position: int


def developer_actor(email: str) -> Actor:
    return Actor(type="developer", id=email, name=email)


class PortalHandler:
    def __init__(
        self,
        store: EventStore,
        clock: Clock,
        passwords: Passwords,
        invites: InviteTokens,
        signup_codes: SignupCodes,
        otps: OtpDigests,
        secret_grace: timedelta = DEFAULT_SECRET_GRACE,
    ) -> None:
        self.store = store
        self.clock = clock
        self.passwords = passwords
        self.invites = invites
        self.signup_codes = signup_codes
        self.otps = otps
        self.secret_grace = secret_grace

    # -- sign-up ---------------------------------------------------------------------------
    def _open_invite(self, invite_token: str) -> IntegrationApp:
        """The app whose current invite this is, or a 4xx that says what is wrong."""
        invite_id = self.invites.invite_id_of(invite_token)
        ref = invite_id and self.store.find(InviteRef.create_id(invite_id), InviteRef)
        if not ref:
            raise NotFoundError("this invite link is not valid", "invite_token")
        app = self.store.get(ref.app_id, IntegrationApp)
        link = app.developer
        if app.revoked or link is None or link.invite_id != invite_id:
            raise GoneError(
                "this invite was replaced or withdrawn; ask your admin for a new one",
                "invite_token",
            )
        if self.store.exists(DeveloperAccount.create_id(link.email)):
            raise ConflictError("you have already signed up; log in instead", "invite_token")
        if link.invite_expires_at is None or self.clock.now() >= link.invite_expires_at:
            raise GoneError("this invite has expired; ask your admin to resend it", "invite_token")
        return app

    def start_signup(self, invite_token: str) -> str:
        """E-mails a 6-digit code to the invited address; returns that address."""
        app = self._open_invite(invite_token)
        link = app.require_developer()
        me = developer_actor(link.email).as_event_data()
        challenge_id, _ = self.signup_codes.issue()
        expires_at = self.clock.now() + SIGNUP_CODE_TTL
        invite_id = link.invite_id or ""
        signup = self.store.find(Signup.create_id(link.email), Signup)
        if signup is not None:
            signup.refuse_exhausted_invite(invite_id)
            signup.reissue(link.email, challenge_id, app.id, expires_at, me, invite_id)
        else:
            signup = Signup(link.email, challenge_id, app.id, expires_at, me, invite_id)
        self.store.record(signup)  # the worker mails the code; nothing is read back
        return link.email

    def complete_signup(
        self, invite_token: str, code: str, full_name: str, password: str
    ) -> SignedUp:
        app = self._open_invite(invite_token)
        email = app.require_developer().email
        full_name = readable_name(full_name, "full_name", 200)
        self.passwords.check_rules(password, email, full_name)
        signup = self.store.find(Signup.create_id(email), Signup)
        if signup is None:
            raise ValidationError("ask for a verification code first", "code")
        me = developer_actor(email).as_event_data()
        now = self.clock.now()
        if not signup.try_code(lambda c: self.signup_codes.matches(c, code), now, me):
            self.store.record(signup)
            raise signup.wrong_code_problem()
        account = DeveloperAccount(email, full_name, self.passwords.hash(password), me)
        signup.complete(me)
        try:
            position = self.store.record(account, signup)
        except IntegrityError:
            if self.store.exists(account.id):
                raise ConflictError("you have already signed up; log in instead") from None
            raise  # another attempt changed the sign-up meanwhile: a 409 to try again
        return SignedUp(account, position)

    # -- sessions --------------------------------------------------------------------------
    def developer_login(self, email: str, password: str) -> DeveloperSession:
        account_id = DeveloperAccount.create_id(normalise_email(email))
        account = self.store.find(account_id, DeveloperAccount)
        stored = account.password_hash if account else None
        if not self.passwords.matches(stored, password) or account is None:
            raise AuthenticationError("wrong e-mail or password")
        token = new_token()
        expires_at = self.clock.now() + SESSION_TTL
        position = self._start_session(account.id, token_digest(token), expires_at)
        return DeveloperSession(token, expires_at, account, position)

    @retried_on_conflict(attempts=20)
    def _start_session(self, account_id: UUID, digest: str, expires_at: datetime) -> int:
        account = self.store.get(account_id, DeveloperAccount)
        account.start_session(digest, expires_at, developer_actor(account.email).as_event_data())
        return self.store.record(account)

    @retried_on_conflict()
    def developer_logout(self, developer: Actor, token: str) -> int:
        account_id = DeveloperAccount.create_id(developer.name)
        account = self.store.get(account_id, DeveloperAccount)
        account.end_session(token_digest(token), developer.as_event_data())
        return self.store.record(account)

    # -- apps ------------------------------------------------------------------------------
    def portal_app(self, developer: Actor, app_id: UUID) -> IntegrationApp:
        """The app if this developer is linked to it now; 404 for everyone else."""
        app = self.store.find(app_id, IntegrationApp)
        # One answer for an unknown id and another developer's app: it names no app.
        if app is None or app.developer is None or app.developer.email != developer.name:
            raise NotFoundError("application not found")
        return app

    def verify_app(self, developer: Actor, app_id: UUID, otp: str) -> Credentials:
        """The OTP the admin passed on activates the app and shows its client secret once.
        Spaces around it (pasted from an SMS) are not a wrong attempt."""
        app = self.portal_app(developer, app_id)
        me = developer.as_event_data()
        if not app.try_otp(lambda d: self.otps.matches(otp.strip(), d), self.clock.now(), me):
            self.store.record(app)  # the failed attempt counts; nothing reads it back
            left = app.otp_attempts_left
            raise ValidationError(
                f"wrong OTP; {left} attempts left" if left else "the OTP is now locked", "otp"
            )
        return self._new_secret(app, developer)

    def rotate_secret(self, developer: Actor, app_id: UUID) -> Credentials:
        return self._new_secret(self.portal_app(developer, app_id), developer)

    def retire_previous_secret(self, developer: Actor, app_id: UUID) -> AppRecorded:
        """Ends the grace period of the previous secret now, instead of after 24 h."""
        app = self.portal_app(developer, app_id)
        app.retire_previous_secret(self.clock.now(), developer.as_event_data())
        return AppRecorded(app, self.store.record(app))

    def end_secrets_now(self, developer: Actor, app_id: UUID) -> AppRecorded:
        """A leaked secret: ends it (and one still in its grace period) at once, with every
        token obtained with it. The group's Integration Admins are told by e-mail."""
        app = self.portal_app(developer, app_id)
        app.end_secrets(developer.as_event_data())
        return AppRecorded(app, self.store.record(app))

    def add_client_key(self, developer: Actor, app_id: UUID, jwk: object) -> AppRecorded:
        """A public key for private_key_jwt (RFC 7523); see domain.client_keys."""
        app = self.portal_app(developer, app_id)
        if app.developer is None or not app.developer.otp_verified:
            raise ConflictError("verify the application with its OTP first")
        key = public_client_key(jwk)
        app.add_client_key(key.kid, key.jwk, developer.as_event_data())
        return AppRecorded(app, self.store.record(app))

    def remove_client_key(self, developer: Actor, app_id: UUID, kid: str) -> AppRecorded:
        app = self.portal_app(developer, app_id)
        app.remove_client_key(kid, developer.as_event_data())
        return AppRecorded(app, self.store.record(app))

    def _new_secret(self, app: IntegrationApp, developer: Actor) -> Credentials:
        """A new secret for the group's secret lifetime; the one it replaces keeps working
        for the grace period."""
        secret = new_client_secret()
        now = self.clock.now()
        lifetime = timedelta(days=self.store.get(app.group_id, Group).secret_lifetime_days)
        app.replace_secret(
            token_digest(secret), now + self.secret_grace, now + lifetime, developer.as_event_data()
        )
        return Credentials(app, secret, self.store.record(app))
