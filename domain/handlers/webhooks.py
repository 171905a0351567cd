"""Webhook endpoints (SPEC 15): a group's admins say where its events go; the signing secret
is shown once, when made or rotated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.actor import Actor
from domain.errors import NotFoundError, ValidationError
from domain.naming import readable_text_problem
from domain.ports import UrlGuard
from domain.store import EventStore
from domain.webhooks import MAX_DESCRIPTION, Webhook, WebhookSecrets, check_events


@dataclass(frozen=True)
class WebhookRecorded:
    webhook: Webhook
    position: int
    secret: str | None = None  # only when made or rotated


def _description(text: object) -> str:
    if text is None:
        return ""
    if not isinstance(text, str) or len(text) > MAX_DESCRIPTION:
        raise ValidationError(
            f"description must be at most {MAX_DESCRIPTION} characters", "description"
        )
    problem = readable_text_problem(text) if text.strip() else None
    if problem is not None:
        raise ValidationError(f"description: {problem}", "description")
    return text.strip()


class WebhookHandler:
    def __init__(self, store: EventStore, secrets: WebhookSecrets, urls: UrlGuard) -> None:
        self.store = store
        self.secrets = secrets
        self.urls = urls

    def create(
        self, actor: Actor, url: str, events: list[str], description: str | None
    ) -> WebhookRecorded:
        actor.require_app_manager()
        group = self.store.group_to_read(actor)
        checked_events = check_events(events)
        text = _description(description)
        nonce = self.secrets.new_nonce()
        webhook = Webhook(
            group.id, self.urls.check(url), checked_events, text, nonce, actor.as_event_data()
        )
        secret = self.secrets.secret_for(webhook.id, nonce)
        return WebhookRecorded(webhook, self.store.record(webhook), secret)

    def owned(self, actor: Actor, webhook_id: UUID) -> Webhook:
        actor.require_app_reader()
        webhook = self.store.owned(actor, webhook_id, Webhook)
        if webhook.deleted:
            raise NotFoundError("webhook not found")
        return webhook

    def change(self, actor: Actor, webhook_id: UUID, fields: dict[str, Any]) -> WebhookRecorded:
        actor.require_app_manager()
        webhook = self.owned(actor, webhook_id)
        url = self.urls.check(fields["url"]) if "url" in fields else webhook.url
        events = check_events(fields["events"]) if "events" in fields else webhook.events
        text = (
            _description(fields["description"]) if "description" in fields else webhook.description
        )
        active = fields.get("active", webhook.active)
        if not isinstance(active, bool):
            raise ValidationError("active must be true or false", "active")
        webhook.change(url, events, text, active, actor.as_event_data())
        return WebhookRecorded(webhook, self.store.record(webhook))

    def rotate_secret(self, actor: Actor, webhook_id: UUID) -> WebhookRecorded:
        actor.require_app_manager()
        webhook = self.owned(actor, webhook_id)
        nonce = self.secrets.new_nonce()
        webhook.rotate_secret(nonce, actor.as_event_data())
        position = self.store.record(webhook)
        return WebhookRecorded(webhook, position, self.secrets.secret_for(webhook.id, nonce))

    def delete(self, actor: Actor, webhook_id: UUID) -> WebhookRecorded:
        actor.require_app_manager()
        webhook = self.owned(actor, webhook_id)
        webhook.delete(actor.as_event_data())
        return WebhookRecorded(webhook, self.store.record(webhook))
