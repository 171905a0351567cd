"""domain.status's rule table as SQL, so a view filters and sorts by the status people see.

Yes/no facts are INTEGER 0/1 columns that are never NULL, and moments are `iso()` text,
which compares like the datetimes it stands for: each condition then means in SQL exactly
what it means in `domain.status.holds`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.status import RULES, All, Condition, Equals, Fact, Not, Reached, Status

Sql = tuple[str, list[Any]]


def condition_sql(condition: Condition, columns: Mapping[str, str], now: str) -> Sql:
    """`condition` as a SQL boolean over the fact columns (`columns`: fact -> column)."""
    match condition:
        case Fact(name):
            return f"{columns[name]} = 1", []
        case Equals(name, value):
            return f"COALESCE({columns[name]}, '') = ?", [value]
        case Reached(name):
            column = columns[name]
            return f"({column} IS NOT NULL AND {column} <= ?)", [now]
        case Not(inner):
            sql, params = condition_sql(inner, columns, now)
            return f"NOT ({sql})", params
        case All(conditions):
            if not conditions:
                return "1 = 1", []
            parts = [condition_sql(c, columns, now) for c in conditions]
            return " AND ".join(f"({s})" for s, _ in parts), [p for _, ps in parts for p in ps]
    raise TypeError(f"not a status condition: {condition!r}")


def status_sql(columns: Mapping[str, str], now: str) -> Sql:
    """A CASE expression giving each row's status at `now`, rule by rule as status_of."""
    whens, params = [], []
    for status, condition in RULES:
        sql, ps = condition_sql(condition, columns, now)
        whens.append(f"WHEN {sql} THEN ?")
        params += [*ps, status.value]
    return f"(CASE {' '.join(whens)} END)", params


def status_filter(statuses: list[Status], columns: Mapping[str, str], now: str) -> Sql:
    """Rows whose status at `now` is one of `statuses`."""
    case, params = status_sql(columns, now)
    marks = ", ".join("?" for _ in statuses)
    return f"{case} IN ({marks})", [*params, *(s.value for s in statuses)]
