"""OAuthHandler: which apps may get tokens, tokens recorded as digests, RFC 7009 revocation."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from domain.apps import IntegrationApp
from domain.commands import CreateApp
from domain.credentials import new_token, token_digest
from domain.handlers.portal import developer_actor
from domain.tokens import AccessToken
from tests.unit.conftest import Domain

DEV = developer_actor("dev@example.com")


def active_app(domain: Domain, name: str = "Invoice Sync") -> IntegrationApp:
    created = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields(name=name)))
    assert created.otp is not None
    return domain.commands.portal.verify_app(DEV, created.app.id, created.otp).app


def test_only_a_verified_live_app_may_obtain_tokens(domain: Domain) -> None:
    oauth = domain.commands.oauth
    assert oauth.client_app(UUID(int=3)) is None
    pending = domain.commands.apps.create_app(
        domain.admin, CreateApp(**domain.fields(name="Pending"))
    ).app
    assert oauth.client_app(pending.id) is None
    live = active_app(domain)
    found = oauth.client_app(live.id)
    assert found is not None and found.client_id == live.client_id
    domain.commands.apps.revoke_app(domain.admin, live.id, True)
    assert oauth.client_app(live.id) is None


def test_an_issued_token_is_recorded_by_its_digest_with_its_lifetime(domain: Domain) -> None:
    app, token = active_app(domain), new_token()
    issued = domain.commands.oauth.record_access_token(app, token)
    assert issued.expires_in == 3600
    assert issued.position == domain.store.head()
    record = domain.commands.oauth.find_access_token(token)
    assert record is not None
    assert (record.app_id, record.client_id) == (app.id, app.client_id)
    assert record.token_digest == token_digest(token)
    assert record.expires_at == domain.clock.now() + timedelta(hours=1)
    assert not record.revoked
    assert domain.event_names(record.id) == ["Issued"]
    assert domain.store.events_of(record.id)[0].actor == {
        "type": "client",
        "id": app.client_id,
        "name": app.client_id,
    }
    stored = b"".join(n.state for n in domain.store.recorder.select_notifications(1, 10_000))
    assert token.encode() not in stored
    assert domain.commands.oauth.find_access_token(new_token()) is None


def test_revoking_a_token_records_it_once(domain: Domain) -> None:
    oauth = domain.commands.oauth
    app, token = active_app(domain), new_token()
    issued = oauth.record_access_token(app, token)
    record = oauth.find_access_token(token)
    assert record is not None
    position = oauth.revoke_access_token(app, record)
    assert issued.position < position == domain.store.head()
    again = oauth.find_access_token(token)
    assert again is not None and again.revoked
    assert oauth.revoke_access_token(app, again) == 0  # RFC 7009: not an error, no event
    assert domain.event_names(record.id) == ["Issued", "Revoked"]


def test_revoking_another_apps_token_does_nothing(domain: Domain) -> None:
    oauth = domain.commands.oauth
    owner, other = active_app(domain), active_app(domain, "Another App")
    token = new_token()
    oauth.record_access_token(owner, token)
    record = oauth.find_access_token(token)
    assert record is not None
    before = domain.store.head()
    assert oauth.revoke_access_token(other, record) == 0
    assert domain.store.head() == before
    still = oauth.find_access_token(token)
    assert still is not None and not still.revoked
    assert isinstance(still, AccessToken) and still.app_id == owner.id
