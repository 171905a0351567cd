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


class AuditLogArgs(StrictSchema):
    # `from` is a Python keyword: the field keeps its query name through data_key.
    from_ = text(limit=40, data_key="from", metadata={"description": "ISO 8601 date or date-time"})
    to = text(limit=40, metadata={"description": "ISO 8601 date (whole day) or date-time"})
    app_id = ma.fields.UUID(metadata={"description": "one app's lines only"})
    format = ma.fields.String(validate=ma.validate.OneOf(["csv", "ndjson"]), load_default="csv")
