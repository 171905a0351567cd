"""SPEC 14 over real HTTP, SMTP and SOAP (zeep), on both databases: secret lifetimes, the
warnings before expiry and the answer after it, ending a secret at once, IP allowlists
(the client reaching the server from a second loopback address, and through a proxy)."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey
from requests.adapters import HTTPAdapter

from domain.credentials import new_client_secret
from tests.e2e.portal_client import OAuthClient, PortalApi
from tests.e2e.test_portal_edges import DEV, Live, assert_error, serve_group_a
from tests.mailbox import Mailbox, body
from tests.soap.support import SoapClient
from tests.support import FakeClock

ADMIN = "admin@a.example"
SECOND_ADDRESS = "127.0.0.2"  # Linux answers all of 127.0.0.0/8 on loopback


def active_app(live: Live) -> tuple[dict[str, Any], PortalApi, OAuthClient]:
    app = live.create()
    dev = live.sign_up()
    return app, dev, live.verify(dev, app["id"], app["otp"])


def soap_status(base: str, token: str, session: requests.Session | None = None) -> str:
    client = SoapClient(base, token)
    if session is not None:
        client.session.mount("http://", session.get_adapter("http://"))
    result = client.call("GetEntitiesByToken")
    return "Success" if result.Status == "Success" else str(result.ErrorCode)


def activity(live: Live, app_id: str) -> list[dict[str, Any]]:
    live.services.wait_for_views(live.services.store.head())
    return list(live.services.activity_log.rows(app_id))


# -- expiry --------------------------------------------------------------------------------------


def test_a_secret_warns_before_it_expires_then_is_refused_as_expired(live: Live) -> None:
    admin = live.admin
    assert admin.get("/group").json()["secret_lifetime_days"] == 365
    changed = admin.patch("/group", json={"secret_lifetime_days": 30})
    assert changed.status_code == 200 and changed.json()["secret_lifetime_days"] == 30
    assert_error(
        admin.patch("/group", json={"secret_lifetime_days": 7}), 422, "secret_lifetime_days"
    )
    app, dev, client = active_app(live)
    shown = admin.app(app["id"]).json()
    expires = datetime.fromisoformat(shown["secret_expires_at"])
    assert expires - live.clock.now() == timedelta(days=30)
    assert shown["secret_expires_in_days"] == 30
    assert shown["auth_methods"] == ["client_secret"]
    # The list finds it by its secret's expiry.
    soon = (live.clock.now() + timedelta(days=31)).isoformat()
    later = (live.clock.now() + timedelta(days=29)).isoformat()
    assert [a["id"] for a in admin.list_apps(secret_expires_before=soon).json()] == [app["id"]]
    assert admin.list_apps(secret_expires_before=later).json() == []
    assert_error(admin.list_apps(secret_expires_before="soon"), 422, "secret_expires_before")
    assert dev.app(app["id"]).json()["secret_expiry_warning"] is not None  # within 30 days
    # 7 days before: one warning, to the developer and the group's admins in one message.
    live.clock.advance(days=23)
    recorder = live.services.expiry_recorder
    assert recorder is not None
    recorder.run_once()
    recorder.run_once()  # nothing twice
    warning = live.next_mail(DEV, "secret_expiring")
    assert live.next_mail(ADMIN, "secret_expiring")["Message-ID"] == warning["Message-ID"]
    assert "in 7 days" in str(warning["Subject"]) and app["name"] in body(warning)
    live.login(dev)  # (the portal session ended days ago)
    live.relogin_admin()
    banner = dev.app(app["id"]).json()
    assert banner["secret_expires_in_days"] == 7 and "7 days" in banner["secret_expiry_warning"]
    assert live.access_token(client)  # still works until it expires
    # Expired: the token endpoint says so.
    live.clock.advance(days=7)
    refused = client.token_basic()
    assert refused.status_code == 401, refused.text
    assert refused.json() == {
        "error": "invalid_client",
        "error_description": "client secret expired",
    }
    assert client.token_post().json()["error_description"] == "client secret expired"
    # A wrong secret still gets the plain answer: "expired" tells only the holder of it.
    wrong = client.token_basic(new_client_secret()).json()
    assert wrong["error"] == "invalid_client" and "expired" not in wrong["error_description"]
    live.login(dev)
    rotated = dev.rotate_secret(app["id"])
    assert rotated.status_code == 200
    live.seen.append(rotated.json()["client_secret"])
    fresh = OAuthClient(live.base, client.client_id, rotated.json()["client_secret"])
    assert live.access_token(fresh)
    assert [m["X-Integrations-Kind"] for m in live.mailbox.to(ADMIN)] == ["secret_expiring"]
    names = [row["event"] for row in activity(live, app["id"])]
    assert names.count("secret_expiry_warned") == 1
    live.assert_no_secret_stored()


# -- ending a secret at once --------------------------------------------------------------------


def test_the_developer_ends_a_leaked_secret_and_its_tokens_stop_at_once(live: Live) -> None:
    app, dev, client = active_app(live)
    token = live.access_token(client)
    assert soap_status(live.base, token) == "Success"
    ended = dev.request("POST", f"/apps/{app['id']}/secret/revoke-now")
    assert ended.status_code == 200, ended.text
    assert ended.json()["auth_methods"] == []
    # The token obtained with it fails its very next call; the secret is refused.
    assert soap_status(live.base, token) == "INVALID_TOKEN"
    assert client.token_basic().json()["error"] == "invalid_client"
    # The admins are told; the developer generates a new secret and runs again.
    notice = live.next_mail(ADMIN, "secret_ended")
    assert DEV in body(notice)
    again = dev.request("POST", f"/apps/{app['id']}/secret/revoke-now")
    assert_error(again, 409, says="no client secret")
    rotated = dev.rotate_secret(app["id"])
    live.seen.append(rotated.json()["client_secret"])
    fresh = OAuthClient(live.base, client.client_id, rotated.json()["client_secret"])
    assert soap_status(live.base, live.access_token(fresh)) == "Success"
    names = [row["event"] for row in activity(live, app["id"])]
    assert "client_secret_ended" in names
    live.assert_no_secret_stored()


def test_an_admin_ends_the_secret_and_the_developer_is_told(live: Live) -> None:
    app, dev, client = active_app(live)
    token = live.access_token(client)
    path = f"/integration-applications/{app['id']}/revoke-secret"
    assert_error(live.admin.post(path, json={}), 422, "confirm")
    assert_error(live.admin.post(path, json={"confirm": False}), 422, "confirm")
    ended = live.admin.post(path, json={"confirm": True})
    assert ended.status_code == 200, ended.text
    assert ended.json()["auth_methods"] == []
    assert soap_status(live.base, token) == "INVALID_TOKEN"
    notice = live.next_mail(DEV, "secret_ended")
    assert "/portal/" in body(notice)
    assert dev.app(app["id"]).json()["auth_methods"] == []


# -- IP allowlists -----------------------------------------------------------------------------


class SourceAddress(HTTPAdapter):
    """Connects from a given local address: a client on another machine, for the server."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def from_address(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", SourceAddress(address))
    return session


