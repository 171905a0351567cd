"""Passwords for admins and developers: the rules for a new one, hashing, checking."""

from __future__ import annotations

import secrets

from domain.errors import ValidationError
from domain.ports import PasswordHasher, PasswordStrength

MIN_PASSWORD = 12


class Passwords:
    def __init__(self, hasher: PasswordHasher, strength: PasswordStrength) -> None:
        self.hasher = hasher
        self.strength = strength
        self._dummy_hash: str | None = None

    def check_rules(self, password: str, *about_owner: str) -> None:
        """Every new password: 12-256 characters and hard to guess, also for someone who
        knows its owner's e-mail and name (`about_owner`)."""
        if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= 256:
            raise ValidationError(f"password must be {MIN_PASSWORD}-256 characters", "password")
        weakness = self.strength.weakness(password, [words for words in about_owner if words])
        if weakness:
            raise ValidationError(f"password is too easy to guess: {weakness}", "password")

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def matches(self, stored_hash: str | None, password: str) -> bool:
        """Exactly one verify, whether or not the account exists (`stored_hash` None).

        An unknown e-mail is checked against a dummy hash made once by the same hasher, so
        refusing it costs what refusing a wrong password costs: timing names no account.
        """
        if stored_hash is None:
            if self._dummy_hash is None:
                self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))
            self.hasher.verify(self._dummy_hash, password)
            return False
        return self.hasher.verify(stored_hash, password)
