"""`integrations keys rotate`, the real console script, against SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from adapters.signing_keys import new_key
from composition.root import build_services
from config.settings import Settings
from tests.integration.test_cli import assert_refused, run


def published(make_settings: Callable[..., Settings]) -> list[str]:
    """The kids a server started now would publish."""
    services = build_services(make_settings())
    try:
        return [k["kid"] for k in services.access_tokens.jwks()["keys"]]
    finally:
        services.close()


def test_rotate_makes_a_new_current_key_and_keeps_the_old_one(
    database_url: str, make_settings: Callable[..., Settings]
) -> None:
    (first,) = published(make_settings)  # the first start made one key
    assert published(make_settings) == [first]  # and the next start found it
    rotated = run(database_url, "keys", "rotate")
    assert rotated.returncode == 0, rotated.stderr
    new_kid = rotated.stdout.split()[3].rstrip(";")
    assert published(make_settings) == [new_kid, first]


def test_rotate_with_keys_from_signing_keys_is_refused_in_one_line(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = new_key().as_dict(private=True)
    monkeypatch.setenv("SIGNING_KEYS", json.dumps({"keys": [key]}))
    line = assert_refused(run(database_url, "keys", "rotate"), "SIGNING_KEYS")
    assert key["d"] not in line
