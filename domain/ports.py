"""What the domain needs from the outside world, injected by the composition root."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from domain.tokens import AccessClaims


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...


class PasswordStrength(Protocol):
    def weakness(self, password: str, user_inputs: Sequence[str]) -> str | None:
        """Why the password is too easy to guess (its owner's e-mail and name are among the
        first guesses), or None when it is strong enough."""
        ...


class OtpGenerator(Protocol):
    def __call__(self) -> str:
        """A fresh 8-digit one-time password."""
        ...


class TokenSigner(Protocol):
    def sign(self, claims: AccessClaims) -> str:
        """The access token (a signed JWT) that carries these claims."""
        ...


@dataclass(frozen=True)
class QuotaAnswer:
    """A quota's answer to one more call (SPEC 15)."""

    allowed: bool
    retry_after: int  # seconds until a call would be allowed again (0 when allowed)


class UrlGuard(Protocol):
    def check(self, url: str) -> str:
        """The URL if deliveries may go there (SPEC 15: https, public addresses only), or a
        ValidationError naming `url` with the reason."""
        ...
