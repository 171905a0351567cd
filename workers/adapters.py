"""Adapters for the domain's ports: argon2 password hashing and pyotp one-time passwords."""

from __future__ import annotations

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2Passwords:
    def __init__(self, time_cost: int = 3, memory_kib: int = 65536) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return bool(self._hasher.verify(password_hash, password))
        except (VerificationError, InvalidHashError):
            return False


def new_otp() -> str:
    """8 random digits: a TOTP code of a fresh random secret, used once and thrown away."""
    return str(pyotp.TOTP(pyotp.random_base32(), digits=8).now())
