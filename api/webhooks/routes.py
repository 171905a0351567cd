"""Webhooks (SPEC 15): a group's endpoints, their deliveries, and redelivery."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from api.auth import ApiBlueprint, current_actor
from api.caching import no_store
from api.consistency import reads, settled
from api.services import services
from api.webhooks.schemas import (
    DeliverySchema,
    WebhookChangeSchema,
    WebhookCreateSchema,
    WebhookSchema,
    WebhookSecretSchema,
)
from domain.errors import NotFoundError

blp = ApiBlueprint(
    "webhooks", __name__, url_prefix="/api/v1/webhooks", description="Webhooks (signed events)"
)
SHOWN = ("id", "url", "events", "description", "active", "created_at", "updated_at")


def _shown(webhook_id: UUID) -> dict[str, Any]:
    row = services().webhooks.endpoint(str(webhook_id))
    if row is None or row["group_id"] != str(current_actor().group_id):
        raise NotFoundError("webhook not found")
    return {key: row[key] for key in SHOWN}


@blp.route("", methods=["POST"])
@reads("webhooks")
@blp.login_required
@blp.arguments(WebhookCreateSchema)
@blp.response(201, WebhookSecretSchema)
@blp.alt_response(422, description="A field is invalid (e.g. not https, a private address)")
@no_store
def create(body: dict[str, Any]) -> dict[str, Any]:
    """A new endpoint for your group's events; its signing secret is in this answer only."""
    made = services().commands.webhooks.create(
        current_actor(), body["url"], body.get("events") or ["*"], body.get("description")
    )
    settled(made.position)
    return {**_shown(made.webhook.id), "secret": made.secret}


@blp.route("")
@reads("webhooks")
@blp.login_required
@blp.response(200, WebhookSchema(many=True))
def list_webhooks() -> list[dict[str, Any]]:
    """Your group's endpoints."""
    actor = current_actor()
    actor.require_app_reader()
    return [
        {key: row[key] for key in SHOWN}
        for row in services().webhooks.endpoints(str(actor.group_id))
    ]


@blp.route("/<uuid:webhook_id>")
@reads("webhooks")
@blp.login_required
@blp.response(200, WebhookSchema)
def detail(webhook_id: UUID) -> dict[str, Any]:
    current_actor().require_app_reader()
    return _shown(webhook_id)


@blp.route("/<uuid:webhook_id>", methods=["PATCH"])
@reads("webhooks")
@blp.login_required
@blp.arguments(WebhookChangeSchema)
@blp.response(200, WebhookSchema)
def change(body: dict[str, Any], webhook_id: UUID) -> dict[str, Any]:
    """Change the URL, the events, the description, or pause it (active: false)."""
    changed = services().commands.webhooks.change(current_actor(), webhook_id, body)
    settled(changed.position)
    return _shown(webhook_id)


@blp.route("/<uuid:webhook_id>/secret", methods=["POST"])
@reads("webhooks")
@blp.login_required
@blp.response(200, WebhookSecretSchema)
@no_store
def rotate_secret(webhook_id: UUID) -> dict[str, Any]:
    """A new signing secret, in this answer only; deliveries are signed with it from now on."""
    rotated = services().commands.webhooks.rotate_secret(current_actor(), webhook_id)
    settled(rotated.position)
    return {**_shown(webhook_id), "secret": rotated.secret}


@blp.route("/<uuid:webhook_id>", methods=["DELETE"])
@reads("webhooks")
@blp.login_required
@blp.response(204)
def delete(webhook_id: UUID) -> None:
    """No more deliveries to it (those pending are dropped)."""
    settled(services().commands.webhooks.delete(current_actor(), webhook_id).position)


@blp.route("/<uuid:webhook_id>/deliveries")
@reads("webhooks")
@blp.login_required
@blp.response(200, DeliverySchema(many=True))
def deliveries(webhook_id: UUID) -> list[dict[str, Any]]:
    """The latest 100 deliveries, newest first: status, attempts, last response."""
    current_actor().require_app_reader()
    _shown(webhook_id)
    rows = services().webhooks.deliveries(str(webhook_id))
    return [{**row, "payload": json.loads(row["payload"])} for row in rows]


@blp.route("/<uuid:webhook_id>/deliveries/<string:delivery_id>/redeliver", methods=["POST"])
@reads("webhooks")
@blp.login_required
@blp.response(202, DeliverySchema)
def redeliver(webhook_id: UUID, delivery_id: str) -> dict[str, Any]:
    """Send it again, now, with the same webhook-id (delivered or not)."""
    current_actor().require_app_manager()
    _shown(webhook_id)
    svc = services()
    row = svc.webhooks.delivery(delivery_id[:100])
    if row is None or row["webhook_id"] != str(webhook_id):
        raise NotFoundError("delivery not found")
    svc.webhooks.redeliver(delivery_id, svc.clock.now())
    again = svc.webhooks.delivery(delivery_id)
    assert again is not None
    return {**again, "payload": json.loads(again["payload"])}