def token_from(
    session: requests.Session, live: Live, client: OAuthClient, **headers: str
) -> requests.Response:
    return session.post(
        f"{live.base}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client.client_id, client.client_secret),
        headers=headers,
        timeout=30,
    )


def test_an_allowlist_takes_effect_at_once_for_tokens_and_soap_calls(live: Live) -> None:
    app, _, client = active_app(live)
    here, there = from_address("127.0.0.1"), from_address(SECOND_ADDRESS)
    token = token_from(there, live, client).json()["access_token"]
    live.seen.append(token)
    edited = live.admin.edit_app(app["id"], allowed_ips=[f"{SECOND_ADDRESS}/32", "2001:db8::/32"])
    assert edited.status_code == 200, edited.text
    assert edited.json()["allowed_ips"] == [f"{SECOND_ADDRESS}/32", "2001:db8::/32"]
    assert_error(live.admin.edit_app(app["id"], allowed_ips=["10.1.2.3/8"]), 422, "allowed_ips")
    # From the allowed address: tokens and calls work; from elsewhere, both are refused.
    assert token_from(there, live, client).status_code == 200
    assert soap_status(live.base, token, there) == "Success"
    refused = token_from(here, live, client)
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
    # (Refusals for one reason are logged once a minute, the rest counted: a minute on.)
    live.clock.advance(seconds=61)
    assert soap_status(live.base, token, here) == "IP_NOT_ALLOWED"
    log = activity(live, app["id"])
    denied = [row["details"] for row in log if row["event"] == "call_denied"]
    assert any("oauth_token" in d and "IP_NOT_ALLOWED" in d for d in denied), denied
    assert any("GetEntitiesByToken" in d and "IP_NOT_ALLOWED" in d for d in denied), denied
    # Emptying the list allows any address again, at once.
    assert live.admin.edit_app(app["id"], allowed_ips=[]).status_code == 200
    assert soap_status(live.base, token, here) == "Success"


