"""Use cases on in-memory storage (eventsourcing's POPO recorders), with a movable clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.sqlite import SQLiteDatastore

from adapters.access_tokens import AccessTokenService
from adapters.security import Argon2Passwords, ZxcvbnStrength
from adapters.signing_keys import KeySealer, StoredSigningKeys
from composition.root import Commands, build_commands
from domain.actor import MANAGE_APPS, Actor
from domain.credentials import InviteTokens, SignupCodes
from domain.errors import ValidationError
from domain.passwords import Passwords
from domain.ports import Clock
from domain.store import EventStore
from projections.sql import SqlDatabase
from tests.support import FakeClock

PASSWORD = "correct horse battery"
UNIT_TEST_KEY = "unit-test-key"
ISSUER = "https://integrations.example"
TOKEN_TTL = timedelta(hours=1)


@dataclass
class Domain:
    store: EventStore
    commands: Commands
    passwords: Passwords
    invites: InviteTokens
    signup_codes: SignupCodes
    clock: FakeClock
    tokens: AccessTokenService
    admin: Actor
    manager: Actor
    plain: Actor
    auditor: Actor
    outsider: Actor  # practice admin of another group
    entities: list[str]
    other_entities: list[str]

    def fields(self, **overrides: Any) -> dict[str, Any]:
        spec = {
            "type": "new_integration",
            "name": "Invoice Sync",
            "description": "Invoices",
            "category": "accounting",
            "api_permission": "read",
            "developer_email": "dev@example.com",
            "entity_ids": self.entities[:1],
        }
        spec.update(overrides)
        return spec

    def event_names(self, aggregate_id: UUID) -> list[str]:
        return [type(e).__name__ for e in self.store.events.get(aggregate_id)]


def _actor(
    commands: Commands,
    group_id: UUID,
    email: str,
    role: str,
    permissions: tuple[str, ...] = (),
) -> Actor:
    user = commands.directory.create_user(
        Actor.system(), group_id, email, email.split("@")[0], role, PASSWORD, list(permissions)
    ).user
    return Actor(
        type="admin",
        id=str(user.id),
        name=email,
        group_id=group_id,
        role=role,
        permissions=frozenset(permissions),
    )


def stored_keys(clock: Clock, secret: str = UNIT_TEST_KEY) -> StoredSigningKeys:
    """A signing key table in an in-memory SQLite database, with its first key."""
    keys = StoredSigningKeys(SqlDatabase(SQLiteDatastore(":memory:"), "sqlite"), KeySealer(secret))
    keys.create_table()
    keys.ensure_one(clock.now())
    return keys


def token_service(clock: Clock, keys: StoredSigningKeys | None = None) -> AccessTokenService:
    keys = keys or stored_keys(clock)
    return AccessTokenService(keys, clock, ISSUER, f"{ISSUER}/soap", TOKEN_TTL)


class HttpsUrls:
    """The webhook URL rule without DNS (adapters/webhook_http.py resolves for real)."""

    def check(self, url: str) -> str:
        if not url.startswith("https://"):
            raise ValidationError("url: it must be an https:// URL", "url")
        return url


@pytest.fixture
def domain() -> Domain:
    clock = FakeClock()
    tokens = token_service(clock)
    store = EventStore({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    passwords = Passwords(Argon2Passwords(time_cost=1, memory_kib=8192), ZxcvbnStrength())
    app = build_commands(
        store,
        clock,
        passwords,
        secret_key=UNIT_TEST_KEY,
        token_signer=tokens,
        token_ttl=TOKEN_TTL,
        secret_grace=timedelta(hours=24),
        url_guard=HttpsUrls(),
    )
    group = app.directory.register_group(
        "Group A", [("A1", "Alpha"), ("A2", "Beta"), ("A3", "Gamma")], Actor.system()
    )
    other = app.directory.register_group("Group B", [("B1", "Other")], Actor.system())
    return Domain(
        store=store,
        commands=app,
        passwords=passwords,
        invites=InviteTokens(UNIT_TEST_KEY),
        signup_codes=SignupCodes(UNIT_TEST_KEY),
        clock=clock,
        tokens=tokens,
        admin=_actor(app, group.id, "admin@a.example", "practice_admin"),
        manager=_actor(app, group.id, "manager@a.example", "user", (MANAGE_APPS,)),
        plain=_actor(app, group.id, "user@a.example", "user"),
        auditor=_actor(app, group.id, "auditor@a.example", "auditor"),
        outsider=_actor(app, other.id, "admin@b.example", "practice_admin"),
        entities=sorted(group.entities, key=lambda e: group.entities[e]["code"]),
        other_entities=list(other.entities),
    )
