"""An integration application, its developer link (invite + OTP) and its unique name."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, TypeAlias
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.catalog import MANAGED_TYPES
from domain.errors import ConflictError, NotFoundError, ValidationError
from domain.naming import index_id
from domain.status import Status, StatusFacts, status_of

OTP_MAX_ATTEMPTS = 5
# Days before a client secret expires when its developer and admins are warned (SPEC 14).
SECRET_WARNING_DAYS = (30, 7, 1)
MAX_CLIENT_KEYS = 2
PROGRESS_STATES = ("in_progress", "done")


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
# What `IntegrationApp.edit` may change, in the order its events are recorded.
EDITABLE = ("description", "category", "entity_ids", "allowed_ips", "rate_limit_per_minute")
MAX_RATE_LIMIT = 100_000


class SecretCheck(Enum):
    WRONG = "wrong"
    EXPIRED = "expired"
    VALID = "valid"


@dataclass(frozen=True)
class SecretMatch:
    """What a presented client secret turned out to be, and which of the app's secrets
    it is (the version of the event that issued it, carried in the tokens it obtains)."""

    check: SecretCheck
    version: int | None = None


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

    class DescriptionChanged(Aggregate.Event):
        description: str
        actor: Actor

    class CategoryChanged(Aggregate.Event):
        category: str | None
        actor: Actor

    class EntitiesChanged(Aggregate.Event):
        entity_ids: list[str]
        actor: Actor

    class AllowedIpsChanged(Aggregate.Event):
        allowed_ips: list[str]
        actor: Actor

    class RateLimitChanged(Aggregate.Event):
        rate_limit_per_minute: int | None  # None: the deployment's default
        actor: Actor

    class Edited(Aggregate.Event):
        """LEGACY, never triggered again: stores written before the changed-field events
        above hold one of these per edit. Kept so they load and replay as they always did.
        (eventsourcing's upcasting rewrites an event's state within its class; it cannot
        turn one stored event into several of other classes.)"""

        changes: dict[str, Any]
        actor: Actor

        def apply(self, aggregate: Any) -> None:
            for key, value in self.changes.items():
                setattr(aggregate, key, value)

        def split(self) -> list[FieldChanged]:
            """The changed-field events this edit stands for, in its own order, sharing its
            id, version, time and actor: what projections handle instead of the dict."""
            kinds: dict[str, Callable[..., FieldChanged]] = {
                "description": IntegrationApp.DescriptionChanged,
                "category": IntegrationApp.CategoryChanged,
                "entity_ids": IntegrationApp.EntitiesChanged,
            }
            # Edits never held other fields: the handler refused them from the start.
            return [
                kinds[key](
                    originator_id=self.originator_id,
                    originator_version=self.originator_version,
                    timestamp=self.timestamp,
                    actor=self.actor,
                    **{key: value},
                )
                for key, value in self.changes.items()
                if key in kinds
            ]

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
        expires_at: datetime | None  # None: issued before secrets expired (SPEC 14)
        actor: Actor

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["expires_at"] = None

    class PreviousSecretRetired(Aggregate.Event):
        actor: Actor

    class SecretsEnded(Aggregate.Event):
        """Every secret of the app ended at once (no grace), and every token they obtained."""

        ended_version: int
        actor: Actor

    class SecretExpiryWarned(Aggregate.Event):
        days: int
        expires_at: datetime
        actor: Actor

    class PartnerInstalled(Aggregate.Event):
        """This app is an installation of a partner's listing (SPEC 12)."""

        listing_id: UUID
        partner_group_id: UUID
        partner: str  # the partner group's name, as it was at the installation
        actor: Actor

    class PartnerDelisted(Aggregate.Event):
        """The listing this app was installed from left the ecosystem."""

        reason: str
        revoked: bool
        actor: Actor

    class ProgressNoted(Aggregate.Event):
        """The vendor's team on a managed app (AIQ Integrate, Connector): where it stands."""

        state: str
        note: str
        actor: Actor

    class ClientKeyAdded(Aggregate.Event):
        kid: str
        jwk: dict[str, Any]  # the public key only: the handler refuses private parts
        actor: Actor

    class ClientKeyRemoved(Aggregate.Event):
        kid: str
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
        self.allowed_ips: list[str] = []
        self.rate_limit_per_minute: int | None = None
        self.secret_digest: str | None = None
        self.secret_version: int | None = None
        self.secret_expires_at: datetime | None = None
        self.secret_warned_days: int | None = None
        self.previous_secret_digest: str | None = None
        self.previous_secret_version: int | None = None
        self.previous_valid_until: datetime | None = None
        # Tokens obtained with a secret of this version or older no longer work.
        self.secrets_ended_version = 0
        self.client_keys: dict[str, dict[str, Any]] = {}
        self.progress: str | None = None  # the team's, on managed apps
        self.listing_id: UUID | None = None  # a partner integration's listing

    # -- edits and revoke ------------------------------------------------------------------
    # Each command checks its rules, then triggers its event (the `_` method, which is also
    # what replays the event, so it only applies it).
    def require_not_revoked(self) -> None:
        if self.revoked:
            raise ConflictError("the application is revoked")

    def edit(self, changes: dict[str, Any], actor: Actor) -> bool:
        """One event per field that differs, always in EDITABLE order, so one save records
        them together; False when nothing differed."""
        self.require_not_revoked()
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
        changed = {
            k: changes[k] for k in EDITABLE if k in changes and getattr(self, k) != changes[k]
        }
        if "description" in changed:
            self._change_description(changed["description"], actor)
        if "category" in changed:
            self._change_category(changed["category"], actor)
        if "entity_ids" in changed:
            self._change_entities(changed["entity_ids"], actor)
        if "allowed_ips" in changed:
            self._change_allowed_ips(changed["allowed_ips"], actor)
        if "rate_limit_per_minute" in changed:
            self._change_rate_limit(changed["rate_limit_per_minute"], actor)
        return bool(changed)

    @event(DescriptionChanged)
    def _change_description(self, description: str, actor: Actor) -> None:
        self.description = description

    @event(CategoryChanged)
    def _change_category(self, category: str | None, actor: Actor) -> None:
        self.category = category

    @event(EntitiesChanged)
    def _change_entities(self, entity_ids: list[str], actor: Actor) -> None:
        self.entity_ids = list(entity_ids)

    @event(AllowedIpsChanged)
    def _change_allowed_ips(self, allowed_ips: list[str], actor: Actor) -> None:
        self.allowed_ips = list(allowed_ips)

    @event(RateLimitChanged)
    def _change_rate_limit(self, rate_limit_per_minute: int | None, actor: Actor) -> None:
        self.rate_limit_per_minute = rate_limit_per_minute

    def revoke(self, actor: Actor) -> None:
        self.require_not_revoked()
        self._revoke(actor)

    @event(Revoked)
    def _revoke(self, actor: Actor) -> None:
        self.revoked = True

    # -- developer link --------------------------------------------------------------------
    def require_developer(self) -> DeveloperLink:
        if self.developer is None:
            raise ConflictError("no developer is linked to this application")
        return self.developer

    def require_developer_can_be_linked(self) -> None:
        self.require_not_revoked()
        if self.developer is not None:
            raise ConflictError("a developer is already linked; revoke their access first")

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
        self.require_developer_can_be_linked()
        self._link_developer(
            email,
            linked_at,
            signed_up,
            invite_id,
            invite_expires_at,
            otp_digest,
            otp_expires_at,
            actor,
        )

    @event(DeveloperLinked)
    def _link_developer(
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

    def resend_invite(
        self, invite_id: str, invite_expires_at: datetime, signed_up: bool, actor: Actor
    ) -> None:
        """`signed_up`: whether the developer has a portal account by now."""
        self.require_not_revoked()
        link = self.require_developer()
        if link.signed_up or signed_up:
            raise ConflictError("the developer has already signed up to the portal")
        self._resend_invite(invite_id, invite_expires_at, actor)

    @event(InviteResent)
    def _resend_invite(self, invite_id: str, invite_expires_at: datetime, actor: Actor) -> None:
        link = self.require_developer()
        link.invite_id, link.invite_expires_at = invite_id, invite_expires_at
        link.invite_expiry_recorded = False

    def revoke_developer(self, actor: Actor) -> None:
        self.require_not_revoked()
        self._revoke_developer(self.require_developer().email, actor)

    @event(DeveloperAccessRevoked)
    def _revoke_developer(self, email: str, actor: Actor) -> None:
        self.developer = None

    def reset_otp(self, otp_digest: str, otp_expires_at: datetime, actor: Actor) -> None:
        self.require_not_revoked()
        if self.require_developer().otp_verified:
            raise ConflictError("the developer has already verified this application")
        self._reset_otp(otp_digest, otp_expires_at, actor)

    @event(OtpReset)
    def _reset_otp(self, otp_digest: str, otp_expires_at: datetime, actor: Actor) -> None:
        link = self.require_developer()
        link.otp_digest, link.otp_expires_at = otp_digest, otp_expires_at
        link.otp_attempts, link.otp_verified = 0, False
        link.otp_expiry_recorded = False

    def try_otp(self, matches: Callable[[str], bool], now: datetime, actor: Actor) -> bool:
        """One attempt at the OTP: verifies the app, or counts a wrong attempt (the fifth
        locks it). `matches` checks a stored digest. Refuses an app whose OTP is not usable."""
        link = self.check_otp_usable(now)
        if link.otp_digest and matches(link.otp_digest):
            self._verify_otp(actor)
            return True
        attempts = link.otp_attempts + 1
        self._fail_otp_attempt(attempts, attempts >= OTP_MAX_ATTEMPTS, actor)
        return False

    @property
    def otp_attempts_left(self) -> int:
        return OTP_MAX_ATTEMPTS - self.require_developer().otp_attempts

    @event(OtpAttemptFailed)
    def _fail_otp_attempt(self, attempts: int, locked: bool, actor: Actor) -> None:
        self.require_developer().otp_attempts = attempts

    @event(OtpVerified)
    def _verify_otp(self, actor: Actor) -> None:
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
            and self.status_at(now) is Status.OTP_EXPIRED
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
    def replace_secret(
        self, secret_digest: str, grace_until: datetime, expires_at: datetime, actor: Actor
    ) -> None:
        """A new client secret valid until `expires_at`; the one it replaces keeps working
        until `grace_until` (or its own expiry, if sooner). The first secret comes with
        verification; later ones need a verified, live app."""
        self.require_not_revoked()
        if self.secret_digest is None and not (self.developer and self.developer.otp_verified):
            raise ConflictError("verify the application with its OTP first")
        previous = self.secret_digest
        until = None
        if previous is not None:
            until = grace_until
            if self.secret_expires_at is not None:
                until = min(until, self.secret_expires_at)
        self._issue_credentials(secret_digest, previous, until, expires_at, actor=actor)

    @event(CredentialsIssued)
    def _issue_credentials(
        self,
        secret_digest: str,
        previous_secret_digest: str | None,
        previous_valid_until: datetime | None,
        expires_at: datetime | None,
        actor: Actor,
    ) -> None:
        self.previous_secret_version = self.secret_version if previous_secret_digest else None
        self.secret_digest = secret_digest
        self.secret_version = self.version + 1  # this event's version, on replay too
        self.secret_expires_at = expires_at
        self.secret_warned_days = None
        self.previous_secret_digest = previous_secret_digest
        self.previous_valid_until = previous_valid_until

    def retire_previous_secret(self, now: datetime, actor: Actor) -> None:
        """Ends the previous secret's grace period now."""
        until = self.previous_valid_until
        if self.previous_secret_digest is None or until is None or now >= until:
            raise ConflictError("there is no previous secret in its grace period")
        self._retire_previous_secret(actor)

    @event(PreviousSecretRetired)
    def _retire_previous_secret(self, actor: Actor) -> None:
        self.previous_secret_digest = None
        self.previous_secret_version = None
        self.previous_valid_until = None

    def end_secrets(self, actor: Actor) -> None:
        """Ends the current secret (and a previous one still in its grace period) now, and
        with them every token they obtained. A new secret can be generated afterwards."""
        self.require_not_revoked()
        if self.secret_digest is None or self.secret_version is None:
            raise ConflictError("the application has no client secret to end")
        self._end_secrets(self.secret_version, actor)

    @event(SecretsEnded)
    def _end_secrets(self, ended_version: int, actor: Actor) -> None:
        self.secrets_ended_version = ended_version
        self.secret_digest = self.previous_secret_digest = None
        self.secret_version = self.previous_secret_version = None
        self.secret_expires_at = self.previous_valid_until = None
        self.secret_warned_days = None

    def match_secret(self, secret_digest: str, now: datetime) -> SecretMatch:
        """The current secret (unless expired), or the previous one during its grace
        period. Both digests are always compared, in constant time."""
        current = self.secret_digest is not None and hmac.compare_digest(
            self.secret_digest, secret_digest
        )
        previous = (
            self.previous_secret_digest is not None
            and self.previous_valid_until is not None
            and hmac.compare_digest(self.previous_secret_digest, secret_digest)
        )
        if current:
            if self.secret_expires_at is not None and now >= self.secret_expires_at:
                return SecretMatch(SecretCheck.EXPIRED)
            return SecretMatch(SecretCheck.VALID, self.secret_version)
        if previous and self.previous_valid_until is not None and now < self.previous_valid_until:
            return SecretMatch(SecretCheck.VALID, self.previous_secret_version)
        return SecretMatch(SecretCheck.WRONG)

    def secret_is_valid(self, secret_digest: str, now: datetime) -> bool:
        return self.match_secret(secret_digest, now).check is SecretCheck.VALID

    def secret_version_ended(self, version: int | None) -> bool:
        """Whether a token obtained with the secret of `version` was ended with it. None:
        a token obtained with a key, which ending secrets does not touch; 0: a token from
        before secrets had versions, which any ending covers."""
        return version is not None and version <= self.secrets_ended_version

    # Secret expiry warnings (SPEC 14): each threshold once; a late check sends only the
    # nearest one (a secret 5 days from expiry gets the 7-day warning, not the 30-day too).
    def secret_warning_due(self, now: datetime) -> int | None:
        expires = self.secret_expires_at
        if self.revoked or self.secret_digest is None or expires is None or now >= expires:
            return None
        due = [d for d in SECRET_WARNING_DAYS if expires - timedelta(days=d) <= now]
        if not due:
            return None
        days = min(due)
        warned = self.secret_warned_days
        return days if warned is None or days < warned else None

    def warn_secret_expiry(self, now: datetime, actor: Actor) -> int | None:
        days = self.secret_warning_due(now)
        if days is not None and self.secret_expires_at is not None:
            self._warn_secret_expiry(days, self.secret_expires_at, actor)
        return days

    @event(SecretExpiryWarned)
    def _warn_secret_expiry(self, days: int, expires_at: datetime, actor: Actor) -> None:
        self.secret_warned_days = days

    # -- partner integrations (SPEC 12) ------------------------------------------------------
    @event(PartnerInstalled)
    def mark_installed(
        self, listing_id: UUID, partner_group_id: UUID, partner: str, actor: Actor
    ) -> None:
        self.listing_id = listing_id

    def note_delisted(self, reason: str, revoke: bool, actor: Actor) -> None:
        """The listing was delisted; with `revoke`, this installation stops (if it runs)."""
        revoking = revoke and not self.revoked
        self._note_delisted(reason, revoking, actor)
        if revoking:
            self._revoke(actor)

    @event(PartnerDelisted)
    def _note_delisted(self, reason: str, revoked: bool, actor: Actor) -> None:
        pass

    # -- the vendor's team on managed apps (SPEC 11) ------------------------------------------
    def note_progress(self, state: str, note: str, actor: Actor) -> None:
        self.require_not_revoked()
        if self.app_type not in MANAGED_TYPES:
            raise ConflictError("only AIQ Integrate and Connector apps are the team's to set up")
        if state not in PROGRESS_STATES:
            raise ValidationError(f"state must be one of {', '.join(PROGRESS_STATES)}", "state")
        self._note_progress(state, note, actor)

    @event(ProgressNoted)
    def _note_progress(self, state: str, note: str, actor: Actor) -> None:
        self.progress = state

    # -- private_key_jwt (RFC 7523): public keys the developer registers ---------------------
    def add_client_key(self, kid: str, jwk: dict[str, Any], actor: Actor) -> None:
        self.require_not_revoked()
        if kid in self.client_keys:
            raise ConflictError(f"a key with kid {kid!r} is already registered", "kid")
        if len(self.client_keys) >= MAX_CLIENT_KEYS:
            raise ConflictError(
                f"an application holds at most {MAX_CLIENT_KEYS} keys; delete one first", "jwk"
            )
        self._add_client_key(kid, jwk, actor)

    @event(ClientKeyAdded)
    def _add_client_key(self, kid: str, jwk: dict[str, Any], actor: Actor) -> None:
        self.client_keys[kid] = dict(jwk)

    def remove_client_key(self, kid: str, actor: Actor) -> None:
        self.require_not_revoked()
        if kid not in self.client_keys:
            raise NotFoundError(f"no key with kid {kid!r}")
        self._remove_client_key(kid, actor)

    @event(ClientKeyRemoved)
    def _remove_client_key(self, kid: str, actor: Actor) -> None:
        del self.client_keys[kid]

    @property
    def may_obtain_tokens(self) -> bool:
        """Live, and holding a secret or a key to authenticate with."""
        return not self.revoked and (self.secret_digest is not None or bool(self.client_keys))

    # -- derived state ---------------------------------------------------------------------
    def status_facts(self) -> StatusFacts:
        link = self.developer
        return StatusFacts(
            revoked=self.revoked,
            developer_linked=link is not None,
            app_type=self.app_type,
            ever_had_developer=self.ever_had_developer,
            otp_verified=link is not None and link.otp_verified,
            otp_locked=link is not None and link.otp_attempts >= OTP_MAX_ATTEMPTS,
            otp_expires_at=None if link is None else link.otp_expires_at,
        )

    def status_at(self, now: datetime) -> Status:
        return status_of(self.status_facts(), now)

    def check_otp_usable(self, now: datetime) -> DeveloperLink:
        self.require_not_revoked()
        link = self.require_developer()
        status = self.status_at(now)
        if status is Status.ACTIVE:
            raise ConflictError("the application is already verified", "otp")
        if status is Status.OTP_LOCKED:
            raise ConflictError("the OTP is locked after too many wrong attempts", "otp")
        if status is Status.OTP_EXPIRED:
            raise ValidationError("the OTP has expired; ask your admin for a new one", "otp")
        return link


# The events one edit records, one per field it changed.
FieldChanged: TypeAlias = (
    IntegrationApp.DescriptionChanged
    | IntegrationApp.CategoryChanged
    | IntegrationApp.EntitiesChanged
    | IntegrationApp.AllowedIpsChanged
    | IntegrationApp.RateLimitChanged
)


def fields_changed(e: FieldChanged | IntegrationApp.Edited) -> list[FieldChanged]:
    """What projections iterate: the event itself, or a legacy Edited split per field."""
    return e.split() if isinstance(e, IntegrationApp.Edited) else [e]


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
