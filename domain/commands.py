"""Typed commands: what the edge (REST, CLI, tests) asks a handler to do, as plain values.

The REST schemas check shapes and sizes; the rules (which fields each app type takes, what
may change) stay in the handlers and aggregates, which read these instead of dicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Final


class Unset:
    """A field the request did not give (not the same as giving null)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset()


@dataclass(frozen=True)
class CreateApp:
    type: str
    name: str
    description: str
    entity_ids: list[str] = field(default_factory=list)
    preset: str | None = None
    category: str | None = None
    api_permission: str | None = None
    developer_email: str | None = None
    acknowledge_data_access: bool | None = None
    acknowledge_charges: bool | None = None


@dataclass(frozen=True)
class EditApp:
    description: str | Unset = UNSET
    category: str | Unset = UNSET
    entity_ids: list[str] | Unset = UNSET
    allowed_ips: list[str] | Unset = UNSET
    rate_limit_per_minute: int | Unset | None = UNSET
    # Never changeable: carried only so that a request naming one is refused by name.
    name: Any = UNSET
    type: Any = UNSET
    preset: Any = UNSET
    api_permission: Any = UNSET

    def given(self) -> dict[str, Any]:
        """The fields the request named, with their values."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) is not UNSET
        }
