"""ISO 8601 query parameters: dates or date-times, naive ones taken as UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.errors import ValidationError


def parse_moment(value: str, field: str, *, end_of_day: bool = False) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(f"{field} must be an ISO 8601 date or date-time", field) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    date_only = len(value.strip()) == 10
    try:
        if end_of_day and date_only:
            moment += timedelta(days=1) - timedelta(microseconds=1)
        # In UTC now, so no later comparison or conversion can overflow.
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValidationError(f"{field} is outside the years 1-9999 in UTC", field) from None
