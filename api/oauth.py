"""OAuth 2.0 (Authlib): client credentials, revocation, introspection and metadata.

All OAuth wiring lives here behind `init_oauth(app)`. Clients are integration apps: their
secrets, keys (private_key_jwt, RFC 7523) and allowed addresses are checked against the live
aggregate (so a revoked app, an ended secret or a removed address is `invalid_client` at
once). Access tokens are JWTs (RFC 9068) signed with the server's current key, published at
`jwks_uri`; each issuance is recorded (its jti, never the token) before the answer, with no
wait for any view: the token carries what an API call checks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, InvalidClientError, TokenMixin, grants
from authlib.oauth2.rfc6749.authenticate_client import (
    authenticate_client_secret_basic,
    authenticate_client_secret_post,
)
from authlib.oauth2.rfc6749.util import extract_basic_authorization
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from flask import Blueprint, Flask, Response, jsonify, request
from flask_limiter.util import get_remote_address

from api.client_assertions import PRIVATE_KEY_JWT, SIGNING_ALGORITHMS, PrivateKeyJwt
from api.limits import limiter
from api.services import services
from domain.addresses import address_allowed
from domain.apps import IntegrationApp, SecretCheck, SecretMatch
from domain.credentials import plausible_client_secret, token_digest
from domain.tokens import AccessClaims, AccessToken, InvalidAccessToken

SECRET_METHODS = ("client_secret_basic", "client_secret_post")
AUTH_METHODS = [*SECRET_METHODS, PRIVATE_KEY_JWT]
JWKS_MAX_AGE = 60


def _now() -> datetime:
    return services().clock.now()


class OAuthClient(ClientMixin):  # type: ignore[misc]
    def __init__(self, app: IntegrationApp) -> None:
        self.app = app
        # How this request authenticated: the secret it matched, or the key it signed with.
        self.secret_match = SecretMatch(SecretCheck.WRONG)
        self.key_id: str | None = None

    def get_client_id(self) -> str:
        return self.app.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        return ""

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        """True for an expired secret too: `_guarded` then answers that it expired."""
        self.secret_match = self.app.match_secret(token_digest(client_secret), _now())
        return self.secret_match.check is not SecretCheck.WRONG

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if method == PRIVATE_KEY_JWT:
            return bool(self.app.client_keys)
        return method in SECRET_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class OAuthToken(TokenMixin):  # type: ignore[misc]
    """A token whose signature checked out, and the record of its issuance (live state)."""

    def __init__(self, claims: AccessClaims, record: AccessToken) -> None:
        self.claims = claims
        self.record = record

    def check_client(self, client: OAuthClient) -> bool:
        return bool(self.record.app_id == client.app.id)

    def get_scope(self) -> str:
        return ""

    def get_expires_in(self) -> int:
        return max(0, int((self.claims.expires_at - _now()).total_seconds()))

    def is_expired(self) -> bool:
        return _now() >= self.claims.expires_at

    def is_revoked(self) -> bool:
        app = services().commands.oauth.client_app(self.record.app_id)
        return (
            self.record.revoked
            or app is None
            or app.secret_version_ended(self.claims.secret_version)
        )


def query_client(client_id: str) -> OAuthClient | None:
    """A new client object per request: it records how this request authenticated."""
    if not isinstance(client_id, str) or len(client_id) > 100:
        return None
    access = services().access.for_client(client_id)
    if access is None or access["suspended"]:  # its group left AIQ3 (SPEC 11)
        return None
    app = services().commands.oauth.client_app(UUID(access["app_id"]))
    return OAuthClient(app) if app else None


def signed_token(
    grant_type: str, client: OAuthClient, user: Any = None, scope: Any = None, **_: Any
) -> dict[str, Any]:
    """Authlib's token generator. The handler makes the jti, signs the token and records
    the issuance in one step, so Authlib's `save_token` has nothing left to do."""
    issued = services().commands.oauth.issue_access_token(
        client.app, secret_version=client.secret_match.version, key_id=client.key_id
    )
    services().usage.token_issued(client.app.id)
    return {
        "token_type": "Bearer",
        "access_token": issued.access_token,
        "expires_in": issued.expires_in,
    }


def _recorded_when_issued(token: dict[str, Any], oauth_request: Any) -> None:
    """Authlib's `save_token`: already done by `signed_token`."""


def _query_token(token_string: str) -> OAuthToken | None:
    try:
        claims = services().access_tokens.verify(token_string)
    except InvalidAccessToken:
        return None
    record = services().commands.oauth.find_access_token(claims.jti)
    return OAuthToken(claims, record) if record else None


