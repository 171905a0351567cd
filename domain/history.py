"""Events as auditors read them: every field but the secrets' digests, JSON-ready."""

from __future__ import annotations

from typing import Any

from domain.apps import SECRET_FIELDS

HIDDEN = SECRET_FIELDS | {"originator_id", "originator_version", "timestamp", "actor"}


def jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def event_record(event: Any) -> dict[str, Any]:
    data = {k: v for k, v in vars(event).items() if k not in HIDDEN}
    return {
        "version": event.originator_version,
        "timestamp": event.timestamp.isoformat(),
        "event": type(event).__qualname__,
        "actor": getattr(event, "actor", None),
        "data": jsonable(data),
    }
