"""Normalisation of the keys that must be unique: app names and e-mail addresses."""

from __future__ import annotations

import re
import unicodedata
from uuid import NAMESPACE_URL, UUID, uuid5

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    """True for C0 controls other than tab and newlines (NUL breaks PostgreSQL text)."""
    return bool(_CONTROL.search(text))


def normalise_name(name: str) -> str:
    """Case-insensitive and Unicode-insensitive: full-width 'ABC ' and 'abc' are the same name."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def is_email(email: str) -> bool:
    return len(email) <= 254 and bool(_EMAIL.match(email)) and not has_control_characters(email)


def index_id(kind: str, key: str) -> UUID:
    """A deterministic aggregate id for a unique key, so two claims collide in the store."""
    return uuid5(NAMESPACE_URL, f"/integrations/{kind}/{key}")
