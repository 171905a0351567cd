"""Webhooks on in-memory storage: who may manage them, and the outbox the view writes: one row
per (event, subscribed endpoint), none for another group, a paused or deleted endpoint."""

from __future__ import annotations

import json

import pytest
from eventsourcing.persistence import Tracking

from domain.actor import Actor
from domain.commands import CreateApp
from domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from projections.webhooks import WebhooksProjection, WebhooksView
from tests.unit.conftest import Domain
from tests.unit.projection_support import APPLICATION, Feed, memory_view


def test_managers_make_webhooks_and_the_secret_is_in_no_event(domain: Domain) -> None:
    hooks = domain.commands.webhooks
    for actor in (domain.plain, domain.auditor):
        with pytest.raises(PermissionDeniedError):
            hooks.create(actor, "https://hooks.example/a", ["*"], None)
    with pytest.raises(ValidationError) as refused:
        hooks.create(domain.admin, "http://hooks.example/a", ["*"], None)
    assert refused.value.field == "url"
    made = hooks.create(domain.manager, "https://hooks.example/a", ["app.created"], "CRM")
    assert made.secret and made.secret.startswith("whsec_")
    stored = b"".join(
        n.state for n in domain.store.recorder.select_notifications(start=1, limit=10**6)
    )
    assert made.secret.encode() not in stored
    with pytest.raises(NotFoundError):  # another group's: no such webhook
        hooks.change(domain.outsider, made.webhook.id, {"active": False})
    rotated = hooks.rotate_secret(domain.admin, made.webhook.id)
    assert rotated.secret != made.secret
    hooks.delete(domain.admin, made.webhook.id)
    with pytest.raises(NotFoundError):
        hooks.change(domain.admin, made.webhook.id, {"active": False})


def _replay(domain: Domain) -> WebhooksView:
    """The view fed with every event the domain recorded, in order."""
    view = memory_view(WebhooksView)
    feed = Feed(WebhooksProjection(view=view))
    for notification in domain.store.recorder.select_notifications(start=1, limit=10**6):
        feed(domain.store.mapper.to_domain_event(notification))
    return view


def test_one_delivery_row_per_event_and_subscribed_endpoint(domain: Domain) -> None:
    hooks = domain.commands.webhooks
    everything = hooks.create(domain.admin, "https://hooks.example/all", ["*"], None).webhook
    created_only = hooks.create(domain.admin, "https://hooks.example/c", ["app.created"], None)
    paused = hooks.create(domain.admin, "https://hooks.example/p", ["*"], None).webhook
    hooks.change(domain.admin, paused.id, {"active": False})
    elsewhere = hooks.create(domain.outsider, "https://hooks.example/b", ["*"], None).webhook
    app = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields())).app
    domain.commands.apps.revoke_app(domain.admin, app.id, True)
    view = _replay(domain)

    def types(webhook_id: object) -> list[str]:
        return [d["event_type"] for d in reversed(view.deliveries(str(webhook_id)))]

    assert types(everything.id) == ["app.created", "developer.linked", "app.revoked"]
    assert types(created_only.webhook.id) == ["app.created"]
    assert types(paused.id) == [] and types(elsewhere.id) == []
    first = view.deliveries(str(everything.id))[-1]
    payload = json.loads(first["payload"])
    assert payload["data"]["app_id"] == str(app.id) and payload["type"] == "app.created"
    assert first["status"] == "pending" and first["id"].startswith("msg_")
    # Replaying again writes the very same rows (ids come from the event's position).
    again = _replay(domain)
    assert [d["id"] for d in again.deliveries(str(everything.id))] == [
        d["id"] for d in view.deliveries(str(everything.id))
    ]


def test_a_plan_change_tells_each_subscriber_about_the_group_and_every_app(
    domain: Domain,
) -> None:
    """Leaving AIQ3 is one `group.plan_changed` and one `app.suspended` per app (each its own
    delivery id), only to the endpoints that want them; coming back sends no suspension."""
    hooks, staff = domain.commands.webhooks, Actor(type="staff", id="s-1", name="s@aiq.example")
    group_id = domain.admin.group_id
    assert group_id is not None
    apps = [
        domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields(name=n))).app
        for n in ("One", "Two")
    ]
    suspensions = hooks.create(domain.admin, "https://hooks.example/s", ["app.suspended"], None)
    plans = hooks.create(domain.admin, "https://hooks.example/p", ["group.plan_changed"], None)
    created_only = hooks.create(domain.admin, "https://hooks.example/c", ["app.created"], None)
    domain.commands.directory.change_plan(staff, group_id, "aiq2")
    domain.commands.directory.change_plan(staff, group_id, "aiq3")
    view = _replay(domain)

    suspended = view.deliveries(str(suspensions.webhook.id))
    assert sorted(json.loads(d["payload"])["data"]["app_id"] for d in suspended) == sorted(
        str(app.id) for app in apps
    )
    assert len({d["id"] for d in suspended}) == len(apps)
    assert [d["event_type"] for d in view.deliveries(str(plans.webhook.id))] == [
        "group.plan_changed",
        "group.plan_changed",
    ]
    assert view.deliveries(str(created_only.webhook.id)) == []  # subscribed after the creates


def test_one_batch_delivers_what_one_event_at_a_time_does_though_endpoints_change_within_it(
    domain: Domain,
) -> None:
    """A batch keeps what it read of the endpoints (WebhooksView's memo): an endpoint made,
    paused or resumed in the middle of a batch must change what its later events deliver."""
    hooks, apps, oauth = domain.commands.webhooks, domain.commands.apps, domain.commands.oauth
    first = apps.create_app(domain.admin, CreateApp(**domain.fields(name="First"))).app
    watcher = hooks.create(domain.admin, "https://hooks.example/w", ["*"], None).webhook
    oauth.issue_access_token(first)
    second = apps.create_app(domain.admin, CreateApp(**domain.fields(name="Second"))).app
    hooks.change(domain.admin, watcher.id, {"active": False})
    oauth.issue_access_token(first)
    apps.revoke_app(domain.admin, second.id, True)
    late = hooks.create(domain.admin, "https://hooks.example/l", ["token.issued"], None).webhook
    hooks.change(domain.admin, watcher.id, {"active": True})
    oauth.issue_access_token(first)

    one_by_one = _replay(domain)
    in_one_batch = memory_view(WebhooksView)
    projection = WebhooksProjection(view=in_one_batch)
    notifications = domain.store.recorder.select_notifications(start=1, limit=10**6)
    with in_one_batch.batch(APPLICATION, 1, len(notifications)):
        for position, notification in enumerate(notifications, 1):
            event = domain.store.mapper.to_domain_event(notification)
            projection.process_event(event, Tracking(APPLICATION, position))

    def types(view: WebhooksView, webhook_id: object) -> list[str]:
        return [d["event_type"] for d in reversed(view.deliveries(str(webhook_id)))]

    assert types(in_one_batch, watcher.id) == [
        "token.issued",
        "app.created",
        "developer.linked",
        "token.issued",
    ]
    assert types(in_one_batch, late.id) == ["token.issued"]
    for hook in (watcher, late):
        assert in_one_batch.deliveries(str(hook.id)) == one_by_one.deliveries(str(hook.id))
