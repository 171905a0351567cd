"""An integration application, its developer link (invite + OTP) and its unique name."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.catalog import AIQ_INTEGRATE
from domain.errors import ConflictError, ValidationError
from domain.naming import index_id

OTP_MAX_ATTEMPTS = 5
EDITABLE_FIELDS = ("description", "category", "entity_ids")


@dataclass
class DeveloperLink:
    email: str
    linked_at: datetime
    signed_up: bool
    invite_id: str | None
    invite_expires_at: datetime | None
    otp_digest: str | None
    otp_expires_at: datetime
    otp_attempts: int = 0
    otp_verified: bool = False
    otp_expiry_recorded: bool = False
    invite_expiry_recorded: bool = False


Actor = dict[str, Any]


class IntegrationApp(Aggregate):
    class Created(Aggregate.Created):
        group_id: UUID
        app_type: str
        preset: str | None
        name: str
        description: str
        category: str | None
        api_permission: str
        entity_ids: list[str]
        client_id: str
        actor: Actor

    class Edited(Aggregate.Event):
        changes: dict[str, Any]
        actor: Actor

    class Revoked(Aggregate.Event):
        actor: Actor

    class DeveloperLinked(Aggregate.Event):
        email: str
        linked_at: datetime
        signed_up: bool
        invite_id: str | None
        invite_expires_at: datetime | None
        otp_digest: str
        otp_expires_at: datetime
        actor: Actor

    class InviteResent(Aggregate.Event):
        invite_id: str
        invite_expires_at: datetime
        actor: Actor

    class DeveloperAccessRevoked(Aggregate.Event):
        email: str
        actor: Actor

    class OtpReset(Aggregate.Event):
        otp_digest: str
        otp_expires_at: datetime
        actor: Actor

    class OtpAttemptFailed(Aggregate.Event):
        attempts: int
        locked: bool
        actor: Actor

    class OtpVerified(Aggregate.Event):
        actor: Actor

    class OtpExpired(Aggregate.Event):
        otp_expires_at: datetime
        actor: Actor

    class InviteExpired(Aggregate.Event):
        invite_expires_at: datetime
        actor: Actor

    class CredentialsIssued(Aggregate.Event):
        secret_digest: str
        previous_secret_digest: str | None
        previous_valid_until: datetime | None
        actor: Actor

    class PreviousSecretRetired(Aggregate.Event):
        actor: Actor

    @event(Created)
    def __init__(
        self,
        group_id: UUID,
        app_type: str,
        preset: str | None,
        name: str,
        description: str,
        category: str | None,
        api_permission: str,
        entity_ids: list[str],
        client_id: str,
        actor: Actor,
    ) -> None:
        self.group_id = group_id
        self.app_type = app_type
        self.preset = preset
        self.name = name
        self.description = description
        self.category = category
        self.api_permission = api_permission
        self.entity_ids = entity_ids
        self.client_id = client_id
        self.revoked = False
        self.developer: DeveloperLink | None = None
        self.ever_had_developer = False
        self.secret_digest: str | None = None
        self.previous_secret_digest: str | None = None
        self.previous_valid_until: datetime | None = None

    # -- edits and revoke ------------------------------------------------------------------
    def require_not_revoked(self) -> None:
        if self.revoked:
            raise ConflictError("the application is revoked")

    @event(Edited)
    def edit(self, changes: dict[str, Any], actor: Actor) -> None:
        for key, value in changes.items():
            setattr(self, key, value)

    @event(Revoked)
    def revoke(self, actor: Actor) -> None:
        self.revoked = True

    # -- developer link --------------------------------------------------------------------
    def require_developer(self) -> DeveloperLink:
        if self.developer is None:
            raise ConflictError("no developer is linked to this application")
        return self.developer

    @event(DeveloperLinked)
    def link_developer(
        self,
        email: str,
        linked_at: datetime,
        signed_up: bool,
        invite_id: str | None,
        invite_expires_at: datetime | None,
        otp_digest: str,
        otp_expires_at: datetime,
        actor: Actor,
    ) -> None:
        self.developer = DeveloperLink(
            email, linked_at, signed_up, invite_id, invite_expires_at, otp_digest, otp_expires_at
        )
        self.ever_had_developer = True

    @event(InviteResent)
    def resend_invite(self, invite_id: str, invite_expires_at: datetime, actor: Actor) -> None:
        link = self.require_developer()
        link.invite_id, link.invite_expires_at = invite_id, invite_expires_at
        link.invite_expiry_recorded = False

    @event(DeveloperAccessRevoked)
    def revoke_developer(self, email: str, actor: Actor) -> None:
        self.developer = None

    @event(OtpReset)
    def reset_otp(self, otp_digest: str, otp_expires_at: datetime, actor: Actor) -> None:
        link = self.require_developer()
        link.otp_digest, link.otp_expires_at = otp_digest, otp_expires_at
        link.otp_attempts, link.otp_verified = 0, False
        link.otp_expiry_recorded = False

    @event(OtpAttemptFailed)
    def fail_otp_attempt(self, attempts: int, locked: bool, actor: Actor) -> None:
        self.require_developer().otp_attempts = attempts

    @event(OtpVerified)
    def verify_otp(self, actor: Actor) -> None:
        link = self.require_developer()
        link.otp_verified, link.otp_digest = True, None

    @event(OtpExpired)
    def record_otp_expired(self, otp_expires_at: datetime, actor: Actor) -> None:
        self.require_developer().otp_expiry_recorded = True

    @event(InviteExpired)
    def record_invite_expired(self, invite_expires_at: datetime, actor: Actor) -> None:
        self.require_developer().invite_expiry_recorded = True

    def otp_expiry_due(self, now: datetime) -> bool:
        link = self.developer
        return (
            link is not None
            and not self.revoked
            and not link.otp_expiry_recorded
            and self.status_at(now) == "otp_expired"
        )

    def invite_expiry_due(self, now: datetime, signed_up: bool) -> bool:
        link = self.developer
        return (
            link is not None
            and not self.revoked
            and not signed_up
            and link.invite_id is not None
            and not link.invite_expiry_recorded
            and link.invite_expires_at is not None
            and now >= link.invite_expires_at
        )

    # -- client credentials ----------------------------------------------------------------
    @event(CredentialsIssued)
    def issue_credentials(
        self,
        secret_digest: str,
        previous_secret_digest: str | None,
        previous_valid_until: datetime | None,
        actor: Actor,
    ) -> None:
        self.secret_digest = secret_digest
        self.previous_secret_digest = previous_secret_digest
        self.previous_valid_until = previous_valid_until

    @event(PreviousSecretRetired)
    def retire_previous_secret(self, actor: Actor) -> None:
        self.previous_secret_digest = None
        self.previous_valid_until = None

    def secret_is_valid(self, secret_digest: str, now: datetime) -> bool:
        """The current secret, or the previous one during its grace period (constant time)."""
        current = self.secret_digest is not None and hmac.compare_digest(
            self.secret_digest, secret_digest
        )
        previous = (
            self.previous_secret_digest is not None
            and self.previous_valid_until is not None
            and now < self.previous_valid_until
            and hmac.compare_digest(self.previous_secret_digest, secret_digest)
        )
        return current or previous

    # -- derived state ---------------------------------------------------------------------
    def status_at(self, now: datetime) -> str:
        if self.revoked:
            return "revoked"
        link = self.developer
        if link is None:
            requested = self.app_type == AIQ_INTEGRATE and not self.ever_had_developer
            return "requested" if requested else "no_developer"
        if link.otp_verified:
            return "active"
        if link.otp_attempts >= OTP_MAX_ATTEMPTS:
            return "otp_locked"
        if now >= link.otp_expires_at:
            return "otp_expired"
        return "pending_verification"

    def check_otp_usable(self, now: datetime) -> DeveloperLink:
        self.require_not_revoked()
        link = self.require_developer()
        status = self.status_at(now)
        if status == "active":
            raise ConflictError("the application is already verified", "otp")
        if status == "otp_locked":
            raise ConflictError("the OTP is locked after too many wrong attempts", "otp")
        if status == "otp_expired":
            raise ValidationError("the OTP has expired; ask your admin for a new one", "otp")
        return link


class AppName(Aggregate):
    """Reserves a normalised app name forever, across all groups."""

    class Claimed(Aggregate.Created):
        normalised_name: str
        app_id: UUID

    @staticmethod
    def create_id(normalised_name: str) -> UUID:
        return index_id("app-name", normalised_name)

    @event(Claimed)
    def __init__(self, normalised_name: str, app_id: UUID) -> None:
        self.normalised_name = normalised_name
        self.app_id = app_id


class AppNameSkeleton(Aggregate):
    """Reserves what a name looks like (its confusable key, domain.naming), forever.

    Saved with the app next to its AppName, so 'P\u0430yroll' (a Cyrillic a) cannot be
    claimed once 'Payroll' is. Apps created before this existed have no such claim.
    """

    class Claimed(Aggregate.Created):
        key: str
        app_id: UUID

    @staticmethod
    def create_id(key: str) -> UUID:
        return index_id("app-name-skeleton", key)

    @event(Claimed)
    def __init__(self, key: str, app_id: UUID) -> None:
        self.key = key
        self.app_id = app_id


# Event attributes that hold a secret's digest or what a secret is derived from. They stay
# in the event store only; nothing that shows events to people (history, CSV) may print them.
SECRET_FIELDS = frozenset(
    {
        "otp_digest",
        "invite_id",
        "password_hash",
        "token_digest",
        "secret_digest",
        "previous_secret_digest",
        "challenge_id",
    }
)


def describe(app: IntegrationApp, now: datetime) -> dict[str, Any]:
    """The app as SPEC 7 shows it, from the aggregate (used for point-in-time state)."""
    link = app.developer
    return {
        "id": str(app.id),
        "type": app.app_type,
        "preset": app.preset,
        "name": app.name,
        "description": app.description,
        "category": app.category,
        "api_permission": app.api_permission,
        "entity_ids": list(app.entity_ids),
        "status": app.status_at(now),
        "created_at": app.created_on.isoformat(),
        "updated_at": app.modified_on.isoformat(),
        "client_id": app.client_id,
        "developer": None
        if link is None
        else {
            "email": link.email,
            "signed_up": link.signed_up,
            "invite_expires_at": link.invite_expires_at and link.invite_expires_at.isoformat(),
            "otp_verified": link.otp_verified,
            "otp_expires_at": link.otp_expires_at.isoformat(),
            "linked_at": link.linked_at.isoformat(),
        },
    }
