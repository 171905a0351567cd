"""The activity log: one row per event of an app, in words an admin can read, no secrets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.accounting import Customer
from domain.api_audit import DeniedCall
from domain.apps import FieldChanged, IntegrationApp, fields_changed
from domain.ecosystem import Listing
from domain.groups import INTEGRATIONS_PLAN, Group
from domain.mail_delivery import UndeliveredMail
from domain.tokens import AccessToken
from domain.users import User
from projections.sql import SqlCursor, SqlDatabase
from projections.view import View, iso, only_tracks

CHUNK = 5000
# The group-wide export's chunk: the most rows held at once, whatever the export's size.
EXPORT_CHUNK = 1000
# The key of a group's own lines (users, permissions, plan) in the activity_log table.
GROUP_LOG = "group:"
INSERT_LINE = (
    "INSERT INTO activity_log (app_id, position, occurred_at, event, actor_type, actor, "
    "details) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
# The outbox's kinds of e-mail (projections/mail_outbox.py), as the log names them.
MAIL_KINDS: dict[str, str] = {
    "invite": "invite",
    "app_linked": "notice of the linked app",
    "signup_code": "sign-up code",
    "otp_reset": "notice of the OTP reset",
    "access_revoked": "notice of the revoked access",
    "team_new_app": "new-app request",
    "secret_ended": "notice of the ended client secret",
    "secret_expiring": "warning of the expiring client secret",
    "listing_published": "notice of the published listing",
    "listing_rejected": "notice of the rejected listing",
    "partner_delisted": "notice of the delisted partner integration",
}


class ActivityLogView(View):
    name = "activity_log"
    tables = ("activity_log", "activity_entities", "activity_apps", "activity_users")
    schema = (
        "CREATE TABLE IF NOT EXISTS activity_log (app_id TEXT NOT NULL, "
        "position BIGINT NOT NULL, occurred_at TEXT, event TEXT, actor_type TEXT, actor TEXT, "
        "details TEXT, PRIMARY KEY (app_id, position))",
        "CREATE TABLE IF NOT EXISTS activity_entities (id TEXT PRIMARY KEY, code TEXT)",
        # Each log's group: an app's (a group's event, its plan, gives a line in each of its
        # apps' logs) and the group's own log of users, permissions and plan, kept under the
        # key GROUP_LOG + its id. The group's audit export reads them all through this table.
        "CREATE TABLE IF NOT EXISTS activity_apps (app_id TEXT PRIMARY KEY, "
        "group_id TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS activity_apps_group ON activity_apps (group_id)",
        # Users' events do not name their group; their registration does.
        "CREATE TABLE IF NOT EXISTS activity_users (user_id TEXT PRIMARY KEY, "
        "group_id TEXT NOT NULL, email TEXT NOT NULL)",
        # The group-wide export reads lines in event order.
        "CREATE INDEX IF NOT EXISTS activity_log_position ON activity_log (position, app_id)",
    )

    def create_tables(self) -> None:
        upgrading = self.db.table_exists("activity_log") and not self.db.table_exists(
            "activity_apps"
        )
        super().create_tables()
        if upgrading and self.db.table_exists("app_list"):
            # A log from before the table: the apps it has seen so far, with their groups,
            # as the list view has them (a rebuild gets the same from the events).
            with self.db.transaction() as c:
                c.execute(
                    "INSERT INTO activity_apps (app_id, group_id) SELECT id, group_id "
                    "FROM app_list ON CONFLICT (app_id) DO NOTHING"
                )

    def __init__(self, db: SqlDatabase) -> None:
        super().__init__(db)
        # An entity's code never changes once added, so what was read once is kept: a read
        # in the middle of a pipelined batch is a round trip the batch waits for.
        self._codes: dict[str, str] = {}

    def group_rows(
        self,
        group_id: str,
        since: str | None = None,
        until: str | None = None,
        app_id: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every line of the group (its apps' and its own), in event order, optionally of one
        app and between two moments; read in chunks, so memory stays flat however many."""
        conditions, params = ["a.group_id = ?"], [group_id]
        if app_id:
            conditions.append("l.app_id = ?")
            params.append(app_id)
        if since:
            conditions.append("l.occurred_at >= ?")
            params.append(since)
        if until:
            conditions.append("l.occurred_at <= ?")
            params.append(until)
        after: tuple[int, str] = (-1, "")
        while True:
            chunk = self.db.query(
                "SELECT l.position, l.occurred_at, l.app_id, l.event, l.actor_type, l.actor, "
                "l.details FROM activity_log l JOIN activity_apps a ON a.app_id = l.app_id "
                f"WHERE {' AND '.join(conditions)} "
                "AND (l.position > ? OR (l.position = ? AND l.app_id > ?)) "
                "ORDER BY l.position, l.app_id LIMIT ?",
                (*params, after[0], after[0], after[1], EXPORT_CHUNK),
            )
            for row in chunk:
                if row["app_id"].startswith(GROUP_LOG):
                    row["app_id"] = ""  # the group's own line: no app
                yield row
            if len(chunk) < EXPORT_CHUNK:
                return
            after = (chunk[-1]["position"], chunk[-1]["app_id"])

    def rows(self, app_id: str) -> Iterator[dict[str, Any]]:
        """Every row of one app, oldest first, read in chunks so memory stays flat."""
        after = -1
        while True:
            chunk = self.db.query(
                "SELECT position, occurred_at, event, actor_type, actor, details "
                "FROM activity_log WHERE app_id = ? AND position > ? "
                "ORDER BY position LIMIT ?",
                (app_id, after, CHUNK),
            )
            yield from chunk
            if len(chunk) < CHUNK:
                return
            after = chunk[-1]["position"]

    # -- what the projection writes, in the event's transaction `c` --------------------------

    def entity_added(self, c: SqlCursor, entity_id: str, code: str) -> None:
        c.execute("INSERT INTO activity_entities (id, code) VALUES (?, ?)", (entity_id, code))

    def append(
        self,
        c: SqlCursor,
        app_id: str,
        position: int,
        at: datetime,
        actor: dict[str, Any],
        event_name: str,
        details: str,
    ) -> None:
        """One line of the app's log; the event's position is its key, so never two. It is
        kept until the batch ends (`flush`) and written with the batch's other lines in one
        statement: a rebuild appends hundreds of thousands."""
        line = (app_id, position, iso(at), event_name, actor["type"], actor["name"], details)
        self._lines().append(line)

    def app_created(self, app_id: str, group_id: str) -> None:
        self._apps().append((app_id, group_id))

    def group_registered(self, group_id: str) -> None:
        self._apps().append((GROUP_LOG + group_id, group_id))

    def user_registered(self, c: SqlCursor, user_id: str, group_id: str, email: str) -> None:
        c.execute(
            "INSERT INTO activity_users (user_id, group_id, email) VALUES (?, ?, ?)",
            (user_id, group_id, email),
        )

    def user_of(self, c: SqlCursor, user_id: str) -> dict[str, Any] | None:
        row = c.execute(
            "SELECT group_id, email FROM activity_users WHERE user_id = ?", (user_id,)
        ).fetchone()
        return dict(row) if row else None

    def apps_of_group(self, c: SqlCursor, group_id: str) -> list[str]:
        """The group's apps: those written before, and those of this batch."""
        rows = c.execute(
            "SELECT app_id FROM activity_apps WHERE group_id = ? ORDER BY app_id", (group_id,)
        ).fetchall()
        written = [str(r["app_id"]) for r in rows]
        batch = [app for app, group in self._apps() if group == group_id]
        return [app for app in written + batch if not app.startswith(GROUP_LOG)]

    def flush(self, c: SqlCursor) -> None:
        apps = self._apps()
        if apps:
            c.executemany("INSERT INTO activity_apps (app_id, group_id) VALUES (?, ?)", apps)
            apps.clear()
        lines = self._lines()
        if lines:
            c.executemany(INSERT_LINE, lines)
            lines.clear()

    def discard(self) -> None:
        self._lines().clear()
        self._apps().clear()

    def _apps(self) -> list[tuple[str, str]]:
        apps: list[tuple[str, str]] | None = getattr(self._batch, "apps", None)
        if apps is None:
            apps = self._batch.apps = []
        return apps

    def _lines(self) -> list[tuple[Any, ...]]:
        """This thread's lines not written yet (each runner thread has its own batch)."""
        lines: list[tuple[Any, ...]] | None = getattr(self._batch, "lines", None)
        if lines is None:
            lines = self._batch.lines = []
        return lines

    def entity_codes(self, c: SqlCursor, entity_ids: list[str]) -> str:
        missing = sorted({e for e in entity_ids if e not in self._codes})
        if missing:
            marks = ", ".join("?" for _ in missing)
            rows = c.execute(
                f"SELECT id, code FROM activity_entities WHERE id IN ({marks})", missing
            ).fetchall()
            self._codes.update({str(row["id"]): str(row["code"]) for row in rows})
        return ", ".join(self._codes.get(e, e) for e in entity_ids)

    def clear(self) -> None:
        super().clear()
        self._codes.clear()


