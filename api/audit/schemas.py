from __future__ import annotations

import marshmallow as ma

from api.applications.schemas import AppSchema
from api.schemas import StrictSchema, text


class HistoryArgs(StrictSchema):
    as_of = text(limit=40, metadata={"description": "ISO 8601; default now"})


class EventSchema(ma.Schema):
    version = ma.fields.Integer()
    timestamp = ma.fields.String()
    event = ma.fields.String()
    actor = ma.fields.Dict()
    data = ma.fields.Dict()


class HistorySchema(ma.Schema):
    as_of = ma.fields.String()
    events = ma.fields.List(ma.fields.Nested(EventSchema))
    state = ma.fields.Nested(AppSchema, allow_none=True)
