"""The token service: RFC 9068 JWTs signed with the current key, verified without a database
read, keys sealed at rest and rotated with overlap."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from uuid import uuid4

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, OctKey

from adapters import access_tokens
from adapters.access_tokens import AccessTokenService
from adapters.signing_keys import ConfiguredSigningKeys, KeySealer, SigningKeyError, new_key
from domain.credentials import new_token_id
from domain.tokens import MAX_ACCESS_TOKEN_CHARS, AccessClaims, InvalidAccessToken
from tests.support import FakeClock
from tests.unit.conftest import ISSUER, TOKEN_TTL, stored_keys, token_service

OVERLAP = TOKEN_TTL + timedelta(seconds=access_tokens.REFRESH_SECONDS)


def claims_now(clock: FakeClock) -> AccessClaims:
    now = clock.now().replace(microsecond=0)
    return AccessClaims(new_token_id(), uuid4(), "client-1", now, now + TOKEN_TTL)


def parts(token: str) -> tuple[dict[str, object], dict[str, object]]:
    header, payload, _ = token.split(".")
    decode = lambda part: json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))  # noqa: E731
    return decode(header), decode(payload)


def test_a_signed_token_carries_the_rfc_9068_claims_and_verifies() -> None:
    clock = FakeClock()
    tokens = token_service(clock)
    claims = claims_now(clock)
    token = tokens.sign(claims)
    header, payload = parts(token)
    assert header == {"typ": "at+jwt", "alg": "ES256", "kid": tokens.current_kid()}
    assert payload == {
        "iss": ISSUER,
        "sub": "client-1",
        "aud": f"{ISSUER}/soap",
        "client_id": "client-1",
        "app_id": str(claims.app_id),
        "iat": int(claims.issued_at.timestamp()),
        "exp": int(claims.expires_at.timestamp()),
        "jti": claims.jti,
        "cred": {"secret": 0},  # what the client authenticated with (SPEC 14)
    }
    assert tokens.verify(token) == claims
    # A long BASE_URL still leaves room under the limit.
    long_issuer = "https://" + "integrations-" * 8 + ".example.com"
    other = AccessTokenService(stored_keys(clock), clock, long_issuer, long_issuer, TOKEN_TTL)
    assert len(other.sign(claims)) < MAX_ACCESS_TOKEN_CHARS / 2


def test_expiry_is_left_to_the_caller_s_clock() -> None:
    clock = FakeClock()
    tokens = token_service(clock)
    claims = claims_now(clock)
    token = tokens.sign(claims)
    clock.advance(hours=2)
    assert tokens.verify(token).expires_at < clock.now()  # still the app's, but expired


@pytest.mark.parametrize(
    "bad",
    ["", "garbage", "a.b.c", "a.b", "....", "x" * (MAX_ACCESS_TOKEN_CHARS + 1), "é.é.é"],
)
def test_malformed_tokens_are_invalid(bad: str) -> None:
    with pytest.raises(InvalidAccessToken):
        token_service(FakeClock()).verify(bad)


def test_tampered_tokens_are_invalid() -> None:
    clock = FakeClock()
    tokens = token_service(clock)
    token = tokens.sign(claims_now(clock))
    header, payload, signature = token.split(".")
    claims = parts(token)[1]
    forged = base64.urlsafe_b64encode(
        json.dumps({**claims, "app_id": str(uuid4())}).encode()
    ).rstrip(b"=")
    flipped = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    for bad in [f"{header}.{forged.decode()}.{signature}", f"{header}.{payload}.{flipped}"]:
        with pytest.raises(InvalidAccessToken):
            tokens.verify(bad)


def test_only_es256_at_jwt_from_this_issuer_for_this_audience() -> None:
    clock = FakeClock()
    keys = stored_keys(clock)
    tokens = token_service(clock, keys)
    key = keys.load()[0]
    claims = parts(tokens.sign(claims_now(clock)))[1]
    unsigned = (
        base64.urlsafe_b64encode(b'{"alg":"none","typ":"at+jwt"}').rstrip(b"=").decode()
        + "."
        + base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        + "."
    )
    # HS256 keyed with the public key's bytes: the classic algorithm confusion.
    public = json.dumps(key.key.as_dict(private=False)).encode()
    hmac_key = OctKey.import_key(public)
    hs256 = jwt.encode({"alg": "HS256", "typ": "at+jwt", "kid": key.kid}, claims, hmac_key)
    as_jwt = jwt.encode({"alg": "ES256", "typ": "JWT", "kid": key.kid}, claims, key.key)
    stranger = new_key()
    foreign = jwt.encode({"alg": "ES256", "typ": "at+jwt", "kid": key.kid}, claims, stranger)
    for bad in [unsigned, hs256, as_jwt, foreign]:
        with pytest.raises(InvalidAccessToken):
            tokens.verify(bad)
    for issuer, audience in [("https://evil.example", f"{ISSUER}/soap"), (ISSUER, ISSUER)]:
        elsewhere = AccessTokenService(keys, clock, issuer, audience, TOKEN_TTL)
        with pytest.raises(InvalidAccessToken):
            tokens.verify(elsewhere.sign(claims_now(clock)))


def test_rotation_overlaps_until_the_old_key_s_last_token_expires() -> None:
    clock = FakeClock()
    tokens = token_service(clock)
    first_kid = tokens.current_kid()
    old_token = tokens.sign(claims_now(clock))
    new_kid = tokens.rotate()
    assert new_kid != first_kid == parts(old_token)[0]["kid"]
    assert parts(tokens.sign(claims_now(clock)))[0]["kid"] == new_kid
    assert [k["kid"] for k in tokens.jwks()["keys"]] == [new_kid, first_kid]
    clock.advance(seconds=OVERLAP.total_seconds() - 1)
    assert tokens.verify(old_token).jti  # (expired by then, which the caller judges)
    clock.advance(seconds=2)
    with pytest.raises(InvalidAccessToken):
        tokens.verify(old_token)
    assert [k["kid"] for k in tokens.jwks()["keys"]] == [new_kid]
    # The next rotation drops the key that verifies nothing any more.
    tokens.rotate()
    assert first_kid not in [k.kid for k in tokens.source.load()]


def test_another_process_s_new_key_is_found_when_a_token_names_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock, seconds = FakeClock(), [1000.0]
    monkeypatch.setattr(access_tokens.time, "monotonic", lambda: seconds[0])
    keys = stored_keys(clock)
    one, two = token_service(clock, keys), token_service(clock, keys)  # two processes
    one.rotate()
    fresh = one.sign(claims_now(clock))
    with pytest.raises(InvalidAccessToken):
        two.verify(fresh)  # an unknown kid re-reads at most once a second
    seconds[0] += 1.5
    assert two.verify(fresh).jti
    assert two.current_kid() == one.current_kid()
    # And a process that only signs picks up the new key within REFRESH_SECONDS.
    three = token_service(clock, keys)
    one.rotate()
    assert three.current_kid() != one.current_kid()
    seconds[0] += access_tokens.REFRESH_SECONDS + 1
    assert three.current_kid() == one.current_kid()


def test_keys_are_sealed_at_rest_and_never_published_private() -> None:
    clock = FakeClock()
    keys = stored_keys(clock, secret="one secret")
    tokens = token_service(clock, keys)
    tokens.rotate()
    private = [k.key.as_dict(private=True)["d"] for k in keys.load()]
    rows = keys.db.query("SELECT * FROM signing_keys")
    assert len(rows) == 2 and not any(d in json.dumps(rows) for d in private)
    published = json.dumps(tokens.jwks())
    assert '"d"' not in published and not any(d in published for d in private)
    assert all(k["kty"] == "EC" and k["crv"] == "P-256" for k in tokens.jwks()["keys"])
    with pytest.raises(SigningKeyError, match="SECRET_KEY"):
        type(keys)(keys.db, KeySealer("another secret")).load()


def test_processes_starting_together_end_up_with_one_key() -> None:
    clock = FakeClock()
    keys = stored_keys(clock)
    twin = type(keys)(keys.db, keys.sealer)
    # Both saw an empty table and both insert generation 1: one insert wins.
    twin._add(1, clock.now())
    keys.ensure_one(clock.now())
    assert len(keys.load()) == 1 and keys.load()[0].kid == twin.load()[0].kid


def test_keys_given_in_signing_keys() -> None:
    clock = FakeClock()
    current, previous = new_key(), ECKey.generate_key("P-256", private=True)  # one without kid
    jwks = json.dumps({"keys": [current.as_dict(private=True), previous.as_dict(private=True)]})
    configured = ConfiguredSigningKeys(jwks)
    tokens = AccessTokenService(configured, clock, ISSUER, f"{ISSUER}/soap", TOKEN_TTL)
    assert tokens.current_kid() == current.kid
    assert [k["kid"] for k in tokens.jwks()["keys"]] == [current.kid, previous.thumbprint()]
    with pytest.raises(SigningKeyError, match="SIGNING_KEYS"):
        tokens.rotate()
    public_only = json.dumps({"keys": [current.as_dict(private=False)]})
    for bad in ["not json", '{"keys": []}', public_only]:
        with pytest.raises(SigningKeyError) as error:
            ConfiguredSigningKeys(bad)
        assert bad not in str(error.value)


def test_a_token_verified_before_is_not_checked_again_but_its_key_still_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = FakeClock()
    tokens = token_service(clock)
    token = tokens.sign(claims_now(clock))
    first = tokens.verify(token)
    decodes = []
    monkeypatch.setattr(access_tokens.jwt, "decode", lambda *a, **k: decodes.append(a))
    assert tokens.verify(token) == first and decodes == []
    # A single character changed is another text: it is checked, and fails.
    with pytest.raises(InvalidAccessToken):
        tokens.verify(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])
    assert len(decodes) == 1
    # The remembered token stops verifying when its key does.
    tokens.rotate()
    clock.advance(seconds=OVERLAP.total_seconds() + 1)
    with pytest.raises(InvalidAccessToken):
        tokens.verify(token)


def test_the_tokens_remembered_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access_tokens, "VERIFIED_CACHE_SIZE", 3)
    clock = FakeClock()
    tokens = token_service(clock)
    signed = [tokens.sign(claims_now(clock)) for _ in range(5)]
    for token in signed:
        tokens.verify(token)
    assert list(tokens._verified) == signed[2:]
