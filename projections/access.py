"""The access view: what a client id may do right now, for authorising API calls.

A valid access token is a signed JWT that names its app and jti, so a call needs no row per
token: only the app's access and the ids of the tokens revoked before they expired.
(`access_tokens`, a row per opaque token, is what earlier releases kept; nothing reads it.)"""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.apps import FieldChanged, IntegrationApp, fields_changed
from domain.groups import INTEGRATIONS_PLAN, Group
from domain.tokens import AccessToken
from projections.sql import SqlCursor
from projections.view import View, only_tracks

# SPEC 14, added later: defaults that are right for every app from before (any address;
# no secret ended).
CREDENTIAL_COLUMNS = {
    "allowed_ips": "TEXT NOT NULL DEFAULT '[]'",
    "secrets_ended_version": "INTEGER NOT NULL DEFAULT 0",
    "rate_limit": "INTEGER",  # SPEC 15; NULL: the deployment's default
}


SUSPENDED = "COALESCE(g.suspended, 0) AS suspended"
GROUP_JOIN = "LEFT JOIN access_groups g ON g.group_id = a.group_id"


class AccessView(View):
    name = "access"
    tables = ("revoked_tokens", "app_access", "access_entities", "access_groups")
    schema = (
        "CREATE TABLE IF NOT EXISTS app_access (client_id TEXT PRIMARY KEY, "
        "app_id TEXT NOT NULL UNIQUE, group_id TEXT NOT NULL, revoked INTEGER NOT NULL, "
        "api_permission TEXT NOT NULL, entity_ids TEXT NOT NULL, "
        + ", ".join(f"{name} {kind}" for name, kind in CREDENTIAL_COLUMNS.items())
        + ")",
        "CREATE TABLE IF NOT EXISTS revoked_tokens (token_id TEXT PRIMARY KEY, "
        "app_id TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS access_entities (id TEXT PRIMARY KEY, group_id TEXT NOT NULL, "
        "code_key TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, "
        "UNIQUE (group_id, code_key))",
        # Groups off AIQ3 (SPEC 11): their apps are suspended. No row: the group is on it.
        "CREATE TABLE IF NOT EXISTS access_groups (group_id TEXT PRIMARY KEY, "
        "suspended INTEGER NOT NULL)",
    )

    def create_tables(self) -> None:
        upgrading = self.db.table_exists("access_tokens") and not self.db.table_exists(
            "revoked_tokens"
        )
        super().create_tables()
        self.add_missing_columns("app_access", CREDENTIAL_COLUMNS, lambda c: None)
        if upgrading:
            # The events of the opaque tokens' revocations were processed into the old
            # table: carry them over, so the view equals a rebuild from the events.
            with self.db.transaction() as c:
                c.execute(
                    "INSERT INTO revoked_tokens (token_id, app_id) SELECT t.token_id, a.app_id "
                    "FROM access_tokens t JOIN app_access a ON a.client_id = t.client_id "
                    "WHERE t.revoked = 1 ON CONFLICT (token_id) DO NOTHING"
                )

    def for_client(self, client_id: str) -> dict[str, Any] | None:
        row = self.db.query_one(
            "SELECT a.client_id, a.app_id, a.group_id, a.revoked, a.api_permission, "
            f"a.entity_ids, {SUSPENDED} FROM app_access a {GROUP_JOIN} WHERE a.client_id = ?",
            (client_id,),
        )
        if row is not None:
            row["revoked"] = bool(row["revoked"])
            row["suspended"] = bool(row["suspended"])
            row["entity_ids"] = json.loads(row["entity_ids"])
        return row

    def for_call(self, app_id: str, token_id: str, entity_code: str = "") -> dict[str, Any] | None:
        """The app's live access, the named entity of the app's group, and whether the token
        `token_id` was revoked, in one read (this runs on every API call); None if the app is
        unknown."""
        row = self.db.query_one(
            "SELECT a.client_id, a.app_id, a.group_id, a.revoked, a.api_permission, "
            f"a.entity_ids, a.allowed_ips, a.secrets_ended_version, a.rate_limit, {SUSPENDED}, "
            "e.id AS entity_id, e.code AS entity_code, e.name AS entity_name, "
            f"r.token_id AS revoked_token FROM app_access a {GROUP_JOIN} "
            "LEFT JOIN access_entities e ON e.group_id = a.group_id AND e.code_key = ? "
            "LEFT JOIN revoked_tokens r ON r.token_id = ? AND r.app_id = a.app_id "
            "WHERE a.app_id = ?",
            (entity_code.strip().lower(), token_id, app_id),
        )
        if row is not None:
            row["revoked"] = bool(row["revoked"])
            row["suspended"] = bool(row["suspended"])
            row["token_revoked"] = row.pop("revoked_token") is not None
            row["entity_ids"] = json.loads(row["entity_ids"])
            row["allowed_ips"] = json.loads(row["allowed_ips"])
        return row

    # -- one change per event, in the event's transaction `c` -------------------------------

    def app_created(
        self,
        c: SqlCursor,
        app_id: str,
        client_id: str,
        group_id: str,
        api_permission: str,
        entity_ids: list[str],
    ) -> None:
        c.execute(
            "INSERT INTO app_access (client_id, app_id, group_id, revoked, api_permission, "
            "entity_ids) VALUES (?, ?, ?, 0, ?, ?)",
            (client_id, app_id, group_id, api_permission, json.dumps(entity_ids)),
        )

    def app_entities_changed(self, c: SqlCursor, app_id: str, entity_ids: list[str]) -> None:
        c.execute(
            "UPDATE app_access SET entity_ids = ? WHERE app_id = ?",
            (json.dumps(entity_ids), app_id),
        )

    def app_allowed_ips_changed(self, c: SqlCursor, app_id: str, allowed_ips: list[str]) -> None:
        c.execute(
            "UPDATE app_access SET allowed_ips = ? WHERE app_id = ?",
            (json.dumps(allowed_ips), app_id),
        )

    def app_rate_limit_changed(self, c: SqlCursor, app_id: str, limit: int | None) -> None:
        c.execute("UPDATE app_access SET rate_limit = ? WHERE app_id = ?", (limit, app_id))

    def app_secrets_ended(self, c: SqlCursor, app_id: str, ended_version: int) -> None:
        c.execute(
            "UPDATE app_access SET secrets_ended_version = ? WHERE app_id = ?",
            (ended_version, app_id),
        )

    def plan_changed(self, c: SqlCursor, group_id: str, suspended: bool) -> None:
        c.execute(
            "INSERT INTO access_groups (group_id, suspended) VALUES (?, ?) "
            "ON CONFLICT (group_id) DO UPDATE SET suspended = excluded.suspended",
            (group_id, int(suspended)),
        )

    def app_revoked(self, c: SqlCursor, app_id: str) -> None:
        c.execute("UPDATE app_access SET revoked = 1 WHERE app_id = ?", (app_id,))

    def token_revoked(self, c: SqlCursor, token_id: str, app_id: str) -> None:
        c.execute("INSERT INTO revoked_tokens (token_id, app_id) VALUES (?, ?)", (token_id, app_id))

    def entity_added(
        self, c: SqlCursor, entity_id: str, group_id: str, code: str, name: str
    ) -> None:
        c.execute(
            "INSERT INTO access_entities (id, group_id, code_key, code, name) "
            "VALUES (?, ?, ?, ?, ?)",
            (entity_id, group_id, code.lower(), code, name),
        )


