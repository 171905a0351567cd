"""domain.status's rule table as SQL, so a view filters and sorts by the status people see.

Yes/no facts are INTEGER 0/1 columns that are never NULL, and moments are `iso()` text,
which compares like the datetimes it stands for: each condition then means in SQL exactly
what it means in `domain.status.holds`.

A view stores each row's settled status (`status_sql` with no `now`) in a column of its
own, indexed: the status at a time is then a test of that column and, for the few settled
statuses a clock rule can move on (`domain.status.rules_after`), of a moment's column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from domain.status import (
    RULES,
    SETTLED,
    All,
    Condition,
    Equals,
    Fact,
    Not,
    Reached,
    Status,
    rules_after,
)

Sql = tuple[str, list[Any]]
TRUE: Sql = ("1 = 1", [])
FALSE: Sql = ("1 = 0", [])


def condition_sql(condition: Condition, columns: Mapping[str, str], now: str | None) -> Sql:
    """`condition` as a SQL boolean over the fact columns (`columns`: fact -> column) at `now`
    (None: before any moment)."""
    match condition:
        case Fact(name):
            return f"{columns[name]} = 1", []
        case Equals(name, value):
            return f"COALESCE({columns[name]}, '') = ?", [value]
        case Reached() if now is None:
            return FALSE
        case Reached(name):
            column = columns[name]
            return f"({column} IS NOT NULL AND {column} <= ?)", [now]
        case Not(inner):
            sql, params = condition_sql(inner, columns, now)
            return f"NOT ({sql})", params
        case All(conditions):
            if not conditions:
                return TRUE
            parts = [condition_sql(c, columns, now) for c in conditions]
            return " AND ".join(f"({s})" for s, _ in parts), [p for _, ps in parts for p in ps]
    raise TypeError(f"not a status condition: {condition!r}")


def status_sql(columns: Mapping[str, str], now: str | None) -> Sql:
    """A CASE expression giving each row's status at `now`, rule by rule as status_of; with
    no `now`, its settled status (domain.status.settled_status_of)."""
    whens = list[Sql]()
    for status, condition in RULES:
        sql, params = condition_sql(condition, columns, now)
        whens.append((f"WHEN {sql} THEN ?", [*params, status.value]))
    return f"(CASE {' '.join(s for s, _ in whens)} END)", _params(whens)


def status_filter(
    statuses: Iterable[Status], settled: str, columns: Mapping[str, str], now: str
) -> Sql:
    """Rows whose status at `now` is one of `statuses`, by their settled status (column
    `settled`): `settled IN (...)`, which an index on that column answers, narrowed for a
    settled status that a clock rule moves on by `settled = ? AND <the moments' test>`
    (an index on both columns answers that too when it is the only status asked)."""
    wanted, whole, moved_on = set(statuses), list[str](), list[Sql]()
    for status in SETTLED:
        rules = rules_after(status)
        deciding = [n for n, (s, _) in enumerate(rules) if s in wanted]
        if len(deciding) == len(rules):
            whole.append(status.value)
        elif deciding:
            tests = [condition_sql(_decides(rules, n), columns, now) for n in deciding]
            sql = " OR ".join(f"({s})" for s, _ in tests)
            moved_on.append((f"{settled} = ? AND ({sql})", [status.value, *_params(tests)]))
    if not whole and not moved_on:
        return FALSE
    among = _among(settled, [*whole, *(params[0] for _, params in moved_on)])
    if not moved_on:
        return among
    arms = [_among(settled, whole), *moved_on] if whole else moved_on
    either = " OR ".join(f"({s})" for s, _ in arms)
    return f"{among[0]} AND ({either})", [*among[1], *_params(arms)]


def _decides(rules: tuple[tuple[Status, Condition], ...], n: int) -> Condition:
    """Rule `n` holds and none above it does: it gives the status."""
    above = tuple(Not(condition) for _, condition in rules[:n])
    return All((*above, rules[n][1]))


def _among(column: str, values: list[str]) -> Sql:
    return f"{column} IN ({', '.join('?' for _ in values)})", values


def _params(parts: list[Sql]) -> list[Any]:
    return [p for _, ps in parts for p in ps]
