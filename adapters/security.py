"""Adapters for the domain's ports: argon2 password hashing, zxcvbn password strength and
one-time passwords."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

# zxcvbn refuses longer input (its matching is quadratic); the first 72 characters decide.
ZXCVBN_MAX_LENGTH = 72


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


class ZxcvbnStrength:
    """zxcvbn's guess-count estimate. Score 3 means about 10^10 guesses: "safely
    unguessable" for an online attacker and costly offline against argon2id."""

    def __init__(self, min_score: int = 3) -> None:
        self.min_score = min_score

    def weakness(self, password: str, user_inputs: Sequence[str]) -> str | None:
        # The e-mail and the name whole and in words: "dee.veloper@x.example" -> "dee", ...
        words = [w for text in user_inputs for w in re.split(r"[\W_]+", text) if len(w) > 2]
        result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[*user_inputs, *words])
        if result["score"] >= self.min_score:
            return None
        if any(m.get("dictionary_name") == "user_inputs" for m in result["sequence"]):
            return "it contains your e-mail address or name"
        feedback = result["feedback"]
        advice = [feedback["warning"], *feedback["suggestions"]]
        reason = " ".join(a.rstrip(".") + "." for a in advice if a)
        return reason or "add another word or two; uncommon words are better."


def new_otp() -> str:
    """8 random digits, every one of the 10^8 equally likely. (pyotp's TOTP of a fresh
    random secret did the same with 32 random draws and an HMAC, ~0.25 ms a created app.)"""
    return f"{secrets.randbelow(10**8):08d}"
