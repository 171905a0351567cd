"""The status rule: status_of and its SQL translations agree on every combination of facts."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.catalog import AIQ_INTEGRATE
from domain.status import (
    RULES,
    SETTLED,
    Status,
    StatusFacts,
    holds,
    rules_after,
    settled_status_of,
    status_of,
)
from projections.sql import SqlDatabase
from projections.status_sql import status_filter, status_sql
from projections.view import iso
from tests.unit.projection_support import memory_view

EXPIRY = datetime(2030, 1, 4, 9, 0, tzinfo=UTC)
# Every value each kind of fact is tried with: a fact of a new kind needs its values here.
VALUES: dict[str, tuple[Any, ...]] = {
    "bool": (False, True),
    "str": (AIQ_INTEGRATE, "new_integration"),
    "datetime | None": (None, EXPIRY),
}
FACTS = {f.name: VALUES[str(f.type)] for f in dataclasses.fields(StatusFacts)}
COLUMNS = {name: name for name in FACTS}
MOMENTS = (
    EXPIRY - timedelta(days=1),
    EXPIRY - timedelta(microseconds=1),
    EXPIRY,
    EXPIRY + timedelta(seconds=1),
)


def every_facts() -> list[StatusFacts]:
    return [
        StatusFacts(**dict(zip(FACTS, combo, strict=True)))
        for combo in itertools.product(*FACTS.values())
    ]


def as_column(value: Any) -> Any:
    """A fact's value as its column holds it."""
    if isinstance(value, datetime):
        return iso(value)
    return int(value) if isinstance(value, bool) else value


@pytest.fixture
def facts_table() -> SqlDatabase:
    """One row per combination of facts, numbered `n`, with its settled status stored as a
    view stores it."""
    from projections.portal import PortalView  # any view: only its database is used

    db = memory_view(PortalView).db
    settled, settled_params = status_sql(COLUMNS, None)
    with db.transaction() as c:
        c.execute(f"CREATE TABLE facts (n INTEGER PRIMARY KEY, settled TEXT, {', '.join(FACTS)})")
        for n, facts in enumerate(every_facts()):
            values = [as_column(getattr(facts, name)) for name in FACTS]
            c.execute(
                f"INSERT INTO facts VALUES (?, NULL, {', '.join('?' for _ in FACTS)})",
                (n, *values),
            )
        c.execute(f"UPDATE facts SET settled = {settled}", settled_params)
    return db


def test_the_combinations_reach_every_status() -> None:
    reached = {status_of(facts, now) for facts in every_facts() for now in MOMENTS}
    assert reached == set(Status)


@pytest.mark.parametrize("now", MOMENTS)
def test_sql_and_python_give_every_row_the_same_status(
    facts_table: SqlDatabase, now: datetime
) -> None:
    case, params = status_sql(COLUMNS, iso(now))
    rows = facts_table.query(f"SELECT n, {case} AS status FROM facts ORDER BY n", params)
    expected = [status_of(facts, now).value for facts in every_facts()]
    assert [r["status"] for r in rows] == expected


def test_the_settled_status_is_the_status_before_any_moment(facts_table: SqlDatabase) -> None:
    stored = [r["settled"] for r in facts_table.query("SELECT settled FROM facts ORDER BY n")]
    assert stored == [settled_status_of(facts).value for facts in every_facts()]
    before = EXPIRY - timedelta(days=1)
    assert [settled_status_of(f) for f in every_facts()] == [
        status_of(f, before) for f in every_facts()
    ]
    assert set(stored) == {s.value for s in SETTLED}


@pytest.mark.parametrize("now", MOMENTS)
def test_the_rules_after_the_settled_status_give_the_status_at_any_time(now: datetime) -> None:
    for facts in every_facts():
        rules = rules_after(settled_status_of(facts))
        status = next(s for s, condition in rules if holds(condition, facts, now))
        assert status == status_of(facts, now), facts


@pytest.mark.parametrize("now", MOMENTS)
def test_the_sql_filter_finds_exactly_the_rows_of_the_statuses_asked(
    facts_table: SqlDatabase, now: datetime
) -> None:
    every = every_facts()
    for size in range(len(Status) + 1):
        for statuses in itertools.combinations(Status, size):
            clause, params = status_filter(statuses, "settled", COLUMNS, iso(now) or "")
            rows = facts_table.query(f"SELECT n FROM facts WHERE {clause}", params)
            expected = {n for n, f in enumerate(every) if status_of(f, now) in statuses}
            assert {r["n"] for r in rows} == expected, statuses


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
    assert settled_status_of(linked) == Status.PENDING_VERIFICATION  # until the clock says
    locked = StatusFacts(**{**linked.__dict__, "otp_locked": True})
    assert status_of(locked, after) == Status.OTP_LOCKED  # locked wins over expired
    verified = StatusFacts(**{**linked.__dict__, "otp_verified": True})
    assert status_of(verified, after) == Status.ACTIVE
    assert status_of(StatusFacts(**{**verified.__dict__, "revoked": True}), after) == Status.REVOKED
    assert RULES[-1][0] == Status.PENDING_VERIFICATION
