"""Partner integrations (SPEC 12): a group lists one of its apps, the vendor's team reviews
the listing, other groups install it.

A listing is named by the app it lists (one each). It keeps its installations, so that a
second one in the same group is refused by the store itself (two installs racing record
the listing's same next version: one wins), and a delist can revoke them all at once.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError
from domain.naming import index_id

Actor = dict[str, Any]


class ListingStatus:
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    DELISTED = "delisted"


LISTING_STATUSES = (
    ListingStatus.SUBMITTED,
    ListingStatus.PUBLISHED,
    ListingStatus.REJECTED,
    ListingStatus.WITHDRAWN,
    ListingStatus.DELISTED,
)
# What the owning group may (re)submit over: anything not live or waiting.
RESUBMITTABLE = (ListingStatus.REJECTED, ListingStatus.WITHDRAWN, ListingStatus.DELISTED)


class Listing(Aggregate):
    class Submitted(Aggregate.Created):
        app_id: UUID
        group_id: UUID
        summary: str
        description: str
        support_email: str
        website: str
        actor: Actor

    class Resubmitted(Aggregate.Event):
        app_id: UUID
        summary: str
        description: str
        support_email: str
        website: str
        actor: Actor

    class Withdrawn(Aggregate.Event):
        app_id: UUID
        actor: Actor

    class Approved(Aggregate.Event):
        app_id: UUID
        actor: Actor

    class Rejected(Aggregate.Event):
        app_id: UUID
        reason: str
        actor: Actor

    class Delisted(Aggregate.Event):
        app_id: UUID
        reason: str
        revoke_installations: bool
        actor: Actor

    class Installed(Aggregate.Event):
        app_id: UUID  # the installation: an app of the installing group
        group_id: UUID
        actor: Actor

    @staticmethod
    def create_id(app_id: UUID) -> UUID:
        return index_id("listing", str(app_id))

    @event(Submitted)
    def __init__(
        self,
        app_id: UUID,
        group_id: UUID,
        summary: str,
        description: str,
        support_email: str,
        website: str,
        actor: Actor,
    ) -> None:
        self.app_id = app_id
        self.group_id = group_id
        self._set(summary, description, support_email, website)
        self.status = ListingStatus.SUBMITTED
        self.reason: str | None = None
        self.installations: dict[UUID, UUID] = {}  # installing group -> its app

    def _set(self, summary: str, description: str, support_email: str, website: str) -> None:
        self.summary = summary
        self.description = description
        self.support_email = support_email
        self.website = website

    def resubmit(
        self, summary: str, description: str, support_email: str, website: str, actor: Actor
    ) -> None:
        if self.status == ListingStatus.PUBLISHED:
            raise ConflictError("the listing is published; delist it before changing it")
        self._resubmit(self.app_id, summary, description, support_email, website, actor)

    @event(Resubmitted)
    def _resubmit(
        self,
        app_id: UUID,
        summary: str,
        description: str,
        support_email: str,
        website: str,
        actor: Actor,
    ) -> None:
        self._set(summary, description, support_email, website)
        self.status, self.reason = ListingStatus.SUBMITTED, None

    def withdraw_or_delist(self, actor: Actor) -> None:
        """The owning group's DELETE: a submitted listing is withdrawn, a published one
        delisted (its installations go on)."""
        if self.status == ListingStatus.SUBMITTED:
            self._withdraw(self.app_id, actor)
        elif self.status == ListingStatus.PUBLISHED:
            self._delist(self.app_id, "delisted by its owner", False, actor)
        else:
            raise ConflictError(f"the listing is {self.status}: nothing to withdraw")

    @event(Withdrawn)
    def _withdraw(self, app_id: UUID, actor: Actor) -> None:
        self.status = ListingStatus.WITHDRAWN

    def approve(self, actor: Actor) -> None:
        self._require(ListingStatus.SUBMITTED)
        self._approve(self.app_id, actor)

    @event(Approved)
    def _approve(self, app_id: UUID, actor: Actor) -> None:
        self.status, self.reason = ListingStatus.PUBLISHED, None

    def reject(self, reason: str, actor: Actor) -> None:
        self._require(ListingStatus.SUBMITTED)
        self._reject(self.app_id, reason, actor)

    @event(Rejected)
    def _reject(self, app_id: UUID, reason: str, actor: Actor) -> None:
        self.status, self.reason = ListingStatus.REJECTED, reason

    def delist(self, reason: str, revoke_installations: bool, actor: Actor) -> None:
        self._require(ListingStatus.PUBLISHED)
        self._delist(self.app_id, reason, revoke_installations, actor)

    @event(Delisted)
    def _delist(self, app_id: UUID, reason: str, revoke_installations: bool, actor: Actor) -> None:
        self.status, self.reason = ListingStatus.DELISTED, reason

    def install(self, app_id: UUID, group_id: UUID, actor: Actor) -> None:
        self._require(ListingStatus.PUBLISHED, "the listing is not published")
        if group_id == self.group_id:
            raise ConflictError("a partner's own group uses the app itself, not an installation")
        if group_id in self.installations:
            raise ConflictError("your group has installed this integration already")
        self._install(app_id, group_id, actor)

    @property
    def published(self) -> bool:
        return self.status == ListingStatus.PUBLISHED

    @event(Installed)
    def _install(self, app_id: UUID, group_id: UUID, actor: Actor) -> None:
        self.installations[group_id] = app_id

    def _require(self, status: str, message: str | None = None) -> None:
        if self.status != status:
            raise ConflictError(message or f"the listing is {self.status}, not {status}")
