"""The ecosystem view (SPEC 12): listings with what the catalogue shows of their apps and
partners, and the installations, for the groups' catalogue and the team's review."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.apps import IntegrationApp
from domain.ecosystem import Listing, ListingStatus
from domain.groups import Group
from projections.sql import SqlCursor
from projections.view import View, iso, only_tracks

LISTING_COLUMNS = (
    "l.id, l.app_id, l.group_id, l.status, l.summary, l.description, l.support_email, "
    "l.website, l.reason, l.submitted_at, l.updated_at, a.name, a.category, a.api_permission, "
    "g.name AS partner"
)
LISTING_JOINS = (
    "FROM eco_listings l JOIN eco_apps a ON a.id = l.app_id JOIN eco_groups g ON g.id = l.group_id"
)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


class EcosystemView(View):
    name = "ecosystem"
    tables = ("eco_installations", "eco_listings", "eco_apps", "eco_groups")
    schema = (
        "CREATE TABLE IF NOT EXISTS eco_groups (id TEXT PRIMARY KEY, name TEXT NOT NULL)",
        # What a listing shows of the app it lists (only New Integration apps are listed).
        "CREATE TABLE IF NOT EXISTS eco_apps (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
        "category TEXT, api_permission TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS eco_listings (id TEXT PRIMARY KEY, app_id TEXT NOT NULL "
        "UNIQUE, group_id TEXT NOT NULL, status TEXT NOT NULL, summary TEXT NOT NULL, "
        "description TEXT NOT NULL, support_email TEXT NOT NULL, website TEXT NOT NULL, "
        "reason TEXT, submitted_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS eco_listings_status ON eco_listings (status, submitted_at)",
        "CREATE TABLE IF NOT EXISTS eco_installations (listing_id TEXT NOT NULL, "
        "group_id TEXT NOT NULL, app_id TEXT NOT NULL, PRIMARY KEY (listing_id, group_id))",
    )

    # -- reads ---------------------------------------------------------------------------------

    def catalogue(
        self, group_id: str, q: str | None = None, category: str | None = None
    ) -> list[dict[str, Any]]:
        """The published listings of other groups (a partner's own group uses the app
        itself), by name, with whether `group_id` installed each."""
        conditions, params = (
            ["l.status = ?", "l.group_id <> ?"],
            [ListingStatus.PUBLISHED, group_id],
        )
        if q:
            conditions.append(
                "(LOWER(a.name) LIKE ? ESCAPE '\\' OR LOWER(l.summary) LIKE ? ESCAPE '\\' "
                "OR LOWER(l.description) LIKE ? ESCAPE '\\')"
            )
            params += [_like(q)] * 3
        if category:
            conditions.append("a.category = ?")
            params.append(category)
        rows = self.db.query(
            f"SELECT {LISTING_COLUMNS}, i.app_id AS installed_app {LISTING_JOINS} "
            "LEFT JOIN eco_installations i ON i.listing_id = l.id AND i.group_id = ? "
            f"WHERE {' AND '.join(conditions)} ORDER BY a.name, l.id",
            [group_id, *params],
        )
        for row in rows:
            row["installed"] = row.pop("installed_app") is not None
        return rows

    def listings(self, status: str | None = None) -> list[dict[str, Any]]:
        """For the team: every listing (or those of one status), the oldest waiting first."""
        where, params = ("WHERE l.status = ?", [status]) if status else ("", [])
        return self.db.query(
            f"SELECT {LISTING_COLUMNS} {LISTING_JOINS} {where} ORDER BY l.submitted_at, l.id",
            params,
        )

    def listing(self, listing_id: str) -> dict[str, Any] | None:
        return self.db.query_one(
            f"SELECT {LISTING_COLUMNS} {LISTING_JOINS} WHERE l.id = ?", (listing_id,)
        )

    def installations(self, listing_id: str) -> int:
        row = self.db.query_one(
            "SELECT COUNT(*) AS n FROM eco_installations WHERE listing_id = ?", (listing_id,)
        )
        return int(row["n"]) if row else 0

    # -- one change per event, in the event's transaction `c` -------------------------------

    def group_registered(self, c: SqlCursor, group_id: str, name: str) -> None:
        c.execute("INSERT INTO eco_groups (id, name) VALUES (?, ?)", (group_id, name))

    def app_created(
        self, c: SqlCursor, app_id: str, name: str, category: str | None, api_permission: str
    ) -> None:
        c.execute(
            "INSERT INTO eco_apps (id, name, category, api_permission) VALUES (?, ?, ?, ?)",
            (app_id, name, category, api_permission),
        )

    def app_category_changed(self, c: SqlCursor, app_id: str, category: str | None) -> None:
        c.execute("UPDATE eco_apps SET category = ? WHERE id = ?", (category, app_id))

    def listing_submitted(
        self, c: SqlCursor, listing_id: str, app_id: str, group_id: str, fields: dict[str, str]
    ) -> None:
        c.execute(
            "INSERT INTO eco_listings (id, app_id, group_id, status, summary, description, "
            "support_email, website, submitted_at, updated_at) "
            "VALUES (?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?)",
            (
                listing_id,
                app_id,
                group_id,
                fields["summary"],
                fields["description"],
                fields["support_email"],
                fields["website"],
                fields["at"],
                fields["at"],
            ),
        )

    def listing_resubmitted(self, c: SqlCursor, listing_id: str, fields: dict[str, str]) -> None:
        c.execute(
            "UPDATE eco_listings SET status = 'submitted', reason = NULL, summary = ?, "
            "description = ?, support_email = ?, website = ?, submitted_at = ?, updated_at = ? "
            "WHERE id = ?",
            (
                fields["summary"],
                fields["description"],
                fields["support_email"],
                fields["website"],
                fields["at"],
                fields["at"],
                listing_id,
            ),
        )

    def listing_moved(
        self, c: SqlCursor, listing_id: str, status: str, reason: str | None, at: datetime
    ) -> None:
        c.execute(
            "UPDATE eco_listings SET status = ?, reason = ?, updated_at = ? WHERE id = ?",
            (status, reason, iso(at), listing_id),
        )

    def installed(self, c: SqlCursor, listing_id: str, group_id: str, app_id: str) -> None:
        c.execute(
            "INSERT INTO eco_installations (listing_id, group_id, app_id) VALUES (?, ?, ?)",
            (listing_id, group_id, app_id),
        )


def _text(e: Listing.Submitted | Listing.Resubmitted) -> dict[str, str]:
    return {
        "summary": e.summary,
        "description": e.description,
        "support_email": e.support_email,
        "website": e.website,
        "at": iso(e.timestamp) or "",
    }


class EcosystemProjection(Projection[EcosystemView]):
    name = "ecosystem"

    @singledispatchmethod
    @only_tracks
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def _(self, e: Group.Registered, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.group_registered(c, str(e.originator_id), e.name)

    @process_event.register
    def _(self, e: IntegrationApp.Created, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.app_created(c, str(e.originator_id), e.name, e.category, e.api_permission)

    @process_event.register
    def _(self, e: IntegrationApp.CategoryChanged, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.app_category_changed(c, str(e.originator_id), e.category)

    @process_event.register
    def _(self, e: Listing.Submitted, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.listing_submitted(
                c, str(e.originator_id), str(e.app_id), str(e.group_id), _text(e)
            )

    @process_event.register
    def _(self, e: Listing.Resubmitted, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.listing_resubmitted(c, str(e.originator_id), _text(e))

    @process_event.register
    def _(self, e: Listing.Withdrawn, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.listing_moved(c, str(e.originator_id), "withdrawn", None, e.timestamp)

    @process_event.register
    def _(self, e: Listing.Approved, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.listing_moved(c, str(e.originator_id), "published", None, e.timestamp)

    @process_event.register
    def _(self, e: Listing.Rejected, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.listing_moved(c, str(e.originator_id), "rejected", e.reason, e.timestamp)

    @process_event.register
    def _(self, e: Listing.Delisted, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.listing_moved(c, str(e.originator_id), "delisted", e.reason, e.timestamp)

    @process_event.register
    def _(self, e: Listing.Installed, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.installed(c, str(e.originator_id), str(e.group_id), str(e.app_id))