class AccessProjection(Projection[AccessView]):
    name = "access"

    @singledispatchmethod
    @only_tracks
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def _(self, e: IntegrationApp.Created, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.app_created(
                c,
                str(e.originator_id),
                e.client_id,
                str(e.group_id),
                e.api_permission,
                e.entity_ids,
            )

    @process_event.register
    def _(self, e: FieldChanged | IntegrationApp.Edited, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            for part in fields_changed(e):  # a legacy Edited holds several
                if isinstance(part, IntegrationApp.EntitiesChanged):
                    self.view.app_entities_changed(c, str(e.originator_id), part.entity_ids)
                elif isinstance(part, IntegrationApp.AllowedIpsChanged):
                    self.view.app_allowed_ips_changed(c, str(e.originator_id), part.allowed_ips)
                elif isinstance(part, IntegrationApp.RateLimitChanged):
                    self.view.app_rate_limit_changed(
                        c, str(e.originator_id), part.rate_limit_per_minute
                    )

    @process_event.register
    def _(self, e: IntegrationApp.SecretsEnded, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.app_secrets_ended(c, str(e.originator_id), e.ended_version)

    @process_event.register
    def _(self, e: IntegrationApp.Revoked, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.app_revoked(c, str(e.originator_id))

    @process_event.register
    def _(self, e: AccessToken.Revoked, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.token_revoked(c, str(e.originator_id), str(e.app_id))

    @process_event.register
    def _(self, e: Group.PlanChanged, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.plan_changed(c, str(e.originator_id), e.plan != INTEGRATIONS_PLAN)

    @process_event.register
    def _(self, e: Group.EntityAdded, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.entity_added(c, e.entity_id, str(e.originator_id), e.code, e.name)
