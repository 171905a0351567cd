"""The SQLite store holds e-mails, digests and unencrypted views: only its owner reads it."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from composition.root import build_services
from config.settings import Settings
from entrypoints.cli import bootstrap_group
from tests.e2e.client import PASSWORD


@pytest.fixture
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # what most shells give: files 0644 unless made otherwise
    yield
    os.umask(previous)


class TestOnSQLite:
    backend = "sqlite"

    def test_the_store_and_its_wal_files_are_private(
        self, make_settings: Callable[..., Settings], database_url: str, usual_umask: None
    ) -> None:
        services = build_services(make_settings())
        try:
            services.start_projections()
            bootstrap_group(services, "G", [("E1", "One")], "admin@g.example", PASSWORD)
            store = Path(database_url.removeprefix("sqlite:///"))
            files = [p for p in (store, Path(f"{store}-wal"), Path(f"{store}-shm")) if p.exists()]
            assert store in files and len(files) == 3, files  # WAL mode: all three exist
            for path in files:
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        finally:
            services.close()

    def test_an_older_readable_store_is_narrowed(
        self, make_settings: Callable[..., Settings], database_url: str, usual_umask: None
    ) -> None:
        store = Path(database_url.removeprefix("sqlite:///"))
        store.touch(mode=0o644)
        store.chmod(0o644)
        build_services(make_settings()).close()
        assert stat.S_IMODE(store.stat().st_mode) == 0o600
