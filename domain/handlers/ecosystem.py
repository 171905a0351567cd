"""Partner integrations (SPEC 12): listing an app, the team's review, installing a listing
into another group, and delisting."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.actor import Actor
from domain.apps import IntegrationApp
from domain.catalog import NEW_INTEGRATION, PARTNER_INTEGRATION
from domain.ecosystem import RESUBMITTABLE, Listing
from domain.errors import ConflictError, NotFoundError, ValidationError
from domain.groups import Group
from domain.handlers.apps import name_claims
from domain.handlers.developer_link import DeveloperLinker
from domain.naming import is_email, normalise_email, readable_name
from domain.store import EventStore


@dataclass(frozen=True)
class ListingRecorded:
    listing: Listing
    position: int


@dataclass(frozen=True)
class Installed:
    app: IntegrationApp
    listing: Listing
    otp: str
    position: int


@dataclass(frozen=True)
class ListingText:
    summary: str
    description: str
    support_email: str
    website: str


def _listing_text(fields: dict[str, Any]) -> ListingText:
    email = normalise_email(str(fields.get("support_email") or ""))
    if not is_email(email):
        raise ValidationError("support_email must be an e-mail address", "support_email")
    website = str(fields.get("website") or "").strip()
    parts = urlsplit(website)
    if parts.scheme != "https" or not parts.hostname or len(website) > 500 or " " in website:
        raise ValidationError("website must be an https:// URL", "website")
    return ListingText(
        summary=readable_name(str(fields.get("summary") or ""), "summary", 200),
        description=readable_name(str(fields.get("description") or ""), "description", 2000),
        support_email=email,
        website=website,
    )


def _reason(reason: str) -> str:
    return readable_name(reason, "reason", 500)


class EcosystemHandler:
    def __init__(self, store: EventStore, developers: DeveloperLinker) -> None:
        self.store = store
        self.developers = developers

    # -- the partner's side: list an app of ours ---------------------------------------------
    def submit_listing(self, actor: Actor, app_id: UUID, fields: dict[str, Any]) -> ListingRecorded:
        """PUT: a new listing, or a changed one (back to review unless it is published)."""
        actor.require_app_manager()
        app = self.store.owned(actor, app_id, IntegrationApp)
        self.store.group_to_read(actor).require_integrations()
        app.require_not_revoked()
        if app.app_type != NEW_INTEGRATION:
            raise ConflictError("only New Integration apps can be listed", "type")
        text = _listing_text(fields)
        who = actor.as_event_data()
        listing = self.store.find(Listing.create_id(app.id), Listing)
        if listing is None:
            listing = Listing(
                app.id,
                app.group_id,
                text.summary,
                text.description,
                text.support_email,
                text.website,
                who,
            )
        elif listing.status in (*RESUBMITTABLE, "submitted"):
            listing.resubmit(text.summary, text.description, text.support_email, text.website, who)
        else:
            raise ConflictError(f"the listing is {listing.status}; delist it first")
        return ListingRecorded(listing, self.store.record(listing))

    def listing_of(self, actor: Actor, app_id: UUID) -> Listing:
        actor.require_app_reader()
        app = self.store.owned(actor, app_id, IntegrationApp)
        listing = self.store.find(Listing.create_id(app.id), Listing)
        if listing is None:
            raise NotFoundError("this application is not listed")
        return listing

    def withdraw_listing(self, actor: Actor, app_id: UUID) -> ListingRecorded:
        actor.require_app_manager()
        listing = self.listing_of(actor, app_id)
        listing.withdraw_or_delist(actor.as_event_data())
        return ListingRecorded(listing, self.store.record(listing))

    # -- the vendor's team reviews -----------------------------------------------------------
    def _listing(self, actor: Actor, listing_id: UUID) -> Listing:
        actor.require_staff()
        listing = self.store.find(listing_id, Listing)
        if listing is None:
            raise NotFoundError("listing not found")
        return listing

    def approve(self, actor: Actor, listing_id: UUID) -> ListingRecorded:
        listing = self._listing(actor, listing_id)
        listing.approve(actor.as_event_data())
        return ListingRecorded(listing, self.store.record(listing))

    def reject(self, actor: Actor, listing_id: UUID, reason: str) -> ListingRecorded:
        listing = self._listing(actor, listing_id)
        listing.reject(_reason(reason), actor.as_event_data())
        return ListingRecorded(listing, self.store.record(listing))

    def delist(
        self, actor: Actor, listing_id: UUID, reason: str, revoke_installations: bool
    ) -> ListingRecorded:
        """Takes the listing out of the ecosystem; each installation is told (its group's
        admins are e-mailed) and, with `revoke_installations`, revoked, all in one record."""
        listing = self._listing(actor, listing_id)
        reason, who = _reason(reason), actor.as_event_data()
        listing.delist(reason, revoke_installations, who)
        installations = [
            self.store.get(app_id, IntegrationApp) for app_id in listing.installations.values()
        ]
        for app in installations:
            app.note_delisted(reason, revoke_installations, who)
        return ListingRecorded(listing, self.store.record(listing, *installations))

    # -- another group installs ----------------------------------------------------------------
    def install(
        self,
        actor: Actor,
        listing_id: UUID,
        name: str,
        entity_ids: list[str],
        acknowledge_data_access: bool | None,
    ) -> Installed:
        """A `partner_integration` app of the actor's group, linked to the listed app's
        developer (invited or told as in SPEC 4), the OTP shown once to the installer."""
        actor.require_app_manager()
        group = self.store.group_to_read(actor)
        group.require_integrations()
        listing = self.store.find(listing_id, Listing)
        if listing is None or not listing.published:
            raise NotFoundError("listing not found")
        if acknowledge_data_access is not True:
            raise ValidationError(
                "you must acknowledge that the partner will have access to your data",
                "acknowledge_data_access",
            )
        listed = self.store.get(listing.app_id, IntegrationApp)
        if listed.developer is None:
            raise ConflictError("the partner has no developer linked; try again later")
        partner = self.store.get(listing.group_id, Group)
        who = actor.as_event_data()
        app = IntegrationApp(
            group_id=group.id,
            app_type=PARTNER_INTEGRATION,
            preset=None,
            name=readable_name(name, "name", 100),
            description=listing.summary,
            category=listed.category,
            api_permission=listed.api_permission,
            entity_ids=group.check_entities(entity_ids or []),
            client_id=secrets.token_hex(16),
            actor=who,
        )
        app.mark_installed(listing.id, partner.id, partner.name, who)
        otp, refs = self.developers.link(actor, app, listed.developer.email)
        listing.install(app.id, group.id, who)
        try:
            position = self.store.record(app, *name_claims(app), *refs, listing)
        except IntegrityError:
            # The name is taken, or another install of this listing in the group won.
            latest = self.store.find(listing_id, Listing)
            if latest is not None and group.id in latest.installations:
                raise ConflictError("your group has installed this integration already") from None
            raise ConflictError(f"the name {app.name!r} is already taken", "name") from None
        return Installed(app, listing, otp, position)
