"""Signed access tokens end to end: a standard OAuth client obtains one, a resource server
could verify it from the published keys alone, SOAP takes it at once, and keys rotate with
overlap."""

from __future__ import annotations

import argparse
import base64
import json
import time
from typing import Any

import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet

from domain.tokens import MAX_ACCESS_TOKEN_CHARS
from entrypoints.cli import cmd_keys
from tests.soap.conftest import SoapWorld
from tests.soap.support import get_token
from tests.support import FakeClock


def metadata(world: SoapWorld) -> dict[str, Any]:
    found = requests.get(f"{world.server.url}/.well-known/oauth-authorization-server", timeout=30)
    return dict(found.json())


def published_keys(world: SoapWorld) -> requests.Response:
    return requests.get(f"{world.server.url}/.well-known/jwks.json", timeout=30)


def kids(world: SoapWorld) -> list[str]:
    return [k["kid"] for k in published_keys(world).json()["keys"]]


def header_of(token: str) -> dict[str, Any]:
    part = token.split(".")[0]
    return dict(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))))


def test_a_standard_client_s_token_verifies_against_the_published_keys(
    soap_world: SoapWorld,
) -> None:
    meta = metadata(soap_world)
    assert meta["jwks_uri"] == "http://testserver/.well-known/jwks.json"
    # The test server's BASE_URL is http://testserver: reach the same paths on its real port.
    token_endpoint = meta["token_endpoint"].replace("http://testserver", soap_world.server.url)
    client = OAuth2Session(
        soap_world.writer.client_id,
        soap_world.writer.client_secret,
        token_endpoint_auth_method="client_secret_basic",
    )
    token = client.fetch_token(token_endpoint, grant_type="client_credentials")
    assert token["token_type"].lower() == "bearer" and token["expires_in"] == 3600
    access_token = token["access_token"]
    assert len(access_token) < MAX_ACCESS_TOKEN_CHARS

    # As a resource server would: the JWKS alone, ES256 only, then the RFC 9068 checks.
    jwks = published_keys(soap_world)
    assert jwks.status_code == 200
    assert jwks.headers["Cache-Control"] == "public, max-age=60"
    assert '"d"' not in jwks.text and all("d" not in k for k in jwks.json()["keys"])
    verified = jwt.decode(access_token, KeySet.import_key_set(jwks.json()), algorithms=["ES256"])
    assert verified.header["typ"] == "at+jwt" and verified.header["kid"] in kids(soap_world)
    claims = verified.claims
    assert claims["iss"] == meta["issuer"] == "http://testserver"
    assert claims["aud"] == "http://testserver/soap"
    assert claims["sub"] == claims["client_id"] == soap_world.writer.client_id
    assert claims["app_id"] == soap_world.writer.app_id
    assert claims["exp"] - claims["iat"] == 3600 and len(claims["jti"]) >= 22
    assert claims["exp"] > time.time()

    # The token works on SOAP at once, and introspection agrees with it.
    result = soap_world.client(access_token).call("GetCustomerList", entity="A1")
    assert result.Status == "Success", result.ErrorMessage
    seen = client.post(
        meta["introspection_endpoint"].replace("http://testserver", soap_world.server.url),
        data={"token": access_token},
        auth=(soap_world.writer.client_id, soap_world.writer.client_secret),
    ).json()
    assert seen["active"] is True
    assert (seen["jti"], seen["aud"], seen["exp"]) == (claims["jti"], claims["aud"], claims["exp"])


def test_issuing_waits_for_no_view_and_the_token_works_at_once(soap_world: SoapWorld) -> None:
    services = soap_world.services
    for runner in services.runners:  # no projection moves while the token is issued and used
        runner.stop()
    services.runners = []
    started = time.monotonic()
    token = get_token(soap_world.server.url, soap_world.reader)
    assert time.monotonic() - started < 5  # READ_MODEL_TIMEOUT_SECONDS is 60 here
    result = soap_world.client(token).call("GetCustomerList", entity="A1")
    assert result.Status == "Success", result.ErrorMessage
    services.start_projections()
    issued = [
        r for r in soap_world.activity(soap_world.reader.app_id) if r["event"] == "token_issued"
    ]
    assert len(issued) == 2  # the fixture's token and this one: every issuance is in the log


def test_forged_and_foreign_tokens_are_invalid_never_an_error(soap_world: SoapWorld) -> None:
    token = soap_world.writer_token
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))

    def b64(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    # The reader's app id in the writer's signed token: the signature no longer matches.
    other_app = b64({**claims, "app_id": soap_world.reader.app_id})
    unsigned = f"{b64({'alg': 'none', 'typ': 'at+jwt'})}.{payload}."
    stranger = ECKey.generate_key("P-256", private=True)
    kid = header_of(token)["kid"]
    foreign = jwt.encode({"alg": "ES256", "typ": "at+jwt", "kid": kid}, claims, stranger)
    unknown_kid = jwt.encode({"alg": "ES256", "typ": "at+jwt", "kid": "nope"}, claims, stranger)
    for bad in [
        f"{header}.{other_app}.{signature}",
        unsigned,
        foreign,
        unknown_kid,
        f"{header}.{payload}",
        "x" * (MAX_ACCESS_TOKEN_CHARS + 1),
    ]:
        result = soap_world.client(bad).call("GetEntitiesByToken")
        assert (result.Status, result.ErrorCode) == ("Failure", "INVALID_TOKEN"), bad[:40]
        assert result.ErrorMessage in (
            "the access token is not valid",
            "send Authorization: Bearer <access token>",
        )
    assert soap_world.client(token).call("GetEntitiesByToken").Status == "Success"


def test_rotation_keeps_old_tokens_working_until_they_expire(
    soap_world: SoapWorld, clock: FakeClock, capsys: Any
) -> None:
    old_token = soap_world.writer_token
    old_kid = header_of(old_token)["kid"]
    assert kids(soap_world) == [old_kid]

    cmd_keys(argparse.Namespace(action="rotate"), soap_world.services)
    new_kid = capsys.readouterr().out.split()[3].rstrip(";")
    assert new_kid != old_kid
    new_token = get_token(soap_world.server.url, soap_world.writer)
    assert header_of(new_token)["kid"] == new_kid
    assert kids(soap_world) == [new_kid, old_kid]  # both published during the overlap
    for token in (old_token, new_token):
        assert soap_world.client(token).call("GetEntitiesByToken").Status == "Success"

    clock.advance(seconds=3601)  # the old key's last token has expired...
    expired = soap_world.client(old_token).call("GetEntitiesByToken")
    assert (expired.ErrorCode, expired.HasExpired) == ("TOKEN_EXPIRED", True)
    assert kids(soap_world) == [new_kid, old_kid]  # (kept a few seconds for slow processes)
    clock.advance(seconds=60)
    assert kids(soap_world) == [new_kid]  # ...and then the old key is neither published
    gone = soap_world.client(old_token).call("GetEntitiesByToken")
    assert gone.ErrorCode == "INVALID_TOKEN"  # ...nor accepted
    fresh = get_token(soap_world.server.url, soap_world.writer)
    assert soap_world.client(fresh).call("GetEntitiesByToken").Status == "Success"
