"""The directory: entities, users and admin sessions of every group, for auth and listings."""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.groups import Group
from domain.users import User
from projections.view import View, iso

USER_COLUMNS = "id, group_id, email, full_name, role, permissions, created_at, updated_at"


def _user(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is not None:
        row["permissions"] = json.loads(row["permissions"])
    return row


class DirectoryView(View):
    name = "directory"
    tables = ("dir_sessions", "dir_users", "dir_entities", "dir_groups")
    schema = (
        "CREATE TABLE IF NOT EXISTS dir_groups (id TEXT PRIMARY KEY, name TEXT)",
        "CREATE TABLE IF NOT EXISTS dir_entities (id TEXT PRIMARY KEY, group_id TEXT NOT NULL, "
        "code TEXT NOT NULL, name TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS dir_entities_group ON dir_entities (group_id, code)",
        f"CREATE TABLE IF NOT EXISTS dir_users ({USER_COLUMNS.replace(',', ' TEXT,')} TEXT, "
        "PRIMARY KEY (id))",
        "CREATE INDEX IF NOT EXISTS dir_users_group ON dir_users (group_id, email)",
        "CREATE TABLE IF NOT EXISTS dir_sessions (token_digest TEXT PRIMARY KEY, "
        "user_id TEXT NOT NULL, expires_at TEXT NOT NULL)",
    )

    def groups(self) -> list[dict[str, Any]]:
        return self.db.query("SELECT id, name FROM dir_groups ORDER BY name")

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

    def user(self, user_id: str) -> dict[str, Any] | None:
        return _user(
            self.db.query_one(f"SELECT {USER_COLUMNS} FROM dir_users WHERE id = ?", (user_id,))
        )

    def session_user(self, token_digest: str, now: str) -> dict[str, Any] | None:
        """The user a live session token belongs to, or None."""
        return _user(
            self.db.query_one(
                f"SELECT {', '.join('u.' + c.strip() for c in USER_COLUMNS.split(','))} "
                "FROM dir_sessions s JOIN dir_users u ON u.id = s.user_id "
                "WHERE s.token_digest = ? AND s.expires_at > ?",
                (token_digest, now),
            )
        )


class DirectoryProjection(Projection[DirectoryView]):
    name = "directory"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def _(self, e: Group.Registered, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            c.execute(
                "INSERT INTO dir_groups (id, name) VALUES (?, ?)", (str(e.originator_id), e.name)
            )

    @process_event.register
    def _(self, e: Group.EntityAdded, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            c.execute(
                "INSERT INTO dir_entities (id, group_id, code, name) VALUES (?, ?, ?, ?)",
                (e.entity_id, str(e.originator_id), e.code, e.name),
            )

    @process_event.register
    def _(self, e: User.Registered, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            c.execute(
                f"INSERT INTO dir_users ({USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    str(e.originator_id),
                    str(e.group_id),
                    e.email,
                    e.full_name,
                    e.role,
                    json.dumps(sorted(set(e.permissions))),
                    iso(e.timestamp),
                    iso(e.timestamp),
                ),
            )

    @process_event.register
    def _(self, e: User.RoleChanged, tracking: Tracking) -> None:
        self._update_user(e, tracking, role=e.role)

    @process_event.register
    def _(self, e: User.Renamed, tracking: Tracking) -> None:
        self._update_user(e, tracking, full_name=e.full_name)

    @process_event.register
    def _(self, e: User.PermissionGranted | User.PermissionRemoved, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            row = c.execute(
                "SELECT permissions FROM dir_users WHERE id = ?", (str(e.originator_id),)
            ).fetchone()
            current = set(json.loads(row["permissions"])) if row else set()
            if isinstance(e, User.PermissionGranted):
                current.add(e.permission)
            else:
                current.discard(e.permission)
            c.execute(
                "UPDATE dir_users SET permissions = ?, updated_at = ? WHERE id = ?",
                (json.dumps(sorted(current)), iso(e.timestamp), str(e.originator_id)),
            )

    @process_event.register
    def _(self, e: User.SessionStarted, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            c.execute(
                "INSERT INTO dir_sessions (token_digest, user_id, expires_at) VALUES (?, ?, ?)",
                (e.token_digest, str(e.originator_id), iso(e.expires_at)),
            )

    @process_event.register
    def _(self, e: User.SessionEnded, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            c.execute("DELETE FROM dir_sessions WHERE token_digest = ?", (e.token_digest,))

    def _update_user(self, e: Any, tracking: Tracking, **columns: Any) -> None:
        with self.view.tracked(tracking) as c:
            assignments = ", ".join(f"{k} = ?" for k in columns)
            c.execute(
                f"UPDATE dir_users SET {assignments}, updated_at = ? WHERE id = ?",
                (*columns.values(), iso(e.timestamp), str(e.originator_id)),
            )
