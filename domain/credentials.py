"""Random secrets and their at-rest digests.

High-entropy secrets (invite, session and API tokens) are stored as SHA-256 digests: a fast
hash is safe when the input cannot be guessed. OTPs have only 10^8 values, so a plain hash
could be searched offline: they get a per-OTP salt and an HMAC keyed with SECRET_KEY (a
"pepper" kept outside the database), so a leaked digest cannot be searched without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_token_id() -> str:
    """A signed token's `jti`: random, 128 bits, so no two tokens ever share one."""
    return secrets.token_urlsafe(16)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class OtpDigests:
    """Salted digests of OTPs, keyed with SECRET_KEY. (scrypt was the first choice; at 45 ms
    of CPU per OTP it capped app creation near 40/s on two cores, see the README.)"""

    def __init__(self, secret_key: str) -> None:
        self._key = f"otp:{secret_key}".encode()

    def digest(self, otp: str, salt: str | None = None) -> str:
        """`salt$digest`; a new random salt unless one is given (to verify)."""
        salt = salt or secrets.token_hex(16)
        mac = hmac.new(self._key, f"{salt}:{otp}".encode(), hashlib.sha256).hexdigest()
        return f"{salt}${mac}"

    def matches(self, otp: str, stored: str) -> bool:
        salt, _, _ = stored.partition("$")
        return hmac.compare_digest(self.digest(otp, salt), stored)


class InviteTokens:
    """Invite tokens that never need storing: `invite_id.mac`, the MAC keyed by SECRET_KEY.

    Events keep only the random invite id, so an invite's token is in no event, yet the mail
    notifier can rebuild it for the e-mail and sign-up can check it in constant time.
    """

    def __init__(self, secret_key: str) -> None:
        self.key = secret_key
        self._key = secret_key.encode()

    def issue(self) -> tuple[str, str]:
        invite_id = secrets.token_hex(16)
        return invite_id, self.token_for(invite_id)

    def token_for(self, invite_id: str) -> str:
        mac = hmac.new(self._key, f"invite:{invite_id}".encode(), hashlib.sha256).hexdigest()
        return f"{invite_id}.{mac}"

    def invite_id_of(self, token: str) -> str | None:
        """The invite id a token was issued for, or None if it is not one of ours."""
        invite_id, _, _ = token.partition(".")
        if len(invite_id) != 32 or len(token) > 200:
            return None
        return invite_id if hmac.compare_digest(self.token_for(invite_id), token) else None


class SignupCodes:
    """6-digit sign-up codes derived from a random challenge id with SECRET_KEY (never stored)."""

    def __init__(self, secret_key: str) -> None:
        self._key = secret_key.encode()

    def issue(self) -> tuple[str, str]:
        challenge_id = secrets.token_hex(16)
        return challenge_id, self.code_for(challenge_id)

    def code_for(self, challenge_id: str) -> str:
        mac = hmac.new(self._key, f"signup:{challenge_id}".encode(), hashlib.sha256).digest()
        return f"{int.from_bytes(mac[:8], 'big') % 1_000_000:06d}"

    def matches(self, challenge_id: str, code: str) -> bool:
        return hmac.compare_digest(self.code_for(challenge_id), code.strip())
