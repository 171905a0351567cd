"""Public keys a developer registers for private_key_jwt (RFC 7523, SPEC 14).

Only a public RSA (RS256, at least 2048 bits) or P-256 EC (ES256) key is accepted; a JWK
carrying any private parameter is refused, so a private key pasted by mistake is never
stored (nor recorded in an event). The kid is the JWK's own, or its RFC 7638 thumbprint.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Any

from joserfc.jwk import ECKey, RSAKey

from domain.errors import ValidationError

ALGORITHMS = {"RSA": "RS256", "EC": "ES256"}
PRIVATE_PARAMETERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
MIN_RSA_BITS = 2048
MAX_KID_CHARS = 100
# What a URL path segment holds as it is (RFC 3986 unreserved): DELETE .../keys/{kid} can
# always name the key. RFC 7638 thumbprints (base64url) are of this kind.
KID = re.compile(rf"[A-Za-z0-9._~-]{{1,{MAX_KID_CHARS}}}")


@dataclass(frozen=True)
class ClientKey:
    kid: str
    jwk: dict[str, Any]  # public members only, with kid and alg


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, "jwk")


def public_client_key(jwk: object) -> ClientKey:
    if not isinstance(jwk, dict):
        raise _refuse("jwk must be a JSON Web Key object")
    if PRIVATE_PARAMETERS & set(jwk):
        raise _refuse("this JWK holds a private key; register only its public part")
    kty = jwk.get("kty")
    if kty not in ALGORITHMS:
        raise _refuse("kty must be RSA or EC")
    alg = ALGORITHMS[str(kty)]
    if jwk.get("alg", alg) != alg:
        raise _refuse(f"a {kty} key is used with {alg}")
    if jwk.get("use", "sig") != "sig":
        raise _refuse("use must be sig")
    members = ("n", "e") if kty == "RSA" else ("crv", "x", "y")
    public = {"kty": kty, **{m: jwk.get(m) for m in members}}
    if not all(isinstance(public[m], str) and public[m] for m in members):
        raise _refuse(f"a {kty} key needs {', '.join(members)}")
    if kty == "EC" and public["crv"] != "P-256":
        raise _refuse("an EC key must be on the P-256 curve (ES256)")
    try:
        with warnings.catch_warnings():  # a short RSA key is refused below, by name
            warnings.simplefilter("ignore")
            key = RSAKey.import_key(public) if kty == "RSA" else ECKey.import_key(public)
    except Exception:  # joserfc raises several kinds for a malformed key
        raise _refuse("the key's parameters are not a valid public key") from None
    if isinstance(key, RSAKey) and key.raw_value.key_size < MIN_RSA_BITS:
        raise _refuse(f"an RSA key must have at least {MIN_RSA_BITS} bits")
    kid = jwk.get("kid", key.thumbprint())
    if not isinstance(kid, str) or not KID.fullmatch(kid):
        raise ValidationError(
            f"kid must be 1-{MAX_KID_CHARS} letters, digits or . _ ~ - (it goes in URLs)", "kid"
        )
    return ClientKey(kid, {**public, "kid": kid, "alg": alg, "use": "sig"})
