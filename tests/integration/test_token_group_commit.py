"""Tokens issued by many threads of one process at once, on SQLite and PostgreSQL: each is
recorded once, by its own jti, in shared transactions, and each shows in the activity log."""

from __future__ import annotations

import threading

from composition.root import Services
from domain.commands import CreateApp
from domain.handlers.portal import developer_actor
from tests.support import new_integration, seeded_group

THREADS, EACH = 8, 5


def test_concurrent_issuances_are_each_recorded_once(services: Services) -> None:
    ids, admin = seeded_group(services)
    entities = list(ids["entities"].values())
    created = services.commands.apps.create_app(
        admin, CreateApp(**new_integration("Token Storm", entities))
    )
    assert created.otp is not None
    developer = developer_actor("dev@example.com")
    app = services.commands.portal.verify_app(developer, created.app.id, created.otp).app
    oauth = services.commands.oauth
    issued: list[tuple[str, int]] = []
    start = threading.Barrier(THREADS)

    def issue_some() -> None:
        start.wait()
        for _ in range(EACH):
            token = oauth.issue_access_token(app)
            issued.append((services.access_tokens.verify(token.access_token).jti, token.position))

    threads = [threading.Thread(target=issue_some) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert len(issued) == THREADS * EACH
    assert len({jti for jti, _ in issued}) == THREADS * EACH
    assert len({position for _, position in issued}) == THREADS * EACH
    for jti, _ in issued:
        record = oauth.find_access_token(jti)
        assert record is not None and record.app_id == app.id
        assert services.store.events_of(record.id)[0].originator_version == 1
    assert oauth.issuances.stats.aggregates == THREADS * EACH  # all through the group commit
    services.wait_for_views(max(p for _, p in issued), "activity_log")
    lines = [r for r in services.views["activity_log"].rows(str(app.id))]  # type: ignore[attr-defined]
    assert sum(1 for r in lines if r["event"] == "token_issued") == THREADS * EACH