@pytest.fixture
def behind_proxy(
    make_settings: Callable[..., Any],
    clock: FakeClock,
    mailbox: Mailbox,
) -> Iterator[Live]:
    settings = make_settings(
        SMTP_HOST="127.0.0.1", SMTP_PORT=str(mailbox.port), TRUSTED_PROXIES="1"
    )
    yield from serve_group_a(settings, clock, mailbox, [("A1", "Alpha Ltd")])


def test_behind_a_trusted_proxy_the_forwarded_address_is_judged(behind_proxy: Live) -> None:
    live = behind_proxy
    app, _, client = active_app(live)
    live.admin.edit_app(app["id"], allowed_ips=["203.0.113.0/24"])
    direct = from_address("127.0.0.1")
    # The proxy's own address is not the client's: refused without the header ...
    assert token_from(direct, live, client).status_code == 401
    # ... and judged by the address the proxy forwards (the last hop it added).
    allowed = token_from(direct, live, client, **{"X-Forwarded-For": "203.0.113.9"})
    assert allowed.status_code == 200, allowed.text
    spoofed = token_from(direct, live, client, **{"X-Forwarded-For": "203.0.113.9, 198.51.100.1"})
    assert spoofed.status_code == 401  # a client cannot prepend an address the proxy trusts
    token = allowed.json()["access_token"]
    live.seen.append(token)
    soap = SoapClient(live.base, token)
    soap.session.headers["X-Forwarded-For"] = "203.0.113.77"
    assert soap.call("GetEntitiesByToken").Status == "Success"
    soap.session.headers["X-Forwarded-For"] = "198.51.100.1"
    assert soap.call("GetEntitiesByToken").ErrorCode == "IP_NOT_ALLOWED"


# -- private_key_jwt (RFC 7523) -------------------------------------------------------------------


def assertion(live: Live, client_id: str, key: Any, kid: str | None, **claims: Any) -> str:
    """What a client signs, as the portal's Python example does."""
    now = int(live.clock.now().timestamp())
    payload = {
        "iss": client_id,
        "sub": client_id,
        "aud": f"{live.services.settings.base_url}/oauth/token",  # metadata's token_endpoint
        "iat": now,
        "exp": now + 120,
        "jti": secrets.token_urlsafe(16),
        **claims,
    }
    alg = "ES256" if isinstance(key, ECKey) else "RS256"
    header = {"alg": alg, **({"kid": kid} if kid else {})}
    return jwt.encode(header, payload, key, algorithms=[alg])


def token_with(live: Live, signed: str) -> requests.Response:
    return requests.post(
        f"{live.base}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": signed,
        },
        timeout=30,
    )


