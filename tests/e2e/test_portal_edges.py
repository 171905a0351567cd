"""The edges of SPEC 4-6: bad invites and codes, 404s, entities, OTP expiry, secret grace,
OAuth errors, recognisable secrets (SPEC 14), throttling and secrets at rest; over real HTTP
and real SMTP, on both databases.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
import requests

from api.app import create_app
from composition.root import Services, build_services
from config.settings import Settings
from domain.actor import Actor
from domain.apps import IntegrationApp
from domain.credentials import new_client_secret, token_digest
from entrypoints.cli import bootstrap_group
from tests.conftest import LiveServer
from tests.e2e.client import PASSWORD, AdminApi
from tests.e2e.portal_client import OAuthClient, PortalApi, code_from, invite_token_from
from tests.mailbox import Mailbox, body
from tests.support import FakeClock

DEV = "dev@example.com"
DEV2 = "second.dev@example.com"
DEV_PASSWORD = "developer password 1"
ENTITIES = [
    ("A1", "Alpha Ltd"),
    ("A2", "Beta Ltd"),
    ("A3", "Gamma Ltd"),
    ("B10", "Alphabet Soup"),
    ("C7", "Delta Ltd"),
]
TOKEN_TTL = 600
ERROR_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    404: "not_found",
    409: "conflict",
    410: "gone",
    422: "validation_failed",
    429: "too_many_requests",
}


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox().start()
    yield box
    box.stop()


@dataclass
class Live:
    services: Services
    server: LiveServer
    ids: dict[str, Any]
    admin: AdminApi
    clock: FakeClock
    mailbox: Mailbox
    seen: list[str] = field(default_factory=list)  # every secret the test saw in clear
    read: dict[str, int] = field(default_factory=dict)  # mails read so far, per address
    names: Iterator[int] = field(default_factory=lambda: iter(range(1, 1000)))

    @property
    def base(self) -> str:
        return self.server.url

    def entity(self, code: str) -> str:
        return str(self.ids["entities"][code])

    # -- admin side ------------------------------------------------------------------------
    def relogin_admin(self) -> None:
        self.admin.login("admin@a.example")

    def create(
        self, email: str = DEV, codes: tuple[str, ...] = ("A1",), name: str | None = None
    ) -> dict[str, Any]:
        """A new_integration app for `email`; the response (with its OTP, remembered)."""
        created = self.admin.create_app(
            type="new_integration",
            name=name or f"Edge App {next(self.names)}",
            description="Syncs invoices",
            category="accounting",
            developer_email=email,
            api_permission="read",
            entity_ids=[self.entity(c) for c in codes],
        )
        assert created.status_code == 201, created.text
        self.seen.append(created.json()["otp"])
        return dict(created.json())

    # -- mail ------------------------------------------------------------------------------
    def next_mail(self, address: str, kind: str) -> Any:
        """The next e-mail to `address`, which must be of `kind`."""
        count = self.read.get(address, 0) + 1
        message = self.mailbox.wait_for(address, count=count)[count - 1]
        self.read[address] = count
        assert message["X-Integrations-Kind"] == kind, (message["Subject"], body(message))
        for secret in self.seen:  # no OTP, secret or token ever travels by e-mail
            if len(secret) == 8 and secret.isdigit():
                assert not re.search(rf"(?<![0-9]){secret}(?![0-9])", body(message))
        return message

    def invite(self, address: str = DEV) -> str:
        token = invite_token_from(self.next_mail(address, "invite"))
        self.seen += [token, token.partition(".")[2]]
        return token

    def code(self, address: str = DEV) -> str:
        code = code_from(self.next_mail(address, "signup_code"))
        self.seen.append(code)
        return code

    # -- developer side --------------------------------------------------------------------
    def portal(self) -> PortalApi:
        return PortalApi(self.base)

    def login(self, dev: PortalApi, email: str = DEV) -> PortalApi:
        assert dev.login(email).status_code == 201
        assert dev.token
        self.seen.append(dev.token)
        return dev

    def sign_up(self, email: str = DEV, token: str | None = None) -> PortalApi:
        """Signs `email` up from its (next e-mailed) invite and logs in."""
        token = token or self.invite(email)
        dev = self.portal()
        started = dev.start_signup(token)
        assert started.status_code == 202, started.text
        assert started.json() == {"email": email, "expires_in": 900}
        completed = dev.complete_signup(token, self.code(email))
        assert completed.status_code == 201, completed.text
        assert completed.json()["email"] == email
        return self.login(dev, email)

    def verify(self, dev: PortalApi, app_id: str, otp: str) -> OAuthClient:
        verified = dev.verify(app_id, otp)
        assert verified.status_code == 200, verified.text
        credentials = verified.json()
        assert credentials["status"] == "active"
        self.seen.append(credentials["client_secret"])
        return OAuthClient(self.base, credentials["client_id"], credentials["client_secret"])

    def access_token(self, client: OAuthClient, secret: str | None = None) -> str:
        issued = client.token_basic(secret)
        assert issued.status_code == 200, issued.text
        token = str(issued.json()["access_token"])
        self.seen.append(token)
        return token

    # -- secrets at rest -------------------------------------------------------------------
    def assert_no_secret_stored(self) -> None:
        """No secret the test saw is in any stored event (raw bytes, as the store holds them)."""
        notifications = self.services.store.recorder.select_notifications(start=1, limit=10**6)
        stored = b"\n".join(n.state for n in notifications)
        # The store is readable plain JSON, so absence below means something.
        assert DEV.encode() in stored and b"Edge App" in stored
        for secret in {*self.seen, DEV_PASSWORD, PASSWORD}:
            if secret.isdigit():  # OTPs and codes: not as a number of their own
                pattern = rf"(?<![0-9A-Za-z.]){secret}(?![0-9A-Za-z])".encode()
                assert not re.search(pattern, stored), secret
            else:
                assert secret.encode() not in stored, secret


@pytest.fixture
def live(make_settings: Any, clock: FakeClock, mailbox: Mailbox) -> Iterator[Live]:
    settings = make_settings(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(mailbox.port),
        TEAM_EMAIL="team@aiq.example",
        ACCESS_TOKEN_TTL=str(TOKEN_TTL),
        RATELIMIT_ENABLED="true",
    )
    assert settings.ratelimit_enabled
    yield from serve_group_a(settings, clock, mailbox, ENTITIES)


def serve_group_a(
    settings: Settings, clock: FakeClock, mailbox: Mailbox, entities: list[tuple[str, str]]
) -> Iterator[Live]:
    """Workers and a live server for one group with its practice admin logged in."""
    services: Services = build_services(settings, clock=clock)
    services.start_workers()
    server = LiveServer(create_app(services))
    ids = bootstrap_group(services, "Group A", entities, "admin@a.example", PASSWORD)
    yield Live(
        services=services,
        server=server,
        ids=ids,
        admin=AdminApi(server.url).login("admin@a.example"),
        clock=clock,
        mailbox=mailbox,
    )
    server.stop()
    services.close()


def assert_error(
    response: requests.Response, status: int, field: str | None = None, says: str = ""
) -> dict[str, Any]:
    """A JSON error {code, status, message, errors}, naming `field` when given."""
    assert response.status_code == status, response.text
    error = dict(response.json())
    assert set(error) == {"code", "status", "message", "errors"}, error
    assert (error["code"], error["status"]) == (ERROR_CODES[status], status)
    assert says in error["message"], error
    if field:
        assert list(error["errors"]) == [field], error
    return error


def other_than(secret: str) -> str:
    """A value of the same shape that is surely wrong."""
    return "".join("1" if c == "0" else "0" for c in secret)


# -- invites ---------------------------------------------------------------------------------


def test_invite_tokens_that_are_not_ours_are_404(live: Live) -> None:
    live.create()
    token = live.invite()
    invite_id, _, mac = token.partition(".")
    flipped_mac = f"{invite_id}.{mac[:-1]}{'0' if mac[-1] != '0' else '1'}"
    other_id = f"{'0' * 32}.{mac}"
    dev = live.portal()
    for bad in ["garbage", flipped_mac, other_id, f"{token}x", ""]:
        assert_error(dev.start_signup(bad), 404, "invite_token", "not valid")
        assert_error(dev.complete_signup(bad, "123456"), 404, "invite_token", "not valid")
    # The real token still works: the 404s were about the tokens, not the endpoint.
    assert dev.start_signup(token).status_code == 202
    live.code()
    live.assert_no_secret_stored()


def test_an_expired_invite_is_gone_until_the_admin_resends_it(live: Live) -> None:
    app = live.create()
    token = live.invite()
    dev = live.portal()
    assert dev.start_signup(token).status_code == 202
    code = live.code()

    live.clock.advance(days=3, minutes=1)
    assert_error(dev.start_signup(token), 410, "invite_token", "expired")
    assert_error(dev.complete_signup(token, code), 410, "invite_token", "expired")

    live.relogin_admin()  # the admin's 8-hour session ended meanwhile
    resent = live.admin.resend_invite(app["id"])
    assert resent.status_code == 200, resent.text
    new_token = live.invite()
    assert new_token != token
    assert_error(dev.start_signup(token), 410, "invite_token", "replaced")
    live.sign_up(DEV, new_token)
    live.assert_no_secret_stored()


def test_resend_invite_replaces_the_old_token_and_a_used_invite_is_409(live: Live) -> None:
    app = live.create()
    old_token = live.invite()
    before = live.admin.developer(app["id"]).json()

    live.clock.advance(hours=1)
    resent = live.admin.resend_invite(app["id"])
    assert resent.status_code == 200, resent.text
    assert resent.json()["signed_up"] is False
    assert resent.json()["invite_expires_at"] > before["invite_expires_at"]
    new_token = live.invite()
    assert new_token != old_token

    dev = live.portal()
    assert_error(dev.start_signup(old_token), 410, "invite_token", "replaced")
    assert_error(dev.complete_signup(old_token, "123456"), 410, "invite_token", "replaced")
    live.sign_up(DEV, new_token)

    # The invite is used up: signing up again is a conflict; the replaced one stays gone.
    again = live.portal()
    assert_error(again.start_signup(new_token), 409, "invite_token", "already signed up")
    assert_error(again.complete_signup(new_token, "123456"), 409, "invite_token")
    assert_error(again.start_signup(old_token), 410, "invite_token")
    assert live.admin.developer(app["id"]).json()["signed_up"] is True
    assert_error(live.admin.resend_invite(app["id"]), 409, says="already signed up")
    live.assert_no_secret_stored()


def test_an_invite_for_a_revoked_app_is_gone(live: Live) -> None:
    app = live.create()
    token = live.invite()
    dev = live.portal()
    assert dev.start_signup(token).status_code == 202
    code = live.code()
    assert live.admin.revoke_app(app["id"]).status_code == 200
    assert_error(dev.start_signup(token), 410, "invite_token", "withdrawn")
    assert_error(dev.complete_signup(token, code), 410, "invite_token", "withdrawn")
    assert dev.login(DEV).status_code == 401  # no account was made
    live.assert_no_secret_stored()


# -- sign-up code ----------------------------------------------------------------------------


def test_five_wrong_codes_use_the_code_up_and_a_new_code_replaces_it(live: Live) -> None:
    live.create()
    token = live.invite()
    dev = live.portal()
    assert dev.start_signup(token).status_code == 202
    code = live.code()
    wrong = other_than(code)

    messages = [
        assert_error(dev.complete_signup(token, wrong), 422, "code")["message"] for _ in range(5)
    ]
    assert messages == [
        "wrong code; 4 attempts left",
        "wrong code; 3 attempts left",
        "wrong code; 2 attempts left",
        "wrong code; 1 attempts left",
        "wrong code; ask for a new code",
    ]
    # Used up: even the right code is refused now.
    assert_error(dev.complete_signup(token, code), 409, "code", "ask for a new code")

    assert dev.start_signup(token).status_code == 202
    new_code = live.code()
    if new_code != code:  # one chance in a million that the two are the same
        assert_error(dev.complete_signup(token, code), 422, "code", "4 attempts left")
    completed = dev.complete_signup(token, new_code)
    assert completed.status_code == 201, completed.text
    live.login(dev)
    live.assert_no_secret_stored()


def test_an_expired_code_and_bad_name_or_password_are_refused(live: Live) -> None:
    live.create()
    token = live.invite()
    dev = live.portal()
    assert dev.start_signup(token).status_code == 202
    code = live.code()

    assert_error(dev.complete_signup(token, code, full_name=""), 422, "full_name")
    assert_error(dev.complete_signup(token, code, full_name="   "), 422, "full_name")
    assert_error(dev.complete_signup(token, code, password="x" * 11), 422, "password")

    live.clock.advance(minutes=16)
    assert_error(dev.complete_signup(token, code), 410, "code", "expired")

    assert dev.start_signup(token).status_code == 202
    code = live.code()
    assert_error(dev.complete_signup(token, code, password="y" * 12), 422, "password", "guess")
    twelve = "maple-quartz"  # 12 characters, and hard enough to guess
    live.seen.append(twelve)
    completed = dev.complete_signup(token, code, full_name=" Dee ", password=twelve)
    assert completed.status_code == 201, completed.text
    assert completed.json()["full_name"] == "Dee"
    assert dev.login(DEV, twelve).status_code == 201
    assert dev.token
    live.seen.append(dev.token)
    live.assert_no_secret_stored()


# -- a developer with an account; who may see which app --------------------------------------


def test_a_developer_with_an_account_is_notified_of_a_new_app_not_invited(live: Live) -> None:
    first = live.create(name="Edge App First")
    dev = live.sign_up()
    second = live.create(email="  Dev@Example.COM ", name="Edge App Second")

    linked = live.next_mail(DEV, "app_linked")
    assert "linked" in linked["Subject"] and "Edge App Second" in linked["Subject"]
    assert "#invite=" not in body(linked)
    assert second["otp"] not in body(linked)

    developer = live.admin.developer(second["id"]).json()
    assert developer["email"] == DEV
    assert developer["signed_up"] is True
    assert developer["invite_expires_at"] is None
    assert developer["otp_verified"] is False

    home = dev.apps()
    assert home.status_code == 200
    states = {a["id"]: (a["name"], a["state"], a["client_id"]) for a in home.json()}
    assert states == {
        first["id"]: ("Edge App First", "OTP verification needed", None),
        second["id"]: ("Edge App Second", "OTP verification needed", None),
    }
    live.verify(dev, second["id"], second["otp"])
    assert {a["id"]: a["status"] for a in dev.apps().json()} == {
        first["id"]: "pending_verification",
        second["id"]: "active",
    }
    live.assert_no_secret_stored()


def test_unlinked_and_revoked_developers_get_404(live: Live) -> None:
    mine = live.create(email=DEV)
    dev = live.sign_up(DEV)
    live.verify(dev, mine["id"], mine["otp"])
    theirs = live.create(email=DEV2)
    other = live.sign_up(DEV2)

    def all_404(portal: PortalApi, app_id: str, otp: str) -> None:
        assert_error(portal.app(app_id), 404, says="not found")
        assert_error(portal.entities(app_id), 404)
        assert_error(portal.verify(app_id, otp), 404)
        assert_error(portal.rotate_secret(app_id), 404)
        assert_error(portal.retire_previous_secret(app_id), 404)

    # Never linked: even with the right OTP, DEV cannot touch DEV2's app.
    all_404(dev, theirs["id"], theirs["otp"])
    all_404(dev, "00000000-0000-0000-0000-000000000000", theirs["otp"])
    live.verify(other, theirs["id"], theirs["otp"])  # the OTP was not used up by DEV

    # Access revoked: DEV loses the app in the portal at once and is told by e-mail.
    assert live.admin.revoke_developer(mine["id"]).status_code == 204
    revoked = live.next_mail(DEV, "access_revoked")
    assert "revoked" in revoked["Subject"]
    all_404(dev, mine["id"], mine["otp"])
    assert dev.apps().json() == []
    assert [a["id"] for a in other.apps().json()] == [theirs["id"]]
    assert other.app(theirs["id"]).status_code == 200
    live.assert_no_secret_stored()


# -- entities --------------------------------------------------------------------------------


def _codes(response: requests.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [e["code"] for e in response.json()]


def _paging(response: requests.Response) -> dict[str, Any]:
    return dict(json.loads(response.headers["X-Pagination"]))


def test_entities_search_paging_and_edits_take_effect_at_once(live: Live) -> None:
    app = live.create(codes=("C7", "A1", "B10", "A2"))
    dev = live.sign_up()

    everything = dev.entities(app["id"])
    assert _codes(everything) == ["A1", "A2", "B10", "C7"]
    assert {e["name"] for e in everything.json()} == {
        "Alpha Ltd",
        "Beta Ltd",
        "Alphabet Soup",
        "Delta Ltd",
    }
    assert set(everything.json()[0]) == {"id", "code", "name"}
    assert _paging(everything)["total"] == 4

    assert _codes(dev.entities(app["id"], search="b10")) == ["B10"]
    assert _codes(dev.entities(app["id"], search="c7")) == ["C7"]
    by_name = dev.entities(app["id"], search="ALPHA")
    assert _codes(by_name) == ["A1", "B10"]
    assert _paging(by_name)["total"] == 2
    assert _codes(dev.entities(app["id"], search="  delta ltd ")) == ["C7"]
    assert _codes(dev.entities(app["id"], search="gamma")) == []  # A3 is not assigned

    first = dev.entities(app["id"], page=1, page_size=3)
    assert _codes(first) == ["A1", "A2", "B10"]
    assert _paging(first)["total"] == 4
    assert _paging(first)["total_pages"] == 2
    second = dev.entities(app["id"], page=2, page_size=3)
    assert _codes(second) == ["C7"]
    assert _paging(second)["page"] == 2
    assert _codes(dev.entities(app["id"], search="a", page=2, page_size=1)) == ["A2"]

    edited = live.admin.edit_app(app["id"], entity_ids=[live.entity("C7"), live.entity("A3")])
    assert edited.status_code == 200, edited.text
    assert _codes(dev.entities(app["id"])) == ["A3", "C7"]
    assert _codes(dev.entities(app["id"], search="GAMMA")) == ["A3"]
    assert _codes(dev.entities(app["id"], search="alpha")) == []
    assert dev.app(app["id"]).json()["entity_count"] == 2
    live.assert_no_secret_stored()


# -- OTP expiry ------------------------------------------------------------------------------


def test_an_expired_otp_is_refused_until_the_admin_resets_it(live: Live) -> None:
    app = live.create()
    dev = live.sign_up()
    live.clock.advance(days=3, minutes=1)
    live.login(dev)  # the 8-hour portal session ended meanwhile
    live.relogin_admin()

    assert_error(dev.verify(app["id"], app["otp"]), 422, "otp", "expired")
    shown = dev.app(app["id"]).json()
    assert shown["status"] == "otp_expired"
    assert "expired" in shown["state"] and shown["client_id"] is None
    assert live.admin.app(app["id"]).json()["status"] == "otp_expired"

    reset = live.admin.reset_otp(app["id"])
    assert reset.status_code == 200, reset.text
    new_otp = reset.json()["otp"]
    live.seen.append(new_otp)
    notice = live.next_mail(DEV, "otp_reset")
    assert "reset" in notice["Subject"]
    assert dev.app(app["id"]).json()["state"] == "OTP verification needed"
    if new_otp != app["otp"]:
        assert_error(dev.verify(app["id"], app["otp"]), 422, "otp", "4 attempts left")
    client = live.verify(dev, app["id"], new_otp)
    assert dev.app(app["id"]).json()["client_id"] == client.client_id
    assert live.admin.app(app["id"]).json()["status"] == "active"
    live.access_token(client)
    live.assert_no_secret_stored()


# -- a new developer on a verified app; the previous secret's grace period --------------------


def test_a_new_developer_gets_a_new_secret_and_the_old_one_has_a_grace_period(
    live: Live,
) -> None:
    app = live.create(email=DEV)
    first_dev = live.sign_up(DEV)
    client = live.verify(first_dev, app["id"], app["otp"])
    old_secret = client.client_secret

    assert live.admin.revoke_developer(app["id"]).status_code == 204
    live.next_mail(DEV, "access_revoked")
    registered = live.admin.register_developer(app["id"], DEV2)
    assert registered.status_code == 200, registered.text
    otp = registered.json()["otp"]
    live.seen.append(otp)
    assert registered.json()["developer"]["email"] == DEV2
    assert registered.json()["status"] == "pending_verification"
    assert client.token_basic().status_code == 200  # the integration keeps running

    new_dev = live.sign_up(DEV2)
    verified = new_dev.verify(app["id"], otp)
    assert verified.status_code == 200, verified.text
    new_secret = verified.json()["client_secret"]
    live.seen.append(new_secret)
    assert new_secret != old_secret
    assert verified.json()["client_id"] == client.client_id
    assert verified.json()["previous_secret_valid_until"] is not None

    live.access_token(client, new_secret)
    live.access_token(client, old_secret)
    live.clock.advance(hours=23, minutes=59)
    live.access_token(client, old_secret)  # still within the 24 hours
    live.clock.advance(minutes=2)
    refused = client.token_basic(old_secret)
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
    assert client.token_post(old_secret).json()["error"] == "invalid_client"
    live.access_token(client, new_secret)

    # Ending a grace period early: the previous secret is refused at once; twice is a 409.
    live.login(new_dev, DEV2)
    assert_error(new_dev.retire_previous_secret(app["id"]), 409)  # the grace period is over
    rotated = new_dev.rotate_secret(app["id"])
    assert rotated.status_code == 200, rotated.text
    newest = rotated.json()["client_secret"]
    live.seen.append(newest)
    live.access_token(client, new_secret)
    live.access_token(client, newest)
    assert new_dev.retire_previous_secret(app["id"]).status_code == 204
    refused = client.token_basic(new_secret)
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
    assert_error(new_dev.retire_previous_secret(app["id"]), 409, says="no previous secret")
    live.access_token(client, newest)
    # The first developer has no say any more.
    live.login(first_dev, DEV)
    assert_error(first_dev.rotate_secret(app["id"]), 404)
    live.assert_no_secret_stored()


# -- OAuth 2.0 -------------------------------------------------------------------------------


def test_oauth_metadata_and_token_endpoint_errors(live: Live) -> None:
    metadata = requests.get(f"{live.base}/.well-known/oauth-authorization-server", timeout=30)
    assert metadata.status_code == 200
    meta = metadata.json()
    assert meta["issuer"] == "http://testserver"
    assert meta["token_endpoint"] == "http://testserver/oauth/token"
    assert meta["revocation_endpoint"] == "http://testserver/oauth/revoke"
    assert meta["introspection_endpoint"] == "http://testserver/oauth/introspect"
    assert meta["grant_types_supported"] == ["client_credentials"]
    methods = ["client_secret_basic", "client_secret_post", "private_key_jwt"]
    assert sorted(meta["token_endpoint_auth_methods_supported"]) == methods
    assert meta["token_endpoint_auth_signing_alg_values_supported"] == ["RS256", "ES256"]

    app = live.create()
    dev = live.sign_up()
    unverified = live.create()
    client = live.verify(dev, app["id"], app["otp"])
    token_url = f"{live.base}/oauth/token"

    for grant in ["password", "authorization_code", "refresh_token", "implicit"]:
        wrong = requests.post(
            token_url,
            data={"grant_type": grant},
            auth=(client.client_id, client.client_secret),
            timeout=30,
        )
        assert wrong.status_code == 400, wrong.text
        assert wrong.json()["error"] == "unsupported_grant_type"

    anonymous = requests.post(token_url, data={"grant_type": "client_credentials"}, timeout=30)
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.json()["error"] == "invalid_client"

    # RFC 6749 5.2: invalid_client, and 401 with WWW-Authenticate when the client used the
    # Authorization header. In the form (client_secret_post) Authlib answers an unknown
    # client with 400 and a wrong secret with 401; both are invalid_client.
    for client_id, secret, post_status in [
        ("no-such-client", client.client_secret, 400),  # unknown client id
        (unverified["client_id"], client.client_secret, 400),  # an app with no secret yet
        (client.client_id, "wrong secret", 401),
    ]:
        assert client_id
        stranger = OAuthClient(live.base, client_id, secret)
        basic = stranger.token_basic()
        assert basic.status_code == 401, basic.text
        assert basic.json()["error"] == "invalid_client"
        assert basic.headers["WWW-Authenticate"].startswith("Basic ")
        post = stranger.token_post()
        assert post.status_code == post_status, post.text
        assert post.json()["error"] == "invalid_client"
        assert "access_token" not in basic.json() and "access_token" not in post.json()

    issued = client.token_post()
    assert issued.status_code == 200
    assert issued.json()["expires_in"] == TOKEN_TTL
    live.seen.append(issued.json()["access_token"])
    assert issued.headers["Cache-Control"] == "no-store"
    live.assert_no_secret_stored()


def test_revocation_introspection_and_expiry_of_tokens(live: Live) -> None:
    one = live.create(email=DEV)
    dev = live.sign_up()
    two = live.create(email=DEV)
    client_one = live.verify(dev, one["id"], one["otp"])
    client_two = live.verify(dev, two["id"], two["otp"])
    token_one, token_two = live.access_token(client_one), live.access_token(client_two)
    doomed = live.access_token(client_one)

    seen = client_one.introspect(token_one).json()
    assert seen["active"] is True and seen["client_id"] == client_one.client_id

    # RFC 7009: revoked tokens are inactive; revoking an unknown token is still 200.
    revoked = client_one.revoke(doomed)
    assert revoked.status_code == 200, revoked.text
    assert client_one.introspect(doomed).json() == {"active": False}
    assert client_one.revoke(doomed).status_code == 200
    assert client_one.revoke("no-such-token").status_code == 200
    assert client_one.introspect("no-such-token").json() == {"active": False}
    assert client_one.introspect(token_one).json()["active"] is True

    # One app can neither look into nor revoke another app's token.
    assert client_two.introspect(token_one).json() == {"active": False}
    foreign = client_two.revoke(token_one)
    assert foreign.status_code == 400 and foreign.json()["error"] == "invalid_grant"
    assert client_one.introspect(token_one).json()["active"] is True
    assert client_two.introspect(token_two).json()["active"] is True

    # Bad client credentials at the revocation and introspection endpoints.
    stranger = OAuthClient(live.base, client_one.client_id, "wrong secret")
    assert stranger.revoke(token_one).json()["error"] == "invalid_client"
    assert stranger.introspect(token_one).json()["error"] == "invalid_client"
    assert client_one.introspect(token_one).json()["active"] is True

    # Past ACCESS_TOKEN_TTL a token is inactive.
    live.clock.advance(seconds=TOKEN_TTL - 5)
    assert client_one.introspect(token_one).json()["active"] is True
    live.clock.advance(seconds=10)
    assert client_one.introspect(token_one).json() == {"active": False}
    assert client_two.introspect(token_two).json() == {"active": False}
    fresh = live.access_token(client_one)
    assert client_one.introspect(fresh).json()["active"] is True
    live.assert_no_secret_stored()


# -- throttling ------------------------------------------------------------------------------


def assert_throttled(response: requests.Response) -> None:
    assert_error(response, 429)
    assert int(response.headers["Retry-After"]) > 0


def test_repeated_wrong_portal_logins_are_throttled(live: Live) -> None:
    live.create()
    live.sign_up()  # logged in once: 1 of the 10 logins a minute for this e-mail
    dev = live.portal()
    answers = [dev.login(DEV, f"wrong password {n}") for n in range(10)]
    assert [a.status_code for a in answers] == [401] * 9 + [429]
    assert_error(answers[0], 401, says="wrong e-mail or password")
    assert_throttled(answers[-1])
    # The right password is throttled too, for this e-mail; another e-mail is not.
    assert_throttled(dev.login(DEV))
    assert_throttled(dev.login(f"  {DEV.upper()} "))
    assert_error(dev.login(DEV2, "wrong password"), 401)
    live.assert_no_secret_stored()


def test_repeated_wrong_client_secrets_are_throttled(live: Live) -> None:
    app = live.create()
    dev = live.sign_up()
    client = live.verify(dev, app["id"], app["otp"])
    answers = [client.token_basic(f"wrong secret {n}") for n in range(121)]
    assert [a.status_code for a in answers[:120]] == [401] * 120
    assert {a.json()["error"] for a in answers[:120]} == {"invalid_client"}
    assert_throttled(answers[120])
    assert_throttled(client.token_post())  # the same client id by the other method
    other = OAuthClient(live.base, "another-client", "x")
    assert other.token_basic().status_code == 401
    live.assert_no_secret_stored()


def test_repeated_verify_calls_lock_the_otp_then_are_throttled(live: Live) -> None:
    app = live.create()
    dev = live.sign_up()
    wrong = other_than(app["otp"])
    answers = [dev.verify(app["id"], wrong) for _ in range(11)]
    # 5 wrong OTPs lock it (422), then it answers "locked" (409), then throttling (429).
    assert [a.status_code for a in answers] == [422] * 5 + [409] * 5 + [429]
    assert_error(answers[0], 422, "otp", "4 attempts left")
    assert_error(answers[4], 422, "otp", "locked")
    assert_error(answers[5], 409, "otp", "locked")
    assert_throttled(answers[10])
    assert_throttled(dev.verify(app["id"], app["otp"]))
    assert live.admin.app(app["id"]).json()["status"] == "otp_locked"
    live.assert_no_secret_stored()


# -- recognisable secrets (SPEC 14): a mistyped one is refused before anything is read -------


def _verified_client(live: Live) -> tuple[str, OAuthClient]:
    app = live.create()
    client = live.verify(live.sign_up(), app["id"], app["otp"])
    return app["id"], client


def _mistype(secret: str, position: int) -> str:
    return secret[:position] + ("a" if secret[position] != "a" else "b") + secret[position + 1 :]


def test_a_mistyped_secret_is_refused_unread_as_a_wrong_one_is(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_id, client = _verified_client(live)
    assert re.fullmatch(r"aiqcs_[0-9A-Za-z]{49}", client.client_secret)
    token = live.access_token(client)

    oauth = live.services.commands.oauth
    reads: list[UUID] = []
    read_app = oauth.client_app
    monkeypatch.setattr(oauth, "client_app", lambda i: reads.append(i) or read_app(i))

    for typo in (_mistype(client.client_secret, 12), client.client_secret[:-1]):
        mistyped = OAuthClient(live.base, client.client_id, typo)
        for refused in (
            mistyped.token_basic(),
            mistyped.token_post(),
            mistyped.introspect(token),
            mistyped.revoke(token),
        ):
            assert refused.status_code == 401, refused.text
            assert refused.json()["error"] == "invalid_client"
            assert "access_token" not in refused.json() and "active" not in refused.json()
    assert reads == []  # the app was never read for them
    assert client.introspect(token).json()["active"] is True  # nor was the token revoked
    reads.clear()

    wrong = client.token_basic(new_client_secret())  # well formed, just not this app's
    assert reads == [UUID(app_id)]
    typo = client.token_basic(_mistype(client.client_secret, 30))
    assert (typo.status_code, typo.json()) == (wrong.status_code, wrong.json())
    assert typo.headers["WWW-Authenticate"] == wrong.headers["WWW-Authenticate"]
    live.access_token(client)  # the right one still works
    live.assert_no_secret_stored()


def test_a_secret_issued_before_the_format_keeps_working_until_rotated(live: Live) -> None:
    app_id, client = _verified_client(live)
    # What the earlier release stored: the digest of 43 characters of URL-safe base64.
    legacy = secrets.token_urlsafe(32)
    app = live.services.store.get(UUID(app_id), IntegrationApp)
    grace = live.clock.now() + timedelta(hours=24)
    app.replace_secret(
        token_digest(legacy), grace, grace + timedelta(days=365), Actor.system().as_event_data()
    )
    live.services.store.record(app)
    live.seen.append(legacy)
    live.access_token(client, legacy)
    assert client.token_basic(_mistype(legacy, 5)).status_code == 401
