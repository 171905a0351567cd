"""The webhooks view (SPEC 15): each group's endpoints, and the delivery outbox.

For each event of a group that an endpoint subscribes to, one delivery row is written in the
event's transaction, so each (event, endpoint) gets exactly one row however often the
projection restarts; the sender (workers/webhook_sender.py) moves rows through their
attempts. Payloads are built here from the events' own fields, never from a secret one.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.api_audit import DeniedCall
from domain.apps import FieldChanged, IntegrationApp
from domain.groups import INTEGRATIONS_PLAN, Group
from domain.tokens import AccessToken
from domain.users import User
from domain.webhooks import ALL_EVENTS, Webhook
from projections.sql import SqlCursor, SqlDatabase
from projections.view import View, iso, only_tracks

DELIVERY_COLUMNS = (
    "id, webhook_id, position, event_type, payload, status, attempts, next_attempt_at, "
    "last_status, last_error, created_at, delivered_at"
)


# Apps (and groups) whose subscribers the runner keeps in memory, at most.
MEMO_LIMIT = 10_000


class WebhooksView(View):
    name = "webhooks"
    tables = ("wh_deliveries", "wh_endpoints", "wh_apps")
    not_from_events = {
        "wh_deliveries": (
            "status",
            "attempts",
            "next_attempt_at",
            "last_status",
            "last_error",
            "delivered_at",
        )
    }
    schema = (
        "CREATE TABLE IF NOT EXISTS wh_endpoints (id TEXT PRIMARY KEY, group_id TEXT NOT NULL, "
        "url TEXT NOT NULL, events TEXT NOT NULL, description TEXT NOT NULL, "
        "active INTEGER NOT NULL, deleted INTEGER NOT NULL, secret_nonce TEXT NOT NULL, "
        "created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS wh_endpoints_group ON wh_endpoints (group_id)",
        # Each app's group and name: app events say which app, webhooks are per group.
        "CREATE TABLE IF NOT EXISTS wh_apps (app_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, "
        "name TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS wh_deliveries (id TEXT PRIMARY KEY, "
        "webhook_id TEXT NOT NULL, position BIGINT NOT NULL, event_type TEXT NOT NULL, "
        "payload TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
        "next_attempt_at TEXT NOT NULL, last_status INTEGER, last_error TEXT, "
        "created_at TEXT NOT NULL, delivered_at TEXT)",
        "CREATE INDEX IF NOT EXISTS wh_deliveries_due ON wh_deliveries (status, next_attempt_at)",
        "CREATE INDEX IF NOT EXISTS wh_deliveries_webhook ON wh_deliveries (webhook_id, position)",
    )

    def __init__(self, db: SqlDatabase) -> None:
        super().__init__(db)
        # What the runner has read of the endpoints, so that the events of the next batches
        # ask again only when an endpoint changed: app id -> its subscription rows, group id
        # -> its active endpoints. Per thread (the runner's); see `View.forget`.
        self._memo = threading.local()

    # -- reads ---------------------------------------------------------------------------------

    def endpoints(self, group_id: str) -> list[dict[str, Any]]:
        rows = self.db.query(
            "SELECT id, url, events, description, active, created_at, updated_at "
            "FROM wh_endpoints WHERE group_id = ? AND deleted = 0 ORDER BY created_at, id",
            (group_id,),
        )
        return [_endpoint(r) for r in rows]

    def endpoint(self, webhook_id: str) -> dict[str, Any] | None:
        row = self.db.query_one(
            "SELECT id, group_id, url, events, description, active, secret_nonce, created_at, "
            "updated_at FROM wh_endpoints WHERE id = ? AND deleted = 0",
            (webhook_id,),
        )
        return _endpoint(row) if row else None

    def deliveries(self, webhook_id: str, limit: int = 100) -> list[dict[str, Any]]:
        return self.db.query(
            f"SELECT {DELIVERY_COLUMNS} FROM wh_deliveries WHERE webhook_id = ? "
            "ORDER BY position DESC LIMIT ?",
            (webhook_id, limit),
        )

    def delivery(self, delivery_id: str) -> dict[str, Any] | None:
        return self.db.query_one(
            f"SELECT {DELIVERY_COLUMNS} FROM wh_deliveries WHERE id = ?", (delivery_id,)
        )

    # -- the sender's moves (not from events) ------------------------------------------------

    def claim_due(
        self,
        now: datetime,
        lease_until: datetime,
        busy: list[str],
        limit: int = 50,
        only: str | None = None,
    ) -> list[dict[str, Any]]:
        """Due deliveries (of endpoint `only`, or of those not `busy`), leased to the caller
        until `lease_until`: another sender sees them due again only if this one dies
        before finishing them."""
        if only is not None:
            which, params = "AND webhook_id = ? ", [only]
        elif busy:
            which, params = f"AND webhook_id NOT IN ({', '.join('?' for _ in busy)}) ", busy
        else:
            which, params = "", []
        with self.db.transaction() as c:
            rows = c.execute(
                f"UPDATE wh_deliveries SET next_attempt_at = ?, attempts = attempts + 1 "
                f"WHERE id IN (SELECT id FROM wh_deliveries WHERE status = 'pending' "
                f"AND next_attempt_at <= ? {which}ORDER BY next_attempt_at, position LIMIT ?) "
                f"AND status = 'pending' AND next_attempt_at <= ? RETURNING {DELIVERY_COLUMNS}",
                (iso(lease_until), iso(now), *params, limit, iso(now)),
            ).fetchall()
        return [dict(r) for r in rows]

    def delivered(self, done: list[tuple[str, int]], at: datetime) -> None:
        """(delivery id, HTTP status) of each delivered row, in one transaction."""
        if not done:
            return
        with self.db.transaction() as c:
            c.executemany(
                "UPDATE wh_deliveries SET status = 'delivered', last_status = ?, "
                "last_error = NULL, delivered_at = ? WHERE id = ?",
                [(status, iso(at), delivery_id) for delivery_id, status in done],
            )

    def failed(
        self, delivery_id: str, status: int | None, error: str, retry_at: datetime | None
    ) -> None:
        """One more failed attempt: due again at `retry_at`, or given up (None)."""
        with self.db.transaction() as c:
            if retry_at is None:
                c.execute(
                    "UPDATE wh_deliveries SET status = 'failed', last_status = ?, "
                    "last_error = ? WHERE id = ?",
                    (status, error, delivery_id),
                )
            else:
                c.execute(
                    "UPDATE wh_deliveries SET last_status = ?, last_error = ?, "
                    "next_attempt_at = ? WHERE id = ?",
                    (status, error, iso(retry_at), delivery_id),
                )

    def redeliver(self, delivery_id: str, at: datetime) -> None:
        """Due again now, whatever became of it (a receiver that lost it asks again)."""
        with self.db.transaction() as c:
            c.execute(
                "UPDATE wh_deliveries SET status = 'pending', next_attempt_at = ?, "
                "created_at = ? WHERE id = ?",
                (iso(at), iso(at), delivery_id),
            )

    # -- one change per event, in the event's transaction `c` -------------------------------

    def endpoint_created(self, c: SqlCursor, e: Webhook.Created) -> None:
        self.forget()
        c.execute(
            "INSERT INTO wh_endpoints (id, group_id, url, events, description, active, deleted, "
            "secret_nonce, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 0, ?, ?, ?)",
            (
                str(e.originator_id),
                str(e.group_id),
                e.url,
                json.dumps(e.events),
                e.description,
                e.secret_nonce,
                iso(e.timestamp),
                iso(e.timestamp),
            ),
        )

    def endpoint_changed(self, c: SqlCursor, webhook_id: str, at: datetime, **columns: Any) -> None:
        self.forget()
        names = ", ".join(f"{name} = ?" for name in columns)
        c.execute(
            f"UPDATE wh_endpoints SET {names}, updated_at = ? WHERE id = ?",
            (*columns.values(), iso(at), webhook_id),
        )

    def app_created(self, c: SqlCursor, app_id: str, group_id: str, name: str) -> None:
        c.execute(
            "INSERT INTO wh_apps (app_id, group_id, name) VALUES (?, ?, ?)",
            (app_id, group_id, name),
        )
        endpoints = self._memo_of("groups").get(group_id)
        if endpoints is not None:  # the app's later events need not ask
            rows = [{"group_id": group_id, "name": name, **e} for e in endpoints]
            self._memo_of("apps")[app_id] = rows

    def apps_of_group(self, c: SqlCursor, group_id: str) -> list[dict[str, Any]]:
        rows = c.execute(
            "SELECT app_id, name FROM wh_apps WHERE group_id = ? ORDER BY app_id", (group_id,)
        ).fetchall()
        return [dict(r) for r in rows]

    def app_subscribers(
        self, c: SqlCursor, app_id: str, event_type: str
    ) -> tuple[dict[str, Any] | None, list[str]]:
        """The app's group and name, and the ids of its group's endpoints that want
        `event_type`, in one read (this runs for every token issued and call refused);
        (None, []) when the app is unknown or its group has no active endpoint."""
        rows = self._remembered(
            "apps",
            app_id,
            lambda: c.execute(
                "SELECT a.group_id, a.name, e.id, e.events FROM wh_apps a JOIN wh_endpoints e "
                "ON e.group_id = a.group_id AND e.active = 1 AND e.deleted = 0 WHERE a.app_id = ?",
                (app_id,),
            ).fetchall(),
        )
        if not rows:
            return None, []
        app = {"group_id": rows[0]["group_id"], "name": rows[0]["name"]}
        return app, _wanting(rows, event_type)

    def subscribers(self, c: SqlCursor, group_id: str, event_type: str) -> list[str]:
        """The ids of the group's active endpoints that want `event_type`."""
        endpoints = self._remembered(
            "groups",
            group_id,
            lambda: c.execute(
                "SELECT id, events FROM wh_endpoints WHERE group_id = ? AND active = 1 "
                "AND deleted = 0",
                (group_id,),
            ).fetchall(),
        )
        return _wanting(endpoints, event_type)

    def _remembered(
        self, kind: str, key: str, read: Callable[[], list[dict[str, Any]]]
    ) -> list[dict[str, Any]]:
        """What `read` returns for `key`, read once and then remembered (see `forget`)."""
        known = self._memo_of(kind)
        found: list[dict[str, Any]] | None = known.get(key)
        if found is None:
            found = known[key] = read()
        return found

    def _memo_of(self, kind: str) -> dict[str, Any]:
        memo: dict[str, Any] | None = getattr(self._memo, kind, None)
        if memo is None or len(memo) >= MEMO_LIMIT:  # a rebuild meets every app once
            memo = {}
            setattr(self._memo, kind, memo)
        return memo

    def forget(self) -> None:
        self._memo.apps, self._memo.groups = {}, {}

    def deliver(
        self,
        c: SqlCursor,
        wanted: list[str],
        position: int,
        event_type: str,
        at: datetime,
        data: dict[str, Any],
        part: int = 0,
    ) -> None:
        """A delivery row for each endpoint of `wanted`, due at once (its `next_attempt_at`
        sorts before any moment)."""
        if not wanted:
            return
        payload = json.dumps(
            {"type": event_type, "timestamp": iso(at), "data": data}, separators=(",", ":")
        )
        suffix = f".{part}" if part else ""
        c.executemany(
            "INSERT INTO wh_deliveries (id, webhook_id, position, event_type, payload, status, "
            "attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, '', ?)",
            [
                (
                    f"msg_{position}{suffix}_{UUID(w).hex[:12]}",
                    w,
                    position,
                    event_type,
                    payload,
                    iso(at),
                )
                for w in wanted
            ],
        )


