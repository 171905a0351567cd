"""Names people read, and the keys that must be unique: app names and e-mail addresses."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.confusables_data import MAPPINGS
from domain.errors import ValidationError

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    """True for C0 controls other than tab and newlines (NUL breaks PostgreSQL text)."""
    return bool(_CONTROL.search(text))


# Invisible although not of category Cf: Hangul fillers, the combining grapheme joiner.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u034f")
# Cc controls (tab, CR, LF, NUL...), Cf format characters (bidi controls, zero-width space,
# joiners, soft hyphen, BOM...), line and paragraph separators, surrogates, private use and
# unassigned code points.
_REFUSED_CATEGORIES = {
    "Cc": "control characters are not allowed",
    "Zl": "line breaks are not allowed",
    "Zp": "line breaks are not allowed",
    "Cf": "invisible or text-direction characters are not allowed",
    "Cs": "unpaired surrogates are not allowed",
    "Co": "private-use characters are not allowed",
    "Cn": "unassigned characters are not allowed",
}
# Variation selectors are allowed (emoji and CJK need them) but do not tell names apart.
_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u180b-\u180d\u180f]")


def readable_text_problem(text: str) -> str | None:
    """Why people could not read `text` as it is, or None: the one rule for names people see.

    Refuses controls (tab and line breaks too), bidi controls, invisible characters and a
    text with nothing visible in it.
    """
    for char in text:
        category = unicodedata.category(char)
        if category in _REFUSED_CATEGORIES:
            return f"{_REFUSED_CATEGORIES[category]} (U+{ord(char):04X})"
        if char in _INVISIBLE:
            return f"invisible characters are not allowed (U+{ord(char):04X})"
    visible = _VARIATION_SELECTORS.sub("", text)
    if not any(not c.isspace() and unicodedata.category(c) not in ("Mn", "Me") for c in visible):
        return "must contain a visible character"
    return None


def readable_name(text: str, field: str, limit: int) -> str:
    """`text` trimmed, if people can read it and it has 1-`limit` characters; else a 422."""
    problem = readable_text_problem(text)
    if problem is not None:
        raise ValidationError(f"{field}: {problem}", field)
    text = text.strip()
    if not 1 <= len(text) <= limit:
        raise ValidationError(f"{field} must be 1-{limit} characters", field)
    return text


@cache
def _prototypes() -> dict[str, str]:
    table = {}
    for entry in MAPPINGS.replace("\n", " ").split(";"):
        source, *target = entry.split()
        table[chr(int(source, 16))] = "".join(chr(int(code, 16)) for code in target)
    return table


def skeleton(text: str) -> str:
    """Unicode TR39's skeleton: strings that look alike (Cyrillic U+0430, Latin 'a') get one."""
    prototypes = _prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", "".join(prototypes.get(c, c) for c in decomposed))


def confusable_key(name: str) -> str:
    """Names that look the same share this key: NFKC, the skeleton, casefold, and again the
    skeleton (so 'PayrolI' with a capital I and 'payroll' collide), without variation
    selectors."""
    text = _VARIATION_SELECTORS.sub("", unicodedata.normalize("NFKC", name).strip())
    return skeleton(skeleton(text).casefold())


def normalise_name(name: str) -> str:
    """Case-insensitive and Unicode-insensitive: full-width 'ABC ' and 'abc' are the same name."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def is_email(email: str) -> bool:
    return len(email) <= 254 and bool(_EMAIL.match(email)) and readable_text_problem(email) is None


def index_id(kind: str, key: str) -> UUID:
    """A deterministic aggregate id for a unique key, so two claims collide in the store."""
    return uuid5(NAMESPACE_URL, f"/integrations/{kind}/{key}")
