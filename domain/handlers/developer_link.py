"""Linking a developer to an app: the invite (unless they have a portal account) and the OTP.

Shared by creating an app and by registering a developer later, so it is a collaborator of
both handlers rather than a private method one of them borrows.
"""

from __future__ import annotations

from datetime import timedelta

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.apps import IntegrationApp
from domain.credentials import InviteTokens, OtpDigests
from domain.developers import DeveloperAccount, InviteRef
from domain.errors import ValidationError
from domain.naming import is_email, normalise_email
from domain.ports import Clock, OtpGenerator
from domain.store import EventStore

INVITE_TTL = timedelta(days=3)
OTP_TTL = timedelta(days=3)


class DeveloperLinker:
    def __init__(
        self,
        store: EventStore,
        clock: Clock,
        new_otp: OtpGenerator,
        invites: InviteTokens,
        otps: OtpDigests,
    ) -> None:
        self.store = store
        self.clock = clock
        self.new_otp = new_otp
        self.invites = invites
        self.otps = otps

    def has_portal_account(self, email: str) -> bool:
        """Whether a developer with this e-mail has signed up to the portal."""
        return self.store.exists(DeveloperAccount.create_id(normalise_email(email)))

    def link(
        self, actor: Actor, app: IntegrationApp, email: str, field: str = "developer_email"
    ) -> tuple[str, list[Aggregate]]:
        """Links the developer on the (unsaved) app. Returns the new OTP (shown once) and
        the aggregates to record with the app. `field`: what the request called the address,
        for the error that names it."""
        app.require_developer_can_be_linked()
        email = normalise_email(email)
        if not is_email(email):
            raise ValidationError(f"{field} must be an e-mail address", field)
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

    def new_otp_digest(self) -> tuple[str, str]:
        otp = self.new_otp()
        return otp, self.otps.digest(otp)