def _wanting(endpoints: list[Any], event_type: str) -> list[str]:
    """The ids of the endpoints whose filter takes `event_type`."""
    return [
        str(e["id"]) for e in endpoints if {ALL_EVENTS, event_type} & set(json.loads(e["events"]))
    ]


def _endpoint(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    row["events"] = json.loads(row["events"])
    row["active"] = bool(row["active"])
    return row


def _actor(e: Any) -> dict[str, str]:
    actor = getattr(e, "actor", None) or {}
    return {"type": str(actor.get("type", "")), "name": str(actor.get("name", ""))}


# Each app event of SPEC 15's list: its type and what its payload adds to the app's id.
APP_EVENTS: dict[type[Any], tuple[str, tuple[str, ...]]] = {
    IntegrationApp.Revoked: ("app.revoked", ()),
    IntegrationApp.DeveloperLinked: ("developer.linked", ("email",)),
    IntegrationApp.DeveloperAccessRevoked: ("developer.removed", ("email",)),
    IntegrationApp.OtpVerified: ("app.verified", ()),
    IntegrationApp.CredentialsIssued: ("credentials.issued", ("expires_at",)),
    IntegrationApp.SecretsEnded: ("credentials.ended", ()),
    IntegrationApp.SecretExpiryWarned: ("credentials.expiring", ("days", "expires_at")),
}


def _plain(value: Any) -> Any:
    return iso(value) if isinstance(value, datetime) else value


class WebhooksProjection(Projection[WebhooksView]):
    name = "webhooks"

    @singledispatchmethod
    @only_tracks
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    # -- the endpoints ---------------------------------------------------------------------
    @process_event.register
    def _(self, e: Webhook.Created, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.endpoint_created(c, e)

    @process_event.register
    def _(self, e: Webhook.Changed, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.endpoint_changed(
                c,
                str(e.originator_id),
                e.timestamp,
                url=e.url,
                events=json.dumps(e.events),
                description=e.description,
                active=int(e.active),
            )

    @process_event.register
    def _(self, e: Webhook.SecretRotated, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.endpoint_changed(
                c, str(e.originator_id), e.timestamp, secret_nonce=e.secret_nonce
            )

    @process_event.register
    def _(self, e: Webhook.Deleted, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.endpoint_changed(c, str(e.originator_id), e.timestamp, deleted=1)

    # -- the group's events ------------------------------------------------------------------
    @process_event.register
    def _(self, e: IntegrationApp.Created, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            app_id, group_id = str(e.originator_id), str(e.group_id)
            wanted = self.view.subscribers(c, group_id, "app.created")
            self.view.app_created(c, app_id, group_id, e.name)  # after: it learns the endpoints
            data = {"app_id": app_id, "name": e.name, "type": e.app_type, "actor": _actor(e)}
            self.view.deliver(c, wanted, tracking.notification_id, "app.created", e.timestamp, data)

    @process_event.register
    def _(self, e: IntegrationApp.Event, tracking: Tracking) -> None:
        """The app events of APP_EVENTS, and edits; the others are the app's own business."""
        with self.view.tracked(tracking) as c:
            fields: tuple[str, ...] = ()
            if isinstance(e, FieldChanged | IntegrationApp.Edited):
                kind = "app.updated"
            elif type(e) in APP_EVENTS:
                kind, fields = APP_EVENTS[type(e)]
            else:
                return
            self._app_event(c, tracking, e, str(e.originator_id), kind, fields)

    @process_event.register
    def _(self, e: AccessToken.Issued, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self._app_event(c, tracking, e, str(e.app_id), "token.issued", ("expires_at",))

    @process_event.register
    def _(self, e: DeniedCall.Recorded, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self._app_event(c, tracking, e, str(e.app_id), "call.denied", ("operation", "reason"))

    @process_event.register
    def _(self, e: User.Registered, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            data = {"user_id": str(e.originator_id), "email": e.email, "role": e.role}
            wanted = self.view.subscribers(c, str(e.group_id), "user.created")
            self.view.deliver(
                c,
                wanted,
                tracking.notification_id,
                "user.created",
                e.timestamp,
                {**data, "actor": _actor(e)},
            )

    @process_event.register
    def _(self, e: Group.PlanChanged, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            group_id, position = str(e.originator_id), tracking.notification_id
            data = {"plan": e.plan, "previous_plan": e.previous_plan, "actor": _actor(e)}
            wanted = self.view.subscribers(c, group_id, "group.plan_changed")
            self.view.deliver(c, wanted, position, "group.plan_changed", e.timestamp, data)
            leaving = e.previous_plan == INTEGRATIONS_PLAN != e.plan
            returning = e.plan == INTEGRATIONS_PLAN != e.previous_plan
            if leaving or returning:
                kind = "app.suspended" if leaving else "app.restored"
                wanted = self.view.subscribers(c, group_id, kind)  # once for all the apps
                if not wanted:
                    return
                for n, app in enumerate(self.view.apps_of_group(c, group_id), start=1):
                    payload = {"app_id": app["app_id"], "name": app["name"], "actor": _actor(e)}
                    self.view.deliver(c, wanted, position, kind, e.timestamp, payload, part=n)

    def _app_event(
        self,
        c: SqlCursor,
        tracking: Tracking,
        e: Any,
        app_id: str,
        kind: str,
        fields: tuple[str, ...],
    ) -> None:
        app, wanted = self.view.app_subscribers(c, app_id, kind)
        if app is None or not wanted:
            return  # nobody listens (or an app this view never saw created)
        data = {"app_id": app_id, "name": app["name"], **{f: _plain(getattr(e, f)) for f in fields}}
        data["actor"] = _actor(e)
        self.view.deliver(c, wanted, tracking.notification_id, kind, e.timestamp, data)
