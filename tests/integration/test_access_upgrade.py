"""A database whose access view an earlier release built (a row per opaque token, no
allowlists) gets the revoked-token table with the revocations it had, and the credential
columns with values right for every app from before, on SQLite and PostgreSQL."""

from __future__ import annotations

from composition.root import Services


def test_the_revoked_opaque_tokens_are_carried_over(services: Services) -> None:
    db = services.access.db
    with db.transaction() as c:  # back to the earlier release's tables
        c.execute("DROP TABLE revoked_tokens")
        c.execute("DROP TABLE app_access")
        c.execute(
            "CREATE TABLE app_access (client_id TEXT PRIMARY KEY, app_id TEXT NOT NULL UNIQUE, "
            "group_id TEXT NOT NULL, revoked INTEGER NOT NULL, api_permission TEXT NOT NULL, "
            "entity_ids TEXT NOT NULL)"
        )
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
    # Any address, no secret ended: what those apps had.
    access = services.access.for_call("app-1", "no-such-token")
    assert access is not None
    assert (access["allowed_ips"], access["secrets_ended_version"]) == ([], 0)
    with db.transaction() as c:
        c.execute("DROP TABLE access_tokens")