class Revocation(RevocationEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = AUTH_METHODS

    def query_token(self, token_string: str, token_type_hint: str | None) -> OAuthToken | None:
        return _query_token(token_string)

    def revoke_token(self, token: OAuthToken, oauth_request: Any) -> None:
        svc = services()
        position = svc.commands.oauth.revoke_access_token(oauth_request.client.app, token.record)
        svc.wait_for_views(position, "access")  # the revoked token fails its next SOAP call


class Introspection(IntrospectionEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = AUTH_METHODS

    def query_token(self, token_string: str, token_type_hint: str | None) -> OAuthToken | None:
        return _query_token(token_string)

    def check_permission(self, token: OAuthToken, client: OAuthClient, req: Any) -> bool:
        return token.check_client(client)  # an app may introspect only its own tokens

    def introspect_token(self, token: OAuthToken) -> dict[str, Any]:
        access = services().access_tokens
        claims = token.claims
        return {
            "active": True,
            "client_id": claims.client_id,
            "token_type": "Bearer",
            "scope": "",
            "exp": int(claims.expires_at.timestamp()),
            "iat": int(claims.issued_at.timestamp()),
            "sub": claims.client_id,
            "aud": access.audience,
            "iss": access.issuer,
            "jti": claims.jti,
        }


class ClientCredentials(grants.ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS


ClientAuth = Callable[[Callable[[str], Any], Any], Any]


def _guarded(
    authenticate: ClientAuth, sent_secret: Callable[[Any], Any] | None = None
) -> ClientAuth:
    """One of Authlib's client authentications, for every endpoint that authenticates
    clients (token, revocation, introspection), with our rules around it:
    - first, a secret in our format whose checksum does not hold (a typo, a copy cut short)
      is refused with no app read, exactly as Authlib answers a wrong secret;
    - then, a right secret that has expired is told so (SPEC 14);
    - a client that authenticated from an address its allowlist does not hold is refused,
      and the refusal goes to the app's activity log (a wrong secret from anywhere is not
      recorded: anyone who knows a client id could fill the log otherwise)."""

    def authenticate_checked(query_client: Callable[[str], Any], oauth_request: Any) -> Any:
        secret = sent_secret(oauth_request) if sent_secret else None
        if isinstance(secret, str) and not plausible_client_secret(secret):
            return None
        client = authenticate(query_client, oauth_request)
        if not isinstance(client, OAuthClient):
            return client
        status = 401 if request.authorization else 400
        if client.secret_match.check is SecretCheck.EXPIRED:
            raise InvalidClientError(status_code=status, description="client secret expired")
        if not address_allowed(request.remote_addr, client.app.allowed_ips):
            services().denied_calls.record(
                client.app.id, client.app.client_id, _endpoint_name(), "", "IP_NOT_ALLOWED"
            )
            raise InvalidClientError(
                status_code=status,
                description="this client may not be used from your address",
            )
        return client

    return authenticate_checked


def _endpoint_name() -> str:
    """What the activity log names the refused request after: token, revoke, introspect."""
    return "oauth_" + request.path.rstrip("/").rsplit("/", 1)[-1]


def _client_key() -> str:
    """Throttle per client id (from Basic auth or the form) and address."""
    auth = request.authorization
    client_id = auth.username if auth and auth.username else request.form.get("client_id", "")
    return f"{get_remote_address()}|{str(client_id)[:100]}"


def init_oauth(app: Flask) -> None:
    # Authlib logs every issued token in clear at DEBUG; never let those lines through.
    logging.getLogger("authlib").setLevel(max(logging.INFO, logging.getLogger().level))
    server = AuthorizationServer(app, query_client=query_client, save_token=_recorded_when_issued)
    server.register_token_generator("default", signed_token)
    server.register_client_auth_method(
        "client_secret_basic",
        _guarded(
            authenticate_client_secret_basic, lambda r: extract_basic_authorization(r.headers)[1]
        ),
    )
    server.register_client_auth_method(
        "client_secret_post",
        _guarded(authenticate_client_secret_post, lambda r: r.form.get("client_secret")),
    )
    server.register_client_auth_method(PRIVATE_KEY_JWT, _guarded(PrivateKeyJwt()))
    server.register_grant(ClientCredentials)
    server.register_endpoint(Revocation)
    server.register_endpoint(Introspection)
    blp = Blueprint("oauth", __name__)

    @blp.post("/oauth/token")
    @limiter.limit("120 per minute", key_func=_client_key)
    def issue_token() -> Response:
        return server.create_token_response()  # type: ignore[no-any-return]

    @blp.post("/oauth/revoke")
    @limiter.limit("120 per minute", key_func=_client_key)
    def revoke_token() -> Response:
        return server.create_endpoint_response(Revocation.ENDPOINT_NAME)  # type: ignore[no-any-return]

    @blp.post("/oauth/introspect")
    @limiter.limit("600 per minute", key_func=_client_key)
    def introspect_token() -> Response:
        return server.create_endpoint_response(Introspection.ENDPOINT_NAME)  # type: ignore[no-any-return]

    @blp.get("/.well-known/oauth-authorization-server")
    def metadata() -> Response:
        base = services().settings.base_url
        return jsonify(
            {
                "issuer": base,
                "token_endpoint": f"{base}/oauth/token",
                "revocation_endpoint": f"{base}/oauth/revoke",
                "introspection_endpoint": f"{base}/oauth/introspect",
                "jwks_uri": f"{base}/.well-known/jwks.json",
                "grant_types_supported": ["client_credentials"],
                "response_types_supported": [],
                "token_endpoint_auth_methods_supported": AUTH_METHODS,
                "token_endpoint_auth_signing_alg_values_supported": list(SIGNING_ALGORITHMS),
                "revocation_endpoint_auth_methods_supported": AUTH_METHODS,
                "introspection_endpoint_auth_methods_supported": AUTH_METHODS,
                "service_documentation": f"{base}/docs",
            }
        )

    @blp.get("/.well-known/jwks.json")
    def jwks() -> Response:
        response = jsonify(services().access_tokens.jwks())
        # Public keys only. Briefly cacheable: a new key signs as soon as it is made, and a
        # resource server that meets an unknown kid should fetch this again anyway.
        response.headers["Cache-Control"] = f"public, max-age={JWKS_MAX_AGE}"
        return response

    app.register_blueprint(blp)
