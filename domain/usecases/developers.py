"""Manage Developer Portal Access: link, re-invite, revoke, reset and verify the OTP."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.apps import OTP_MAX_ATTEMPTS, IntegrationApp
from domain.developers import InviteRef
from domain.errors import ConflictError, ValidationError
from domain.naming import index_id, is_email, normalise_email
from domain.usecases.base import UseCases

INVITE_TTL = timedelta(days=3)
OTP_TTL = timedelta(days=3)


class DeveloperUseCases(UseCases):
    def has_portal_account(self, email: str) -> bool:
        """Whether a developer with this e-mail has signed up to the portal."""
        return index_id("developer-account", normalise_email(email)) in self.repository

    def _link_developer(
        self, actor: Actor, app: IntegrationApp, email: str
    ) -> tuple[str, list[Aggregate]]:
        """Links the developer on the (unsaved) app.

        Returns the new OTP (shown once) and the aggregates to save with the app.
        """
        email = normalise_email(email)
        if not is_email(email):
            raise ValidationError("developer_email must be an e-mail address", "developer_email")
        now = self.clock.now()
        signed_up = self.has_portal_account(email)
        invite_id = None if signed_up else self.invites.issue()[0]
        refs: list[Aggregate] = [] if invite_id is None else [InviteRef(invite_id, app.id)]
        otp = self.new_otp()
        app.link_developer(
            email=email,
            linked_at=now,
            signed_up=signed_up,
            invite_id=invite_id,
            invite_expires_at=None if signed_up else now + INVITE_TTL,
            otp_digest=self.otps.digest(otp),
            otp_expires_at=now + OTP_TTL,
            actor=actor.as_event_data(),
        )
        return otp, refs

    def register_developer(
        self, actor: Actor, app_id: UUID, email: str
    ) -> tuple[IntegrationApp, str]:
        actor.require_app_manager()
        app = self._app_for(actor, app_id)
        app.require_not_revoked()
        if app.developer is not None:
            raise ConflictError("a developer is already linked; revoke their access first")
        otp, refs = self._link_developer(actor, app, email)
        self.save(app, *refs)
        return app, otp

    def resend_invite(self, actor: Actor, app_id: UUID) -> IntegrationApp:
        actor.require_app_manager()
        app = self._app_for(actor, app_id)
        app.require_not_revoked()
        link = app.require_developer()
        if link.signed_up or self.has_portal_account(link.email):
            raise ConflictError("the developer has already signed up to the portal")
        invite_id, _ = self.invites.issue()
        app.resend_invite(invite_id, self.clock.now() + INVITE_TTL, actor.as_event_data())
        self.save(app, InviteRef(invite_id, app.id))
        return app

    def revoke_developer_access(self, actor: Actor, app_id: UUID) -> IntegrationApp:
        actor.require_app_manager()
        app = self._app_for(actor, app_id)
        app.require_not_revoked()
        link = app.require_developer()
        app.revoke_developer(link.email, actor.as_event_data())
        self.save(app)
        return app

    def reset_otp(self, actor: Actor, app_id: UUID) -> tuple[IntegrationApp, str]:
        actor.require_app_manager()
        app = self._app_for(actor, app_id)
        app.require_not_revoked()
        if app.require_developer().otp_verified:
            raise ConflictError("the developer has already verified this application")
        otp = self.new_otp()
        app.reset_otp(self.otps.digest(otp), self.clock.now() + OTP_TTL, actor.as_event_data())
        self.save(app)
        return app, otp

    def record_expiries(self, app_id: UUID) -> list[str]:
        """The expiry recorder's command: records each expiry of this app once."""
        app = self._get(app_id, IntegrationApp)
        now, system = self.clock.now(), Actor.system("expiry-recorder").as_event_data()
        recorded = []
        link = app.developer
        if link is not None and app.otp_expiry_due(now):
            app.record_otp_expired(link.otp_expires_at, system)
            recorded.append("otp")
        if link is not None and app.invite_expiry_due(now, self.has_portal_account(link.email)):
            app.record_invite_expired(link.invite_expires_at, system)  # type: ignore[arg-type]
            recorded.append("invite")
        if recorded:
            self.save(app)
        return recorded

    def check_otp(self, app: IntegrationApp, developer: Actor, otp: str) -> None:
        """Passes if `otp` is the app's current OTP; else records the failed attempt (5 lock
        it) and raises. Spaces around it (pasted from an SMS) are not a wrong attempt."""
        link = app.check_otp_usable(self.clock.now())
        if link.otp_digest and self.otps.matches(otp.strip(), link.otp_digest):
            return
        attempts = link.otp_attempts + 1
        locked = attempts >= OTP_MAX_ATTEMPTS
        app.fail_otp_attempt(attempts, locked, developer.as_event_data())
        self.save(app)
        left = OTP_MAX_ATTEMPTS - attempts
        message = "the OTP is now locked" if locked else f"wrong OTP; {left} attempts left"
        raise ValidationError(message, "otp")
