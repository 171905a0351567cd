"""private_key_jwt (RFC 7523 section 2.2, SPEC 14): a client authenticates by signing a short
JWT with a private key whose public half it registered in the portal.

Authlib's JWTBearerClientAssertion reads the assertion and finds the client; the rules are
ours, judged by the service's clock: signed RS256 or ES256 by one of the app's keys (by its
`kid`; an app with one key may leave the kid out), `iss` = `sub` = the client id, `aud` the
token endpoint's URL, expiring at most 5 minutes ahead, and its `jti` used once, across
every process (the store refuses a second use: domain.tokens.UsedAssertion).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from authlib.oauth2.rfc6749 import InvalidClientError
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, GuestProtocol, RSAKey

from api.services import services

PRIVATE_KEY_JWT = "private_key_jwt"
SIGNING_ALGORITHMS = ("RS256", "ES256")
MAX_LIFETIME = timedelta(minutes=5)
LEEWAY = timedelta(seconds=30)  # for the client's clock, either way
MAX_ASSERTION_CHARS = 8192
MAX_JTI_CHARS = 200


def _refused(description: str) -> InvalidClientError:
    return InvalidClientError(description=description)


class PrivateKeyJwt(JWTBearerClientAssertion):  # type: ignore[misc]
    CLIENT_AUTH_METHOD = PRIVATE_KEY_JWT

    def __init__(self) -> None:
        super().__init__(validate_jti=True, leeway=int(LEEWAY.total_seconds()))

    def __call__(self, query_client: Any, oauth_request: Any) -> Any:
        """Refuses an oversized assertion before Authlib parses it."""
        assertion = oauth_request.form.get("client_assertion")
        if isinstance(assertion, str) and len(assertion) > MAX_ASSERTION_CHARS:
            raise _refused("the client assertion is too long")
        return super().__call__(query_client, oauth_request)

    def get_audiences(self) -> list[str]:
        return [f"{services().settings.base_url}/oauth/token"]

    def resolve_client_public_key(self, client: Any) -> Any:
        """A resolver for the assertion's header: the app's key it names. It notes the kid
        on the client, for the token (the tokens a key obtained name it)."""

        def key_for(token: GuestProtocol) -> RSAKey | ECKey:
            header = token.headers()
            keys = client.app.client_keys
            kid = header.get("kid")
            if kid is None and len(keys) == 1:
                kid = next(iter(keys))
            if not isinstance(kid, str) or kid not in keys:
                raise _refused("the assertion's kid names none of the application's keys")
            jwk = keys[kid]
            if header.get("alg") != jwk["alg"]:
                raise _refused(f"this key signs with {jwk['alg']}")
            client.key_id = kid
            if jwk["kty"] == "RSA":
                return RSAKey.import_key(jwk)
            return ECKey.import_key(jwk)

        return key_for

    def process_assertion_claims(self, assertion: str, resolve_key: Any) -> dict[str, Any]:
        try:
            token = jwt.decode(assertion, resolve_key, algorithms=list(SIGNING_ALGORITHMS))
        except InvalidClientError:
            raise
        except (JoseError, ValueError, TypeError):
            raise _refused("the client assertion's signature does not verify") from None
        self.verify_claims(token.claims)
        return dict(token.claims)

    def verify_claims(self, claims: Any) -> None:
        now = services().clock.now()
        client_id = claims.get("sub")
        if claims.get("iss") != client_id:
            raise _refused("the assertion's iss and sub must both be the client id")
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if not set(self.get_audiences()) & {a for a in audiences if isinstance(a, str)}:
            raise _refused("the assertion's aud must be the token endpoint's URL")
        expires = _moment(claims.get("exp"), "exp")
        if expires <= now - LEEWAY:
            raise _refused("the client assertion has expired")
        if expires > now + MAX_LIFETIME + LEEWAY:
            raise _refused("a client assertion may be valid for at most 5 minutes")
        if "nbf" in claims and _moment(claims["nbf"], "nbf") > now + LEEWAY:
            raise _refused("the client assertion is not valid yet")
        if "iat" in claims and expires - _moment(claims["iat"], "iat") > MAX_LIFETIME + LEEWAY:
            raise _refused("a client assertion may be valid for at most 5 minutes")
        jti = claims.get("jti")
        if not isinstance(jti, str) or not jti or len(jti) > MAX_JTI_CHARS:
            raise _refused(f"the assertion needs a jti of 1-{MAX_JTI_CHARS} characters")
        if not self.validate_jti(claims, jti):
            raise _refused("this client assertion was used before; sign a new one per request")

    def validate_jti(self, claims: Any, jti: str) -> bool:
        expires = _moment(claims.get("exp"), "exp")
        return bool(services().commands.oauth.use_assertion(str(claims["sub"]), jti, expires))


def _moment(value: Any, name: str) -> datetime:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise _refused(f"the assertion needs a numeric {name}")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise _refused(f"the assertion's {name} is out of range") from None
