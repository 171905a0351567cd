"""A database whose access view an earlier release built (a row per opaque token) gets the
revoked-token table with the revocations it had, on SQLite and PostgreSQL."""

from __future__ import annotations

from composition.root import Services


def test_the_revoked_opaque_tokens_are_carried_over(services: Services) -> None:
    db = services.access.db
    with db.transaction() as c:  # back to the earlier release's tables
        c.execute("DROP TABLE revoked_tokens")
        c.execute(
            "CREATE TABLE access_tokens (token_digest TEXT PRIMARY KEY, token_id TEXT NOT NULL "
            "UNIQUE, client_id TEXT NOT NULL, expires_at TEXT NOT NULL, revoked INTEGER NOT NULL)"
        )
        c.execute("INSERT INTO app_access VALUES ('c1', 'app-1', 'g', 0, 'read', '[]')")
        c.execute("INSERT INTO access_tokens VALUES ('d1', 'revoked-1', 'c1', '2030', 1)")
        c.execute("INSERT INTO access_tokens VALUES ('d2', 'live-1', 'c1', '2030', 0)")
    services.access.create_tables()
    assert db.query("SELECT token_id, app_id FROM revoked_tokens") == [
        {"token_id": "revoked-1", "app_id": "app-1"}
    ]
    with db.transaction() as c:
        c.execute("DROP TABLE access_tokens")
