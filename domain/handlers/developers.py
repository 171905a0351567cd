"""Manage Developer Portal Access: link, re-invite, revoke, reset the OTP; record expiries."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.actor import Actor
from domain.apps import IntegrationApp
from domain.developers import InviteRef
from domain.handlers.apps import AppRecorded
from domain.handlers.developer_link import INVITE_TTL, OTP_TTL, DeveloperLinker
from domain.ports import Clock
from domain.store import EventStore


@dataclass(frozen=True)
class OtpIssued:
    app: IntegrationApp
    otp: str
    position: int


class DeveloperAccess:
    def __init__(self, store: EventStore, clock: Clock, developers: DeveloperLinker) -> None:
        self.store = store
        self.clock = clock
        self.developers = developers

    def register_developer(self, actor: Actor, app_id: UUID, email: str) -> OtpIssued:
        actor.require_app_manager()
        app = self.store.owned(actor, app_id, IntegrationApp)
        otp, refs = self.developers.link(actor, app, email, field="email")
        return OtpIssued(app, otp, self.store.record(app, *refs))

    def resend_invite(self, actor: Actor, app_id: UUID) -> AppRecorded:
        actor.require_app_manager()
        app = self.store.owned(actor, app_id, IntegrationApp)
        link = app.developer
        signed_up = link is not None and self.developers.has_portal_account(link.email)
        invite_id, _ = self.developers.invites.issue()
        expires_at = self.clock.now() + INVITE_TTL
        app.resend_invite(invite_id, expires_at, signed_up, actor.as_event_data())
        return AppRecorded(app, self.store.record(app, InviteRef(invite_id, app.id)))

    def revoke_developer_access(self, actor: Actor, app_id: UUID) -> AppRecorded:
        actor.require_app_manager()
        app = self.store.owned(actor, app_id, IntegrationApp)
        app.revoke_developer(actor.as_event_data())
        return AppRecorded(app, self.store.record(app))

    def reset_otp(self, actor: Actor, app_id: UUID) -> OtpIssued:
        actor.require_app_manager()
        app = self.store.owned(actor, app_id, IntegrationApp)
        otp, digest = self.developers.new_otp_digest()
        app.reset_otp(digest, self.clock.now() + OTP_TTL, actor.as_event_data())
        return OtpIssued(app, otp, self.store.record(app))

    def record_expiries(self, app_id: UUID) -> list[str]:
        """The expiry recorder's command: records each expiry of this app, and each warning
        that its client secret is about to expire, once."""
        app = self.store.get(app_id, IntegrationApp)
        now, system = self.clock.now(), Actor.system("expiry-recorder").as_event_data()
        recorded = []
        link = app.developer
        if link is not None and app.otp_expiry_due(now):
            app.record_otp_expired(link.otp_expires_at, system)
            recorded.append("otp")
        signed_up = link is not None and self.developers.has_portal_account(link.email)
        if link is not None and app.invite_expiry_due(now, signed_up):
            app.record_invite_expired(link.invite_expires_at, system)  # type: ignore[arg-type]
            recorded.append("invite")
        if app.warn_secret_expiry(now, system) is not None:
            recorded.append("secret_warning")
        if recorded:
            self.store.record(app)
        return recorded
