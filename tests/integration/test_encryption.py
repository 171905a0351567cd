"""With CIPHER_KEY set, stored events are encrypted: the raw event table shows no e-mail."""

from __future__ import annotations

import sqlite3
from typing import Any

import psycopg
from eventsourcing.cryptography import AESCipher

from composition.root import build_services
from config.settings import sqlite_path
from domain.commands import CreateApp
from tests.support import FakeClock, seeded_group

DEVELOPER = "secret.developer@example.com"


def _raw_events(database_url: str) -> bytes:
    if database_url.startswith("sqlite"):
        with sqlite3.connect(sqlite_path(database_url)) as conn:
            rows = conn.execute("SELECT topic, state FROM stored_events").fetchall()
    else:
        with psycopg.connect(database_url) as conn:
            rows = conn.execute("SELECT topic, state FROM integrations_events").fetchall()
    return b"\n".join(bytes(state) for _, state in rows)


def _scenario(make_settings: Any, clock: FakeClock, **env: str) -> None:
    services = build_services(make_settings(**env), clock=clock)
    services.start_projections()
    try:
        ids, admin = seeded_group(services)
        created = services.commands.apps.create_app(
            admin,
            CreateApp(
                **{
                    "type": "new_integration",
                    "name": "Encrypted",
                    "description": "d",
                    "category": "crm",
                    "api_permission": "read",
                    "developer_email": DEVELOPER,
                    "entity_ids": list(ids["entities"].values()),
                }
            ),
        )
        # The application still reads its own events back, and the views were built.
        app = services.store.repository.get(created.app.id)
        assert app.developer.email == DEVELOPER
        services.wait_for_views(created.position, "app_list")
        assert services.app_list.get(str(created.app.id))["dev_email"] == DEVELOPER
    finally:
        services.close()


def test_events_are_encrypted_at_rest(
    make_settings: Any, clock: FakeClock, database_url: str
) -> None:
    _scenario(make_settings, clock, CIPHER_KEY=AESCipher.create_key(32))
    raw = _raw_events(database_url)
    assert raw, "events were stored"
    assert DEVELOPER.encode() not in raw
    assert b"admin@g.example" not in raw


def test_without_a_key_the_same_events_are_readable(
    make_settings: Any, clock: FakeClock, database_url: str
) -> None:
    _scenario(make_settings, clock)
    assert DEVELOPER.encode() in _raw_events(database_url)  # the control: the scan works
