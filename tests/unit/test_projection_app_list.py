"""The application list fed with real events: statuses, filters, names, and older tables."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from api.applications.presenter import present_app
from domain.apps import IntegrationApp
from domain.developers import DeveloperAccount
from projections.app_list import AppListProjection, AppListView, AppQuery
from projections.app_list_view import LIST_INDEXES
from projections.view import iso
from tests.unit.projection_support import (
    APPLICATION,
    START,
    Feed,
    Story,
    app_created,
    developer_linked,
    memory_view,
)

GROUP = uuid4()


@pytest.fixture
def view() -> AppListView:
    return memory_view(AppListView)


@pytest.fixture
def feed(view: AppListView) -> Feed:
    return Feed(AppListProjection(view=view))


def statuses(view: AppListView, at: datetime, **query: Any) -> dict[str, str]:
    rows, total = view.search(
        AppQuery(group_id=str(GROUP), now=iso(at) or "", page_size=100, **query)
    )  # type: ignore[arg-type]
    assert total == len(rows)
    return {r["name"]: present_app(r, iso(at) or "")["status"] for r in rows}


def test_an_app_goes_through_its_statuses(view: AppListView, feed: Feed) -> None:
    app = Story(IntegrationApp)
    feed(app_created(app, GROUP))
    assert statuses(view, app.at) == {"Invoice Sync": "no_developer"}
    feed(developer_linked(app))
    linked_at = app.at
    assert statuses(view, app.at) == {"Invoice Sync": "pending_verification"}
    # The OTP ends by the clock, before any expiry event is recorded.
    expired_at = linked_at + timedelta(days=3)
    assert statuses(view, expired_at) == {"Invoice Sync": "otp_expired"}
    assert statuses(view, expired_at, status=["otp_expired"]) == {"Invoice Sync": "otp_expired"}
    assert statuses(view, expired_at, status=["pending_verification"]) == {}
    assert view.expiry_candidates(iso(expired_at) or "") == [str(app.id)]
    feed(app(IntegrationApp.OtpExpired, otp_expires_at=expired_at))
    assert view.expiry_candidates(iso(expired_at) or "") == []  # recorded: not again
    assert view.get(str(app.id))["status"] == "otp_expired"  # type: ignore[index]

    app.at = expired_at
    feed(
        app(IntegrationApp.OtpReset, otp_digest="d", otp_expires_at=expired_at + timedelta(days=3))
    )
    assert statuses(view, app.at) == {"Invoice Sync": "pending_verification"}
    for attempt in range(1, 6):
        feed(app(IntegrationApp.OtpAttemptFailed, attempts=attempt, locked=attempt == 5))
        if attempt == 4:
            assert statuses(view, app.at) == {"Invoice Sync": "pending_verification"}
    assert statuses(view, app.at) == {"Invoice Sync": "otp_locked"}
    # Locked stays locked even once the OTP's time is over.
    assert statuses(view, app.at + timedelta(days=9)) == {"Invoice Sync": "otp_locked"}
    feed(app(IntegrationApp.OtpReset, otp_digest="d", otp_expires_at=app.at + timedelta(days=3)))
    feed(app(IntegrationApp.OtpVerified))
    assert statuses(view, app.at + timedelta(days=9)) == {"Invoice Sync": "active"}
    feed(app(IntegrationApp.DeveloperAccessRevoked, email="dev@example.com"))
    row = view.get(str(app.id))
    assert row is not None and row["dev_email"] is None and row["status"] == "no_developer"
    feed(app(IntegrationApp.Revoked))
    assert statuses(view, app.at) == {"Invoice Sync": "revoked"}
    assert view.get(str(app.id))["version"] == app.version  # type: ignore[index]


def test_a_team_request_is_requested_until_a_developer_was_once_linked(
    view: AppListView, feed: Feed
) -> None:
    app = Story(IntegrationApp)
    feed(app_created(app, GROUP, app_type="aiq_integrate", preset="hubspot", name="Delta"))
    assert statuses(view, app.at, status=["requested"]) == {"Delta": "requested"}
    feed(developer_linked(app), app(IntegrationApp.DeveloperAccessRevoked, email="dev@example.com"))
    assert statuses(view, app.at) == {"Delta": "no_developer"}


def test_filters_by_name_use_the_domains_normalisation(view: AppListView, feed: Feed) -> None:
    names = ["\uff21\uff22\uff23 Ledger", "Straße Sync", "100% Pure_Data", "Other"]
    for name in names:
        feed(app_created(Story(IntegrationApp), GROUP, name=name))
    feed(app_created(Story(IntegrationApp), uuid4(), name="abc elsewhere"))
    at = Story(IntegrationApp).at
    assert set(statuses(view, at, name="abc")) == {
        "\uff21\uff22\uff23 Ledger"
    }  # full-width letters
    assert set(statuses(view, at, name="STRASSE")) == {"Straße Sync"}  # casefold, not lower
    assert set(statuses(view, at, name="0% p")) == {"100% Pure_Data"}  # wildcards literal
    assert set(statuses(view, at, name="_")) == {"100% Pure_Data"}
    rows, _ = view.search(AppQuery(group_id=str(GROUP), now=iso(at) or "", sort="name"))
    assert [r["name"] for r in rows] == [
        "100% Pure_Data",
        "\uff21\uff22\uff23 Ledger",
        "Other",
        "Straße Sync",
    ]


def test_edits_signups_and_entities(view: AppListView, feed: Feed) -> None:
    app = Story(IntegrationApp)
    feed(app_created(app, GROUP), developer_linked(app, email="dev@example.com"))
    feed(app(IntegrationApp.Edited, changes={"entity_ids": ["e2", "e3"], "description": "new"}))
    query = AppQuery(group_id=str(GROUP), now=iso(app.at) or "", entity_id="e3")
    rows, total = view.search(query)
    assert total == 1 and rows[0]["description"] == "new"
    assert view.search(AppQuery(group_id=str(GROUP), now="", entity_id="e1")) == ([], 0)
    assert view.get(str(app.id))["dev_signed_up"] == 0  # type: ignore[index]
    developer = Story(DeveloperAccount)
    feed(
        developer(
            DeveloperAccount.Registered, email="dev@example.com", full_name="D", password_hash="h"
        )
    )
    assert view.get(str(app.id))["dev_signed_up"] == 1  # type: ignore[index]
    assert [r["id"] for r in view.of_developer("dev@example.com")] == [str(app.id)]


def test_an_event_processed_twice_is_refused(view: AppListView, feed: Feed) -> None:
    app = Story(IntegrationApp)
    created = app_created(app, GROUP)
    feed(created, app(IntegrationApp.Revoked))
    with pytest.raises(IntegrityError):
        AppListProjection(view=view).process_event(created, Tracking(APPLICATION, 1))
    assert view.get(str(app.id))["status"] == "revoked"  # type: ignore[index]


OLD_TABLE = (
    "CREATE TABLE app_list (id TEXT PRIMARY KEY, group_id TEXT NOT NULL, type TEXT, "
    "preset TEXT, name TEXT, name_key TEXT, description TEXT, category TEXT, "
    "api_permission TEXT, status TEXT, entity_ids TEXT, created_at TEXT, updated_at TEXT, "
    "client_id TEXT, version INTEGER, dev_email TEXT, dev_signed_up INTEGER, "
    "invite_expires_at TEXT, otp_verified INTEGER, otp_expires_at TEXT, linked_at TEXT, "
    "invite_expired INTEGER NOT NULL DEFAULT 0)"
)


def test_a_table_from_before_the_facts_gets_them_from_its_statuses() -> None:
    view = memory_view(AppListView)
    with view.db.transaction() as c:
        c.execute("DROP TABLE app_list")
        c.execute(OLD_TABLE)
        for n, (status, email) in enumerate(
            [
                ("revoked", None),
                ("otp_locked", "d@x.io"),
                ("no_developer", None),
                ("requested", None),
            ]
        ):
            c.execute(
                "INSERT INTO app_list (id, group_id, type, name, name_key, status, entity_ids, "
                "dev_email, otp_verified, otp_expires_at) VALUES (?, ?, ?, ?, ?, ?, '[]', ?, 0, ?)",
                (
                    f"a{n}",
                    str(GROUP),
                    "aiq_integrate",
                    f"\uff21\uff30\uff30 {n}",
                    f"\uff41\uff50\uff50 {n}",
                    status,
                    email,
                    "2999-01-01",
                ),
            )
    view.create_tables()
    view.create_tables()  # a second start changes nothing
    at = Story(IntegrationApp).at
    assert statuses(view, at) == {
        "\uff21\uff30\uff30 0": "revoked",
        "\uff21\uff30\uff30 1": "otp_locked",
        "\uff21\uff30\uff30 2": "no_developer",
        "\uff21\uff30\uff30 3": "requested",
    }
    assert set(statuses(view, at, name="app 1")) == {"\uff21\uff30\uff30 1"}


LATER = START + timedelta(days=2)
# The status each app of `every_status` shows at LATER.
SHOWN_LATER = {
    "Alpha": "otp_expired",
    "Bravo": "pending_verification",
    "Charlie": "active",
    "Delta": "requested",
    "Echo": "no_developer",
    "Foxtrot": "revoked",
    "Golf": "otp_locked",
    "Hotel": "otp_expired",
}


def every_status(feed: Feed) -> None:
    """One app in each status at LATER, and two whose OTP ran out by then."""
    stories = {name: Story(IntegrationApp) for name in SHOWN_LATER}
    for name, app in stories.items():
        kind = {"app_type": "aiq_integrate", "preset": "hubspot"} if name == "Delta" else {}
        feed(app_created(app, GROUP, name=name, **kind))
    for name in ("Alpha", "Hotel"):
        feed(developer_linked(stories[name], otp_days=1))
    for name in ("Bravo", "Charlie", "Golf"):
        feed(developer_linked(stories[name], otp_days=5))
    feed(stories["Charlie"](IntegrationApp.OtpVerified))
    feed(stories["Foxtrot"](IntegrationApp.Revoked))
    for attempt in range(1, 6):
        feed(
            stories["Golf"](IntegrationApp.OtpAttemptFailed, attempts=attempt, locked=attempt == 5)
        )


def pages(view: AppListView, sort: str, page_size: int) -> list[tuple[str, str]]:
    """Every page of the list sorted by `sort`, as (status shown, id), checking the total."""
    shown: list[tuple[str, str]] = []
    page = 1
    while True:
        query = AppQuery(
            group_id=str(GROUP), now=iso(LATER) or "", sort=sort, page=page, page_size=page_size
        )
        rows, total = view.search(query)
        assert total == len(SHOWN_LATER)
        if not rows:
            return shown
        shown += [(present_app(r, iso(LATER) or "")["status"], r["id"]) for r in rows]
        page += 1


@pytest.mark.parametrize("page_size", [1, 3, 20])
def test_the_status_sort_is_by_the_status_shown_then_id(
    view: AppListView, feed: Feed, page_size: int
) -> None:
    every_status(feed)
    assert statuses(view, LATER) == SHOWN_LATER
    ascending = pages(view, "status", page_size)
    assert ascending == sorted(ascending) and len(ascending) == len(SHOWN_LATER)
    assert pages(view, "-status", page_size) == ascending[::-1]


def test_several_statuses_at_once(view: AppListView, feed: Feed) -> None:
    every_status(feed)
    assert statuses(view, LATER, status=["otp_expired", "active"]) == {
        "Alpha": "otp_expired",
        "Charlie": "active",
        "Hotel": "otp_expired",
    }
    # Before the OTPs ran out, the same apps were waiting for verification.
    assert statuses(view, START + timedelta(hours=1), status=["pending_verification"]) == {
        "Alpha": "pending_verification",
        "Bravo": "pending_verification",
        "Hotel": "pending_verification",
    }


def test_a_table_from_before_the_settled_status_gets_it_from_its_facts(
    view: AppListView, feed: Feed
) -> None:
    every_status(feed)
    with view.db.transaction() as c:  # the tables as the release before left them
        names = [
            statement.split()[5] for statement in LIST_INDEXES
        ]  # CREATE INDEX IF NOT EXISTS <name>
        for index in ("app_list_entities_group", *names):
            c.execute(f"DROP INDEX {index}")
        c.execute("ALTER TABLE app_list DROP COLUMN settled_status")
        c.execute("ALTER TABLE app_list_entities DROP COLUMN group_id")
    view.create_tables()
    view.create_tables()  # a second start changes nothing
    assert statuses(view, LATER) == SHOWN_LATER
    assert statuses(view, LATER, status=["otp_expired"]) == {
        "Alpha": "otp_expired",
        "Hotel": "otp_expired",
    }
    assert statuses(view, LATER, entity_id="e1") == SHOWN_LATER
    assert [s for s, _ in pages(view, "status", 3)] == sorted(SHOWN_LATER.values())
