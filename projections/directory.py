"""The directory: entities, users and admin sessions of every group, for auth and listings."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.actor import MANAGE_APPS
from domain.groups import Group
from domain.users import User
from projections.sql import SqlCursor
from projections.view import View, iso, only_tracks

PLAN_COLUMNS = {"plan": "TEXT NOT NULL DEFAULT 'aiq3'"}
USER_COLUMNS = "id, group_id, email, full_name, role, permissions, created_at, updated_at"


def _user(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is not None:
        row["permissions"] = json.loads(row["permissions"])
    return row


class DirectoryView(View):
    name = "directory"
    tables = ("dir_sessions", "dir_users", "dir_entities", "dir_groups")
    schema = (
        "CREATE TABLE IF NOT EXISTS dir_groups (id TEXT PRIMARY KEY, name TEXT, "
        "plan TEXT NOT NULL DEFAULT 'aiq3')",
        "CREATE TABLE IF NOT EXISTS dir_entities (id TEXT PRIMARY KEY, group_id TEXT NOT NULL, "
        "code TEXT NOT NULL, name TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS dir_entities_group ON dir_entities (group_id, code)",
        f"CREATE TABLE IF NOT EXISTS dir_users ({USER_COLUMNS.replace(',', ' TEXT,')} TEXT, "
        "PRIMARY KEY (id))",
        "CREATE INDEX IF NOT EXISTS dir_users_group ON dir_users (group_id, email)",
        "CREATE TABLE IF NOT EXISTS dir_sessions (token_digest TEXT PRIMARY KEY, "
        "user_id TEXT NOT NULL, expires_at TEXT NOT NULL)",
    )

    def create_tables(self) -> None:
        super().create_tables()
        # Plans came later (SPEC 11): every group before them was using the product, AIQ3.
        self.add_missing_columns("dir_groups", PLAN_COLUMNS, lambda c: None)

    def groups(self) -> list[dict[str, Any]]:
        return self.db.query("SELECT id, name, plan FROM dir_groups ORDER BY name")

    def group(self, group_id: str) -> dict[str, Any] | None:
        return self.db.query_one("SELECT id, name, plan FROM dir_groups WHERE id = ?", (group_id,))

    def entities(self, group_id: str) -> list[dict[str, Any]]:
        return self.db.query(
            "SELECT id, code, name FROM dir_entities WHERE group_id = ? ORDER BY code",
            (group_id,),
        )

    def users(self, group_id: str) -> list[dict[str, Any]]:
        rows = self.db.query(
            f"SELECT {USER_COLUMNS} FROM dir_users WHERE group_id = ? ORDER BY email",
            (group_id,),
        )
        return [r for r in map(_user, rows) if r is not None]

    def integration_admins(self, group_id: str) -> list[str]:
        """Who manages the group's integration applications: practice admins and users
        holding manage_integration_applications (their e-mails, for notices)."""
        return [
            u["email"]
            for u in self.users(group_id)
            if u["role"] == "practice_admin" or MANAGE_APPS in u["permissions"]
        ]

    def user(self, user_id: str) -> dict[str, Any] | None:
        return _user(
            self.db.query_one(f"SELECT {USER_COLUMNS} FROM dir_users WHERE id = ?", (user_id,))
        )

    def session_user(self, token_digest: str, now: str) -> dict[str, Any] | None:
        """The user a live session token belongs to, or None."""
        return _user(
            self.db.query_one(
                f"SELECT {', '.join('u.' + c.strip() for c in USER_COLUMNS.split(','))}, "
                "g.plan AS group_plan FROM dir_sessions s JOIN dir_users u ON u.id = s.user_id "
                "LEFT JOIN dir_groups g ON g.id = u.group_id "
                "WHERE s.token_digest = ? AND s.expires_at > ?",
                (token_digest, now),
            )
        )

    # -- one change per event, in the event's transaction `c` -------------------------------

    def group_registered(self, c: SqlCursor, group_id: str, name: str) -> None:
        c.execute("INSERT INTO dir_groups (id, name) VALUES (?, ?)", (group_id, name))

    def entity_added(
        self, c: SqlCursor, entity_id: str, group_id: str, code: str, name: str
    ) -> None:
        c.execute(
            "INSERT INTO dir_entities (id, group_id, code, name) VALUES (?, ?, ?, ?)",
            (entity_id, group_id, code, name),
        )

    def user_registered(
        self,
        c: SqlCursor,
        user_id: str,
        group_id: str,
        email: str,
        full_name: str,
        role: str,
        permissions: list[str],
        at: datetime,
    ) -> None:
        c.execute(
            f"INSERT INTO dir_users ({USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                user_id,
                group_id,
                email,
                full_name,
                role,
                json.dumps(sorted(set(permissions))),
                iso(at),
                iso(at),
            ),
        )

    def user_changed(self, c: SqlCursor, user_id: str, at: datetime, **columns: str) -> None:
        """Role or name: the named columns, and when."""
        assignments = ", ".join(f"{k} = ?" for k in columns)
        c.execute(
            f"UPDATE dir_users SET {assignments}, updated_at = ? WHERE id = ?",
            (*columns.values(), iso(at), user_id),
        )

    def permission_set(
        self, c: SqlCursor, user_id: str, permission: str, granted: bool, at: datetime
    ) -> None:
        row = c.execute("SELECT permissions FROM dir_users WHERE id = ?", (user_id,)).fetchone()
        current = set(json.loads(row["permissions"])) if row else set()
        if granted:
            current.add(permission)
        else:
            current.discard(permission)
        c.execute(
            "UPDATE dir_users SET permissions = ?, updated_at = ? WHERE id = ?",
            (json.dumps(sorted(current)), iso(at), user_id),
        )

    def session_started(
        self, c: SqlCursor, token_digest: str, user_id: str, expires_at: datetime
    ) -> None:
        c.execute(
            "INSERT INTO dir_sessions (token_digest, user_id, expires_at) VALUES (?, ?, ?)",
            (token_digest, user_id, iso(expires_at)),
        )

    def session_ended(self, c: SqlCursor, token_digest: str) -> None:
        c.execute("DELETE FROM dir_sessions WHERE token_digest = ?", (token_digest,))

    def plan_changed(self, c: SqlCursor, group_id: str, plan: str) -> None:
        c.execute("UPDATE dir_groups SET plan = ? WHERE id = ?", (plan, group_id))


class DirectoryProjection(Projection[DirectoryView]):
    name = "directory"

    @singledispatchmethod
    @only_tracks
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def _(self, e: Group.Registered, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.group_registered(c, str(e.originator_id), e.name)

    @process_event.register
    def _(self, e: Group.PlanChanged, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.plan_changed(c, str(e.originator_id), e.plan)

    @process_event.register
    def _(self, e: Group.EntityAdded, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.entity_added(c, e.entity_id, str(e.originator_id), e.code, e.name)

    @process_event.register
    def _(self, e: User.Registered, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.user_registered(
                c,
                str(e.originator_id),
                str(e.group_id),
                e.email,
                e.full_name,
                e.role,
                list(e.permissions),
                e.timestamp,
            )

    @process_event.register
    def _(self, e: User.RoleChanged, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.user_changed(c, str(e.originator_id), e.timestamp, role=e.role)

    @process_event.register
    def _(self, e: User.Renamed, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.user_changed(c, str(e.originator_id), e.timestamp, full_name=e.full_name)

    @process_event.register
    def _(self, e: User.PermissionGranted | User.PermissionRemoved, tracking: Tracking) -> None:
        granted = isinstance(e, User.PermissionGranted)
        with self.view.tracked(tracking) as c:
            self.view.permission_set(c, str(e.originator_id), e.permission, granted, e.timestamp)

    @process_event.register
    def _(self, e: User.SessionStarted, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.session_started(c, e.token_digest, str(e.originator_id), e.expires_at)

    @process_event.register
    def _(self, e: User.SessionEnded, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.session_ended(c, e.token_digest)
