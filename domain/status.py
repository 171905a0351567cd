"""The status of an integration app: one ordered rule table over a few facts and the clock.

Python reads the table in `status_of`; the list view compiles the very same table to SQL
(projections/status_sql.py), so a status filter and the status shown cannot disagree.

Only the clock rules (those about a moment being reached) change an app's status while its
facts stay the same, and only from its settled status (`settled_status_of`, what the
status is before any moment is reached) to a status `rules_after` it names: so a view can
store the settled status and work out the status at any time from it and the moments alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.catalog import AIQ_INTEGRATE


class Status(StrEnum):
    # Declared in the order a person meets them (the API's enum lists them so); the order in
    # which they are decided is RULES below.
    REQUESTED = "requested"
    PENDING_VERIFICATION = "pending_verification"
    OTP_EXPIRED = "otp_expired"
    OTP_LOCKED = "otp_locked"
    ACTIVE = "active"
    NO_DEVELOPER = "no_developer"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


@dataclass(frozen=True)
class StatusFacts:
    """What happened to an app, as far as its status goes; the clock does the rest."""

    revoked: bool = False
    # The app's group left the AIQ3 plan (SPEC 11): nothing works until it returns, and
    # then the app has the status its other facts give, as before.
    suspended: bool = False
    developer_linked: bool = False
    app_type: str = ""
    # An AIQ Integrate app is "requested" until the team first links a developer; once one
    # was linked and removed it is an app with no developer like any other.
    ever_had_developer: bool = False
    otp_verified: bool = False
    # The aggregate decides when attempts lock the OTP (and says so in OtpAttemptFailed).
    otp_locked: bool = False
    otp_expires_at: datetime | None = None


# -- conditions: small enough to be evaluated here and translated to SQL -------------------


@dataclass(frozen=True)
class Fact:
    """A yes/no fact is true."""

    name: str


@dataclass(frozen=True)
class Equals:
    """A fact has this value."""

    name: str
    value: str


@dataclass(frozen=True)
class Reached:
    """The clock is at or past the moment a fact holds (never, when there is none)."""

    name: str


@dataclass(frozen=True)
class Not:
    condition: Condition


@dataclass(frozen=True)
class All:
    """Every condition holds; `All(())` always does."""

    conditions: tuple[Condition, ...]


Condition = Fact | Equals | Reached | Not | All

ALWAYS = All(())
NO_DEVELOPER = Not(Fact("developer_linked"))

# The first rule that holds gives the status; the last one always holds.
RULES: tuple[tuple[Status, Condition], ...] = (
    (Status.REVOKED, Fact("revoked")),
    (Status.SUSPENDED, Fact("suspended")),
    (
        Status.REQUESTED,
        All((NO_DEVELOPER, Equals("app_type", AIQ_INTEGRATE), Not(Fact("ever_had_developer")))),
    ),
    (Status.NO_DEVELOPER, NO_DEVELOPER),
    (Status.ACTIVE, Fact("otp_verified")),
    (Status.OTP_LOCKED, Fact("otp_locked")),
    (Status.OTP_EXPIRED, Reached("otp_expires_at")),
    (Status.PENDING_VERIFICATION, ALWAYS),
)


def holds(condition: Condition, facts: StatusFacts, now: datetime | None) -> bool:
    """Whether `condition` holds for `facts` at `now` (None: before any moment)."""
    match condition:
        case Fact(name):
            return bool(getattr(facts, name))
        case Equals(name, value):
            return bool(getattr(facts, name) == value)
        case Reached(name):
            moment: datetime | None = getattr(facts, name)
            return moment is not None and now is not None and now >= moment
        case Not(inner):
            return not holds(inner, facts, now)
        case All(conditions):
            return all(holds(c, facts, now) for c in conditions)
    raise TypeError(f"not a status condition: {condition!r}")


def status_of(facts: StatusFacts, now: datetime) -> Status:
    """The app's status at `now`: the one rule of the product (SPEC 7)."""
    return _first_holding(RULES, facts, now)


def settled_status_of(facts: StatusFacts) -> Status:
    """The status `facts` give before any of their moments is reached."""
    return _first_holding(RULES, facts, None)


def on_the_clock(condition: Condition) -> bool:
    """Whether `condition` is about a moment being reached.

    Such a condition never holds before its moment and, once it holds, holds from then on
    (no rule says that a moment is *not* reached): tests/unit/test_status.py checks it."""
    match condition:
        case Reached():
            return True
        case Not(inner):
            return on_the_clock(inner)
        case All(conditions):
            return any(on_the_clock(c) for c in conditions)
    return False


def rules_after(settled: Status) -> tuple[tuple[Status, Condition], ...]:
    """The rules that give, at any time, the status of an app whose settled status is
    `settled`: the clock rules above its own (the others above it did not hold and the clock
    cannot change that), then its own, which holds at any time since it held before."""
    position = [status for status, _ in RULES].index(settled)
    above = tuple((status, c) for status, c in RULES[:position] if on_the_clock(c))
    return (*above, (settled, ALWAYS))


# The statuses an app can have before any moment is reached: those of the other rules.
SETTLED = tuple(status for status, condition in RULES if not on_the_clock(condition))


def _first_holding(
    rules: tuple[tuple[Status, Condition], ...], facts: StatusFacts, now: datetime | None
) -> Status:
    for status, condition in rules:
        if holds(condition, facts, now):
            return status
    raise AssertionError("the last status rule always holds")