def test_a_client_switches_from_its_secret_to_a_signed_assertion_without_downtime(
    live: Live,
) -> None:
    app, dev, client = active_app(live)
    metadata = requests.get(f"{live.base}/.well-known/oauth-authorization-server", timeout=30)
    assert "private_key_jwt" in metadata.json()["token_endpoint_auth_methods_supported"]
    # 1. The developer registers the public half of a key pair made on their side.
    ec = ECKey.generate_key("P-256")
    refused = dev.request("POST", f"/apps/{app['id']}/keys", json={"jwk": ec.as_dict(private=True)})
    assert_error(refused, 422, "jwk", "private")
    added = dev.request(
        "POST", f"/apps/{app['id']}/keys", json={"jwk": {**ec.as_dict(private=False), "kid": "k1"}}
    )
    assert added.status_code == 201, added.text
    assert added.json()["client_keys"] == [{"kid": "k1", "alg": "ES256", "kty": "EC"}]
    assert added.json()["auth_methods"] == ["client_secret", "private_key_jwt"]
    # 2. Both ways work side by side while the integration switches over.
    assert live.access_token(client)
    signed = assertion(live, client.client_id, ec, "k1")
    issued = token_with(live, signed)
    assert issued.status_code == 200, issued.text
    token = issued.json()["access_token"]
    live.seen.append(token)
    assert soap_status(live.base, token) == "Success"
    # An assertion is used once, across processes (the store refuses a second use).
    again = token_with(live, signed)
    assert again.status_code in (400, 401) and again.json()["error"] == "invalid_client"
    assert "used before" in again.json()["error_description"]
    # What a careful server refuses: another audience, too long a life, another key, no kid
    # when it cannot tell, another client's name.
    rsa = RSAKey.generate_key(2048)
    for bad, says in (
        (assertion(live, client.client_id, ec, "k1", aud="https://elsewhere/token"), "aud"),
        (
            assertion(
                live, client.client_id, ec, "k1", exp=int(live.clock.now().timestamp()) + 3600
            ),
            "5 minutes",
        ),
        (
            assertion(
                live, client.client_id, ec, "k1", exp=int(live.clock.now().timestamp()) - 120
            ),
            "expired",
        ),
        (assertion(live, client.client_id, rsa, "k1"), "signs with ES256"),
        (assertion(live, client.client_id, ec, "k9"), "kid"),
        (assertion(live, client.client_id, ec, "k1", iss="someone-else"), "iss"),
    ):
        answer = token_with(live, bad)
        assert answer.status_code in (400, 401), (says, answer.text)
        assert (
            answer.json()["error"] == "invalid_client"
            and says in answer.json()["error_description"]
        )
    # Hostile assertions get a clear 4xx, never a 500.
    unsigned = ".".join(
        base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=")
        for part in ({"alg": "none"}, {"iss": client.client_id, "sub": client.client_id})
    )
    for hostile in (
        "x",
        "a.b.c",
        unsigned + ".",
        assertion(live, client.client_id, ec, "k1", sub=["a", "list"]),
        assertion(live, client.client_id, ec, "k1", exp="tomorrow"),
        "e" * 100_000,
    ):
        answer = token_with(live, hostile)
        assert answer.status_code in (400, 401), answer.text
        assert answer.json()["error"] == "invalid_client"
    # 3. The developer ends the secret: key-signed tokens go on working, secret ones stop.
    secret_token = live.access_token(client)
    assert dev.request("POST", f"/apps/{app['id']}/secret/revoke-now").status_code == 200
    assert soap_status(live.base, secret_token) == "INVALID_TOKEN"
    assert soap_status(live.base, token) == "Success"
    later = token_with(live, assertion(live, client.client_id, ec, None))  # one key: kid optional
    assert later.status_code == 200, later.text
    live.seen.append(later.json()["access_token"])
    # 4. Deleting the key stops new assertions.
    assert dev.request("DELETE", f"/apps/{app['id']}/keys/k1").status_code == 204
    gone = token_with(live, assertion(live, client.client_id, ec, "k1"))
    assert gone.json()["error"] == "invalid_client"
    names = [row["event"] for row in activity(live, app["id"])]
    assert {"client_key_added", "client_key_removed"} <= set(names)
    live.assert_no_secret_stored()
