"""The subscribe() that eventsourcing 9.5's SQLite recorder lacks: a subscription yields what
was recorded before it started and what is recorded after, in order."""

from __future__ import annotations

import threading
from pathlib import Path

from eventsourcing.projection import ApplicationSubscription

from domain.actor import Actor
from tests.support import FAST_ARGON2
from workers.composition import build_services
from workers.settings import Settings


def test_an_application_subscription_follows_the_sqlite_store(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'e.sqlite3'}", "SECRET_KEY": "k", **FAST_ARGON2}
    )
    services = build_services(settings)
    services.app.after_save = None
    try:
        services.app.register_group("Before", [], Actor.system())
        seen: list[str] = []
        with ApplicationSubscription(services.app, gt=0) as subscription:

            def later() -> None:
                services.app.register_group("After", [], Actor.system())

            threading.Timer(0.2, later).start()
            for event, tracking in subscription:
                seen.append(f"{tracking.notification_id}:{type(event).__qualname__}")
                if len(seen) == 2:
                    break
        assert seen == ["1:Group.Registered", "2:Group.Registered"]
    finally:
        services.close()
