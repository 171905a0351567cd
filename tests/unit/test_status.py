"""The status rule: status_of and its SQL translation agree on every combination of facts."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from domain.catalog import AIQ_INTEGRATE
from domain.status import RULES, Status, StatusFacts, status_of
from projections.sql import SqlDatabase
from projections.status_sql import status_filter, status_sql
from projections.view import iso
from tests.unit.projection_support import memory_view

EXPIRY = datetime(2030, 1, 4, 9, 0, tzinfo=UTC)
FLAGS = ("revoked", "developer_linked", "ever_had_developer", "otp_verified", "otp_locked")
COLUMNS = {name: name for name in (*FLAGS, "app_type", "otp_expires_at")}
MOMENTS = (
    EXPIRY - timedelta(days=1),
    EXPIRY - timedelta(microseconds=1),
    EXPIRY,
    EXPIRY + timedelta(seconds=1),
)


def every_facts() -> list[StatusFacts]:
    combos = itertools.product(
        *([False, True] for _ in FLAGS), [AIQ_INTEGRATE, "new_integration"], [None, EXPIRY]
    )
    every = []
    for combo in combos:
        flags = dict(zip(FLAGS, combo[: len(FLAGS)], strict=True))
        kind, expiry = combo[len(FLAGS)], combo[len(FLAGS) + 1]
        every.append(StatusFacts(app_type=str(kind), otp_expires_at=expiry, **flags))  # type: ignore[arg-type]
    return every


@pytest.fixture
def facts_table() -> SqlDatabase:
    from projections.portal import PortalView  # any view: only its database is used

    db = memory_view(PortalView).db
    with db.transaction() as c:
        c.execute(
            "CREATE TABLE facts (n INTEGER PRIMARY KEY, "
            + ", ".join(f"{f} INTEGER NOT NULL" for f in FLAGS)
            + ", app_type TEXT, otp_expires_at TEXT)"
        )
        for n, facts in enumerate(every_facts()):
            c.execute(
                "INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    n,
                    *(int(getattr(facts, f)) for f in FLAGS),
                    facts.app_type,
                    iso(facts.otp_expires_at),
                ),
            )
    return db


@pytest.mark.parametrize("now", MOMENTS)
def test_sql_and_python_give_every_row_the_same_status(
    facts_table: SqlDatabase, now: datetime
) -> None:
    case, params = status_sql(COLUMNS, iso(now) or "")
    rows = facts_table.query(f"SELECT n, {case} AS status FROM facts ORDER BY n", params)
    expected = [status_of(facts, now).value for facts in every_facts()]
    assert [r["status"] for r in rows] == expected


def test_the_combinations_reach_every_status() -> None:
    reached = {status_of(facts, now) for facts in every_facts() for now in MOMENTS}
    assert reached == set(Status)


@pytest.mark.parametrize("now", MOMENTS)
def test_the_sql_filter_finds_exactly_the_rows_of_each_status(
    facts_table: SqlDatabase, now: datetime
) -> None:
    every = every_facts()
    for status in Status:
        clause, params = status_filter([status], COLUMNS, iso(now) or "")
        found = {r["n"] for r in facts_table.query(f"SELECT n FROM facts WHERE {clause}", params)}
        assert found == {n for n, f in enumerate(every) if status_of(f, now) == status}, status


def test_the_rule_in_words() -> None:
    linked = StatusFacts(developer_linked=True, ever_had_developer=True, otp_expires_at=EXPIRY)
    before, after = EXPIRY - timedelta(seconds=1), EXPIRY
    assert status_of(StatusFacts(app_type=AIQ_INTEGRATE), before) == Status.REQUESTED
    assert status_of(StatusFacts(app_type=AIQ_INTEGRATE, ever_had_developer=True), before) == (
        Status.NO_DEVELOPER
    )
    assert status_of(StatusFacts(app_type="new_integration"), before) == Status.NO_DEVELOPER
    assert status_of(linked, before) == Status.PENDING_VERIFICATION
    assert status_of(linked, after) == Status.OTP_EXPIRED  # the OTP ends at its expiry
    locked = StatusFacts(**{**linked.__dict__, "otp_locked": True})
    assert status_of(locked, after) == Status.OTP_LOCKED  # locked wins over expired
    verified = StatusFacts(**{**linked.__dict__, "otp_verified": True})
    assert status_of(verified, after) == Status.ACTIVE
    assert status_of(StatusFacts(**{**verified.__dict__, "revoked": True}), after) == Status.REVOKED
    assert RULES[-1][0] == Status.PENDING_VERIFICATION
