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
import string
import zlib

TOKEN_BYTES = 32

# Client secrets people and secret scanners can recognise (SPEC 14): the prefix, 43 base62
# characters (256 random bits) and a 6-character checksum (CRC-32 of everything before it),
# the shape of the token formats GitHub and others publish for scanners. CRC-32 catches
# every mistyped character, swapped pair and cut-off copy, so the token endpoint refuses
# those before it reads anything. Secrets issued before this format (43 characters of
# URL-safe base64, no prefix) carry no checksum and are judged by their digest alone.
CLIENT_SECRET_PREFIX = "aiqcs_"
BASE62 = string.digits + string.ascii_letters
SECRET_RANDOM_CHARS = 43
SECRET_CHECKSUM_CHARS = 6


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_client_secret() -> str:
    random_part = "".join(secrets.choice(BASE62) for _ in range(SECRET_RANDOM_CHARS))
    return f"{CLIENT_SECRET_PREFIX}{random_part}{_checksum(CLIENT_SECRET_PREFIX + random_part)}"


def plausible_client_secret(secret: str) -> bool:
    """False only for a secret in our format whose checksum does not hold (a typo, a copy
    cut short, a made-up value): it cannot be any app's. Anything else is for the digest
    to judge, the secrets issued before the format included."""
    if not secret.startswith(CLIENT_SECRET_PREFIX):
        return True
    body = secret[len(CLIENT_SECRET_PREFIX) :]
    if len(body) != SECRET_RANDOM_CHARS + SECRET_CHECKSUM_CHARS or body.strip(BASE62):
        return False
    random_part, checksum = body[:SECRET_RANDOM_CHARS], body[SECRET_RANDOM_CHARS:]
    return hmac.compare_digest(_checksum(CLIENT_SECRET_PREFIX + random_part), checksum)


def _checksum(text: str) -> str:
    value, digits = zlib.crc32(text.encode()), []
    for _ in range(SECRET_CHECKSUM_CHARS):  # 62**6 > 2**32: six digits hold any CRC-32
        value, digit = divmod(value, 62)
        digits.append(BASE62[digit])
    return "".join(reversed(digits))


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
