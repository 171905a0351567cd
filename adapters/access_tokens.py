"""Access tokens as RFC 9068 JWTs: signed with the current key, verified with no database read.

Claims: `iss` (the issuer of the RFC 8414 metadata, BASE_URL), `aud` (the SOAP API, the one
resource server these tokens are for: BASE_URL + "/soap"), `sub` and `client_id` (the client
id), `app_id`, `iat`, `exp` and a random `jti`. Verifying takes ES256 only (never `none` or
an HMAC) under `typ: at+jwt`, by a key this server still accepts, then checks issuer and
audience. Expiry is the caller's to judge with its clock, since an expired token is still
known to be the app's (its refusal goes to the app's activity log).

Key rotation with overlap: a retired key verifies until its retirement + the token lifetime
(+ the refresh interval below: a process may sign with it until it notices the rotation),
then is no longer published or accepted. Every process re-reads the keys when its copy is
older than REFRESH_SECONDS, and when a token names a kid it does not know (at most once a
second), so a rotation reaches running servers without a restart.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from joserfc import jwt
from joserfc.jwk import ECKey, GuestProtocol

from adapters.signing_keys import KeySource, SigningKey, SigningKeyError
from domain.ports import Clock
from domain.tokens import MAX_ACCESS_TOKEN_CHARS, AccessClaims, InvalidAccessToken

ALGORITHM = "ES256"
# Tokens already verified, by their exact text: a client uses one token for many calls, and
# checking an ES256 signature again costs more than the rest of the authorisation.
VERIFIED_CACHE_SIZE = 4096
TOKEN_TYPE = "at+jwt"
REFRESH_SECONDS = 10.0
UNKNOWN_KID_REFRESH_SECONDS = 1.0


class AccessTokenService:
    def __init__(
        self, keys: KeySource, clock: Clock, issuer: str, audience: str, token_ttl: timedelta
    ) -> None:
        self.source = keys
        self.clock = clock
        self.issuer = issuer
        self.audience = audience
        self.overlap = token_ttl + timedelta(seconds=REFRESH_SECONDS)
        self._keys: tuple[SigningKey, ...] = ()
        self._loaded_at = 0.0
        self._reloading = threading.Lock()
        self._verified: dict[str, tuple[str, AccessClaims]] = {}  # token -> (kid, claims)
        self._verified_lock = threading.Lock()
        self.reload()

    # -- signing and verifying -------------------------------------------------------------

    def sign(self, claims: AccessClaims) -> str:
        key = self._current_keys()[0]
        header = {"typ": TOKEN_TYPE, "alg": ALGORITHM, "kid": key.kid}
        payload = {
            "iss": self.issuer,
            "sub": claims.client_id,
            "aud": self.audience,
            "client_id": claims.client_id,
            "app_id": str(claims.app_id),
            "iat": int(claims.issued_at.timestamp()),
            "exp": int(claims.expires_at.timestamp()),
            "jti": claims.jti,
            "cred": _credential(claims),
        }
        return jwt.encode(header, payload, key.key, algorithms=[ALGORITHM])

    def verify(self, token: str) -> AccessClaims:
        """The claims of a token this server signed with a key it still accepts; expired
        or not. Anything else is InvalidAccessToken, with no detail."""
        if not isinstance(token, str) or len(token) > MAX_ACCESS_TOKEN_CHARS:
            raise InvalidAccessToken
        known = self._verified.get(token)
        if known is not None:
            kid, claims = known
            if self._accepted(kid) is None:  # its key was retired since
                raise InvalidAccessToken
            return claims
        try:
            decoded = jwt.decode(token, self._key_for, algorithms=[ALGORITHM])
            claims = self._claims(decoded.header, decoded.claims)
        except Exception:  # malformed in any way: one answer for all
            raise InvalidAccessToken from None
        self._remember(token, str(decoded.header["kid"]), claims)
        return claims

    def _remember(self, token: str, kid: str, claims: AccessClaims) -> None:
        with self._verified_lock:
            if len(self._verified) >= VERIFIED_CACHE_SIZE:  # the oldest goes first
                del self._verified[next(iter(self._verified))]
            self._verified[token] = (kid, claims)

    def _key_for(self, token: GuestProtocol) -> ECKey:
        header = token.headers()
        if str(header.get("typ", "")).lower() not in (TOKEN_TYPE, f"application/{TOKEN_TYPE}"):
            raise InvalidAccessToken
        key = self._accepted(str(header.get("kid", "")))
        if key is None:
            raise InvalidAccessToken
        return key.key

    def _claims(self, header: dict[str, Any], claims: dict[str, Any]) -> AccessClaims:
        if header.get("alg") != ALGORITHM:
            raise InvalidAccessToken
        if claims.get("iss") != self.issuer or claims.get("aud") != self.audience:
            raise InvalidAccessToken
        client_id, jti = claims.get("client_id"), claims.get("jti")
        if not isinstance(client_id, str) or claims.get("sub") != client_id:
            raise InvalidAccessToken
        if not isinstance(jti, str) or not jti:
            raise InvalidAccessToken
        secret_version, key_id = _credential_of(claims.get("cred"))
        return AccessClaims(
            jti=jti,
            app_id=UUID(str(claims["app_id"])),
            client_id=client_id,
            issued_at=_moment(claims["iat"]),
            expires_at=_moment(claims["exp"]),
            secret_version=secret_version,
            key_id=key_id,
        )

    # -- the keys ----------------------------------------------------------------------------

    def jwks(self) -> dict[str, Any]:
        """The public half of every key that verifies now (RFC 7517)."""
        return {
            "keys": [
                {**k.key.as_dict(private=False), "kid": k.kid, "alg": ALGORITHM, "use": "sig"}
                for k in self._current_keys()
                if self._verifies(k)
            ]
        }

    def current_kid(self) -> str:
        return self._current_keys()[0].kid

    def rotate(self) -> str:
        """A new signing key (the previous one keeps verifying); returns its kid."""
        self.source.rotate(self.clock.now(), self.overlap)
        self.reload()
        return self.current_kid()

    def reload(self) -> None:
        keys = tuple(self.source.load())
        if not keys:
            raise SigningKeyError("there is no signing key")
        self._keys, self._loaded_at = keys, time.monotonic()

    def _accepted(self, kid: str) -> SigningKey | None:
        found = next((k for k in self._current_keys() if k.kid == kid), None)
        if found is None:
            # Perhaps a key another process has just made: this thread waits for the re-read.
            self._refresh(older_than=UNKNOWN_KID_REFRESH_SECONDS, wait=True)
            found = next((k for k in self._keys if k.kid == kid), None)
        return found if found is not None and self._verifies(found) else None

    def _verifies(self, key: SigningKey) -> bool:
        return key.retired_at is None or self.clock.now() < key.retired_at + self.overlap

    def _current_keys(self) -> tuple[SigningKey, ...]:
        # One thread re-reads the keys; the others go on with those they have meanwhile.
        self._refresh(older_than=REFRESH_SECONDS, wait=False)
        return self._keys

    def _refresh(self, older_than: float, wait: bool) -> None:
        if time.monotonic() - self._loaded_at <= older_than:
            return
        if not self._reloading.acquire(blocking=wait):
            return
        try:
            if time.monotonic() - self._loaded_at > older_than:  # not done while we waited
                self.reload()
        finally:
            self._reloading.release()


def _credential(claims: AccessClaims) -> dict[str, Any]:
    """The `cred` claim: what the client authenticated with, so that ending a secret ends
    the tokens it obtained (SPEC 14) with no read per token."""
    if claims.key_id is not None:
        return {"key": claims.key_id}
    return {"secret": claims.secret_version or 0}


def _credential_of(value: Any) -> tuple[int | None, str | None]:
    if value is None:  # signed before the claim existed: a secret of no known version
        return 0, None
    if isinstance(value, dict) and isinstance(value.get("key"), str):
        return None, value["key"]
    version = value.get("secret") if isinstance(value, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version >= 0:
        return version, None
    raise InvalidAccessToken


def _moment(seconds: Any) -> datetime:
    if not isinstance(seconds, int) or isinstance(seconds, bool):
        raise InvalidAccessToken
    return datetime.fromtimestamp(seconds, UTC)
