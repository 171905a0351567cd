from __future__ import annotations

import marshmallow as ma

from api.schemas import StrictSchema, strict_bool, text
from domain.webhooks import EVENT_TYPES

EVENTS = ma.fields.List(
    text(limit=50),
    validate=ma.validate.Length(min=1, max=len(EVENT_TYPES) + 1),
    metadata={"description": f'event types, or ["*"] for all: {", ".join(EVENT_TYPES)}'},
)


class WebhookCreateSchema(StrictSchema):
    url = text(required=True, limit=2000, metadata={"description": "https; a public address"})
    events = EVENTS
    description = text(limit=500, load_default="")


class WebhookChangeSchema(StrictSchema):
    url = text(limit=2000)
    events = EVENTS
    description = text(limit=500)
    active = strict_bool()


class WebhookSchema(ma.Schema):
    id = ma.fields.String()
    url = ma.fields.String()
    events = ma.fields.List(ma.fields.String())
    description = ma.fields.String()
    active = ma.fields.Boolean()
    created_at = ma.fields.String()
    updated_at = ma.fields.String()


class WebhookSecretSchema(WebhookSchema):
    secret = ma.fields.String(
        metadata={"description": "the signing secret (whsec_...), shown only in this answer"}
    )


class DeliverySchema(ma.Schema):
    id = ma.fields.String(metadata={"description": "the webhook-id header: de-duplicate by it"})
    event_type = ma.fields.String()
    status = ma.fields.String(metadata={"enum": ["pending", "delivered", "failed"]})
    attempts = ma.fields.Integer()
    last_status = ma.fields.Integer(allow_none=True, metadata={"description": "HTTP status"})
    last_error = ma.fields.String(allow_none=True)
    next_attempt_at = ma.fields.String(allow_none=True)
    created_at = ma.fields.String()
    delivered_at = ma.fields.String(allow_none=True)
    payload = ma.fields.Dict()