def _user_line(e: Any, email: str) -> tuple[str, str]:
    if isinstance(e, User.RoleChanged):
        return "user_role_changed", f"user {email} is now {e.role}"
    if isinstance(e, User.PermissionGranted):
        return "permission_granted", f"user {email} may now {e.permission}"
    if isinstance(e, User.PermissionRemoved):
        return "permission_removed", f"user {email} may no longer {e.permission}"
    return "user_renamed", f"user {email} is now called {e.full_name}"


def _listing_line(e: Any) -> tuple[str, str] | None:
    if isinstance(e, Listing.Submitted | Listing.Resubmitted):
        return "listing_submitted", f"listed for review: {e.summary}"
    if isinstance(e, Listing.Withdrawn):
        return "listing_withdrawn", "the listing was withdrawn"
    if isinstance(e, Listing.Approved):
        return "listing_published", "the listing was approved and published"
    if isinstance(e, Listing.Rejected):
        return "listing_rejected", f"the listing was rejected: {e.reason}"
    if isinstance(e, Listing.Delisted):
        then = "; installations revoked" if e.revoke_installations else ""
        return "listing_delisted", f"the listing was delisted: {e.reason}{then}"
    return None  # Installed: the installation's own log says so


def _when(moment: Any) -> str:
    return iso(moment) or ""


