"""An app's usage per UTC day (SPEC 15), for the admin's and the portal's usage routes."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from typing import Any

from api.services import services
from api.timeparse import parse_moment
from domain.errors import ValidationError
from domain.usage import CALLS, DENIED, TOKENS, WRITES

DEFAULT_DAYS = 30
MAX_DAYS = 366


def usage_report(app_id: str, since: str | None, until: str | None) -> dict[str, Any]:
    """Every day from `since` to `until` (the last 30 by default), zeros included."""
    today = services().clock.now().astimezone(UTC).date()
    last = _day(until, "to") or today
    first = _day(since, "from") or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last or (last - first).days >= MAX_DAYS:
        raise ValidationError(
            f"from must be on or before to, and at most {MAX_DAYS} days before it", "from"
        )
    span = [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    counts = {day: dict.fromkeys((TOKENS, CALLS, WRITES), 0) for day in span}
    denied: dict[str, dict[str, int]] = {day: {} for day in span}
    store = services().usage_store
    for counted in store.days(app_id, first.isoformat(), last.isoformat()):
        day, metric, n = counted["day"], str(counted["metric"]), int(counted["n"])
        if metric.startswith(DENIED):
            denied[day][metric.removeprefix(DENIED)] = n
        elif metric in counts[day]:
            counts[day][metric] = n
    return {
        "app_id": app_id,
        "last_used_at": store.last_used([app_id]).get(app_id),
        "days": [{"day": day, **counts[day], "denied": denied[day]} for day in span],
    }


def _day(value: str | None, field: str) -> date | None:
    if not value:
        return None
    return parse_moment(value, field).astimezone(UTC).date()
