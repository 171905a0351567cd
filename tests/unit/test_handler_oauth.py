"""OAuthHandler: which apps may get tokens, signed tokens recorded by jti, RFC 7009 revocation."""

from __future__ import annotations

import json
from datetime import timedelta
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from domain.apps import IntegrationApp
from domain.commands import CreateApp, EditApp
from domain.handlers.portal import developer_actor
from domain.naming import index_id
from domain.tokens import AccessToken
from tests.unit.conftest import Domain

DEV = developer_actor("dev@example.com")


def active_app(domain: Domain, name: str = "Invoice Sync") -> IntegrationApp:
    created = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields(name=name)))
    assert created.otp is not None
    return domain.commands.portal.verify_app(DEV, created.app.id, created.otp).app


def issue(domain: Domain, app: IntegrationApp) -> tuple[str, AccessToken]:
    token = domain.commands.oauth.issue_access_token(app).access_token
    record = domain.commands.oauth.find_access_token(domain.tokens.verify(token).jti)
    assert record is not None
    return token, record


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


def test_an_issued_token_is_signed_and_recorded_by_its_jti(domain: Domain) -> None:
    app = active_app(domain)
    issued = domain.commands.oauth.issue_access_token(app)
    assert issued.expires_in == 3600
    assert issued.position == domain.store.head()
    claims = domain.tokens.verify(issued.access_token)
    assert (claims.app_id, claims.client_id) == (app.id, app.client_id)
    assert claims.issued_at == domain.clock.now().replace(microsecond=0)
    assert claims.expires_at == claims.issued_at + timedelta(hours=1)
    assert len(claims.jti) >= 22  # 128 random bits
    record = domain.commands.oauth.find_access_token(claims.jti)
    assert record is not None and record.id == AccessToken.create_id(claims.jti)
    assert (record.app_id, record.client_id, record.jti) == (app.id, app.client_id, claims.jti)
    assert record.expires_at == claims.expires_at and not record.revoked
    assert domain.event_names(record.id) == ["Issued"]
    assert domain.store.events_of(record.id)[0].actor == {
        "type": "client",
        "id": app.client_id,
        "name": app.client_id,
    }
    stored = b"".join(n.state for n in domain.store.recorder.select_notifications(1, 10_000))
    assert issued.access_token.encode() not in stored
    assert issued.access_token.rsplit(".", 1)[1].encode() not in stored  # nor its signature
    assert domain.commands.oauth.find_access_token("no-such-jti") is None


def test_every_token_has_its_own_jti(domain: Domain) -> None:
    app = active_app(domain)
    jtis = {domain.tokens.verify(issue(domain, app)[0]).jti for _ in range(20)}
    assert len(jtis) == 20


def test_revoking_a_token_records_it_once(domain: Domain) -> None:
    oauth = domain.commands.oauth
    app = active_app(domain)
    _, record = issue(domain, app)
    issued_at = domain.store.head()
    position = oauth.revoke_access_token(app, record)
    assert issued_at < position == domain.store.head()
    again = oauth.find_access_token(record.jti or "")
    assert again is not None and again.revoked
    assert oauth.revoke_access_token(app, again) == 0  # RFC 7009: not an error, no event
    assert domain.event_names(record.id) == ["Issued", "Revoked"]


def test_revoking_another_apps_token_does_nothing(domain: Domain) -> None:
    oauth = domain.commands.oauth
    owner, other = active_app(domain), active_app(domain, "Another App")
    _, record = issue(domain, owner)
    before = domain.store.head()
    assert oauth.revoke_access_token(other, record) == 0
    assert domain.store.head() == before
    still = oauth.find_access_token(record.jti or "")
    assert still is not None and not still.revoked and still.app_id == owner.id


def test_a_token_recorded_before_signed_tokens_still_loads(domain: Domain) -> None:
    """Version 1 of Issued (opaque tokens) held the token's digest and no jti."""
    app = active_app(domain)
    _, record = issue(domain, app)
    stored = domain.store.mapper.to_stored_event(domain.store.events_of(record.id)[0])
    state = json.loads(stored.state)
    assert state.pop("class_version") == 2 and state.pop("jti")
    legacy_id = index_id("access-token", "a digest")
    legacy = StoredEvent(
        originator_id=legacy_id,
        originator_version=1,
        topic=stored.topic,
        state=json.dumps({**state, "token_digest": "a digest"}).encode(),
    )
    domain.store.recorder.insert_events([legacy])
    old = domain.store.get(legacy_id, AccessToken)
    assert (old.jti, old.app_id, old.expires_at) == (None, app.id, record.expires_at)
    assert "token_digest" not in vars(domain.store.events_of(legacy_id)[0])


def test_the_token_paths_app_is_live_and_a_reader_keeps_what_it_read(domain: Domain) -> None:
    """client_app shares one copy of the app between requests (EventStore.current): a change
    must show at the next read, and must not change the copy an earlier request holds."""
    oauth, app = domain.commands.oauth, active_app(domain)
    before = oauth.client_app(app.id)
    assert before is not None and before.allowed_ips == []
    domain.commands.apps.edit_app(domain.admin, app.id, EditApp(allowed_ips=["203.0.113.0/24"]))
    after = oauth.client_app(app.id)
    assert after is not None and after.allowed_ips == ["203.0.113.0/24"]
    assert before.allowed_ips == [] and before.version < after.version
    assert oauth.client_app(app.id) is after  # nothing recorded since: the kept copy


def test_a_shared_app_changed_by_mistake_is_not_handed_out_again(domain: Domain) -> None:
    """The copy client_app shares is never to be changed; if a caller does change it (a
    command method triggers an event on it), the next request gets the app as recorded."""
    oauth, app = domain.commands.oauth, active_app(domain)
    shared = oauth.client_app(app.id)
    assert shared is not None
    shared.revoke(domain.admin)  # against the rule, and never saved
    again = oauth.client_app(app.id)
    assert again is not None and again is not shared and not again.pending_events