class ActivityLogProjection(Projection[ActivityLogView]):
    name = "activity_log"

    @singledispatchmethod
    @only_tracks
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def _(self, e: Group.Registered, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            group_id = str(e.originator_id)
            self.view.group_registered(group_id)
            self._append(c, GROUP_LOG + group_id, tracking, e, "group_registered", e.name)

    @process_event.register
    def _(self, e: Group.EntityAdded, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.entity_added(c, e.entity_id, e.code)
            details = f"entity {e.code}: {e.name}"
            self._append(c, GROUP_LOG + str(e.originator_id), tracking, e, "entity_added", details)

    @process_event.register
    def _(self, e: Group.SecretLifetimeChanged, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            details = f"client secrets issued from now on live {e.days} days"
            key = GROUP_LOG + str(e.originator_id)
            self._append(c, key, tracking, e, "secret_lifetime_changed", details)

    @process_event.register
    def _(self, e: User.Registered, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.user_registered(c, str(e.originator_id), str(e.group_id), e.email)
            rights = f"; permissions {', '.join(e.permissions)}" if e.permissions else ""
            details = f"user {e.email} ({e.full_name}) as {e.role}{rights}"
            self._append(c, GROUP_LOG + str(e.group_id), tracking, e, "user_created", details)

    @process_event.register
    def _(
        self,
        e: User.RoleChanged | User.PermissionGranted | User.PermissionRemoved | User.Renamed,
        tracking: Tracking,
    ) -> None:
        with self.view.tracked(tracking) as c:
            user = self.view.user_of(c, str(e.originator_id))
            if user is None:
                return  # a user this view never saw registered (not from this store)
            name, details = _user_line(e, user["email"])
            self._append(c, GROUP_LOG + user["group_id"], tracking, e, name, details)

    @process_event.register
    def _(self, e: IntegrationApp.Event, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            if isinstance(e, IntegrationApp.Created):
                self.view.app_created(str(e.originator_id), str(e.group_id))
            event_name, details = self._describe(c, e)
            self._append(c, str(e.originator_id), tracking, e, event_name, details)

    @process_event.register
    def _(self, e: Listing.Event, tracking: Tracking) -> None:
        """The listed app's log says what happened to its listing, and who did it."""
        with self.view.tracked(tracking) as c:
            described = _listing_line(e)
            if described is not None:
                self._append(c, str(getattr(e, "app_id", "")), tracking, e, *described)

    @process_event.register
    def _(self, e: Group.PlanChanged, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            leaving = e.previous_plan == INTEGRATIONS_PLAN and e.plan != INTEGRATIONS_PLAN
            returning = e.plan == INTEGRATIONS_PLAN and e.previous_plan != INTEGRATIONS_PLAN
            name, what = (
                ("app_suspended", f"suspended: the group moved from {e.previous_plan} to {e.plan}")
                if leaving
                else ("app_restored", f"restored: the group is back on {e.plan}")
            )
            group_id = str(e.originator_id)
            for app_id in self.view.apps_of_group(c, group_id) if leaving or returning else []:
                self._append(c, app_id, tracking, e, name, what)
            plan = f"plan changed from {e.previous_plan} to {e.plan}"
            self._append(c, GROUP_LOG + group_id, tracking, e, "plan_changed", plan)

    @process_event.register
    def _(self, e: AccessToken.Issued, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            details = f"access token issued, expires {_when(e.expires_at)}"
            self._append(c, str(e.app_id), tracking, e, "token_issued", details)

    @process_event.register
    def _(self, e: AccessToken.Revoked, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self._append(c, str(e.app_id), tracking, e, "token_revoked", "access token revoked")

    @process_event.register
    def _(self, e: Customer.Created | Customer.Updated, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            code = self.view.entity_codes(c, [e.entity_id])
            if isinstance(e, Customer.Created):
                name, details = "customer_created", f"UpdateCustomer on {code}: {e.code}"
            else:
                name = "customer_updated"
                details = f"UpdateCustomer on {code}: {', '.join(sorted(e.changes))}"
            self._append(c, str(e.app_id), tracking, e, name, details)

    @process_event.register
    def _(self, e: DeniedCall.Recorded, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            details = f"{e.operation} on {e.entity or '-'}: {e.reason}"
            self._append(c, str(e.app_id), tracking, e, "call_denied", details)

    @process_event.register
    def _(self, e: DeniedCall.Repeated, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            details = f"{e.reason}: {e.count} more refused since {_when(e.since)}, {e.total} in all"
            self._append(c, str(e.app_id), tracking, e, "calls_denied_again", details)

    @process_event.register
    def _(self, e: UndeliveredMail.Recorded, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            what = MAIL_KINDS.get(e.kind, e.kind.replace("_", " "))
            details = f"{what} to {e.recipient} could not be delivered: {e.reason}"
            self._append(c, str(e.app_id), tracking, e, "mail_undelivered", details)

    def _append(
        self, c: SqlCursor, app_id: str, tracking: Tracking, e: Any, event_name: str, details: str
    ) -> None:
        self.view.append(
            c, app_id, tracking.notification_id, e.timestamp, e.actor, event_name, details
        )

    def _field(self, c: SqlCursor, e: FieldChanged) -> str:
        if isinstance(e, IntegrationApp.DescriptionChanged):
            return f"description={e.description}"
        if isinstance(e, IntegrationApp.CategoryChanged):
            return f"category={e.category}"
        if isinstance(e, IntegrationApp.RateLimitChanged):
            limit = e.rate_limit_per_minute
            return f"rate_limit_per_minute={limit if limit is not None else 'default'}"
        if isinstance(e, IntegrationApp.AllowedIpsChanged):
            return f"allowed_ips={', '.join(e.allowed_ips) or 'any address'}"
        return f"entities={self.view.entity_codes(c, e.entity_ids)}"

    def _describe(self, c: SqlCursor, e: Any) -> tuple[str, str]:
        """Event name and details; written per event so no secret field can slip through."""
        if isinstance(e, IntegrationApp.Created):
            return "app_created", (
                f"type={e.app_type}; preset={e.preset or ''}; name={e.name}; "
                f"category={e.category or ''}; api_permission={e.api_permission}; "
                f"entities={self.view.entity_codes(c, e.entity_ids)}"
            )
        if isinstance(e, FieldChanged | IntegrationApp.Edited):
            # One line per edit event: a legacy Edited still reads as the one line it was.
            return "app_edited", "; ".join(self._field(c, p) for p in fields_changed(e))
        if isinstance(e, IntegrationApp.Revoked):
            return "app_revoked", "all API access stopped"
        if isinstance(e, IntegrationApp.DeveloperLinked):
            invite = (
                "already has a portal account"
                if e.signed_up
                else f"invite sent, expires {_when(e.invite_expires_at)}"
            )
            return "developer_linked", (
                f"developer={e.email}; {invite}; OTP issued, expires {_when(e.otp_expires_at)}"
            )
        if isinstance(e, IntegrationApp.InviteResent):
            return "invite_resent", f"new invite expires {_when(e.invite_expires_at)}"
        if isinstance(e, IntegrationApp.DeveloperAccessRevoked):
            return "developer_access_revoked", f"developer={e.email}"
        if isinstance(e, IntegrationApp.OtpReset):
            return "otp_reset", f"new OTP issued, expires {_when(e.otp_expires_at)}"
        if isinstance(e, IntegrationApp.OtpAttemptFailed):
            return "otp_attempt_failed", f"wrong OTP, attempt {e.attempts}" + (
                "; OTP locked" if e.locked else ""
            )
        if isinstance(e, IntegrationApp.OtpVerified):
            return "otp_verified", "developer verified the application"
        if isinstance(e, IntegrationApp.OtpExpired):
            return "otp_expired", f"the OTP expired at {_when(e.otp_expires_at)}"
        if isinstance(e, IntegrationApp.InviteExpired):
            return "invite_expired", f"the invite expired at {_when(e.invite_expires_at)}"
        if isinstance(e, IntegrationApp.CredentialsIssued):
            grace = (
                f"; previous secret valid until {_when(e.previous_valid_until)}"
                if e.previous_secret_digest
                else ""
            )
            expiry = f"; expires {_when(e.expires_at)}" if e.expires_at else ""
            return "client_secret_issued", "new client secret issued" + expiry + grace
        if isinstance(e, IntegrationApp.PreviousSecretRetired):
            return "previous_secret_retired", "previous client secret stopped working"
        if isinstance(e, IntegrationApp.SecretsEnded):
            return "client_secret_ended", (
                "client secret ended at once; the tokens obtained with it stopped working"
            )
        if isinstance(e, IntegrationApp.SecretExpiryWarned):
            return "secret_expiry_warned", (
                f"warned that the client secret expires {_when(e.expires_at)} ({e.days} days)"
            )
        if isinstance(e, IntegrationApp.PartnerInstalled):
            return "partner_installed", f"installed from the ecosystem: a listing of {e.partner}"
        if isinstance(e, IntegrationApp.PartnerDelisted):
            then = "; the installation was revoked" if e.revoked else "; it goes on working"
            return "partner_delisted", f"the listing was delisted: {e.reason}{then}"
        if isinstance(e, IntegrationApp.ProgressNoted):
            state = e.state.replace("_", " ")
            return "team_progress", f"{state}: {e.note}" if e.note else state
        if isinstance(e, IntegrationApp.ClientKeyAdded):
            return "client_key_added", f"public key {e.kid} ({e.jwk.get('alg')}) registered"
        if isinstance(e, IntegrationApp.ClientKeyRemoved):
            return "client_key_removed", f"public key {e.kid} deleted"
        return type(e).__name__.lower(), ""
