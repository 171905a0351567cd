from __future__ import annotations

import marshmallow as ma

from api.schemas import StrictSchema, text
from domain.apps import PROGRESS_STATES
from domain.groups import PLANS


class StaffSchema(ma.Schema):
    id = ma.fields.String()
    email = ma.fields.String()
    full_name = ma.fields.String()
    created_at = ma.fields.String()


class StaffSessionSchema(ma.Schema):
    token = ma.fields.String()
    expires_at = ma.fields.DateTime()
    staff = ma.fields.Nested(StaffSchema)


class TeamGroupSchema(ma.Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    plan = ma.fields.String(metadata={"enum": list(PLANS)})


class PlanSchema(StrictSchema):
    plan = ma.fields.String(required=True, validate=ma.validate.OneOf(PLANS))


class ProgressSchema(ma.Schema):
    state = ma.fields.String(allow_none=True)
    note = ma.fields.String()
    at = ma.fields.String(allow_none=True)
    by = ma.fields.String(allow_none=True)


class RequestSchema(ma.Schema):
    app_id = ma.fields.String()
    group_id = ma.fields.String()
    group_name = ma.fields.String()
    type = ma.fields.String()
    preset = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    status = ma.fields.String()
    acknowledged_by = ma.fields.String(
        metadata={"description": "the admin who asked, acknowledging charges and data access"}
    )
    acknowledged_at = ma.fields.String()
    developer_email = ma.fields.String(allow_none=True)
    progress = ma.fields.Nested(ProgressSchema)


class LinkedRequestSchema(RequestSchema):
    otp = ma.fields.String(
        metadata={"description": "the OTP, shown only here: pass it to the developer"}
    )


class RequestArgs(StrictSchema):
    status = text(limit=200, metadata={"description": "one app status, or several separated by ,"})


class LinkDeveloperSchema(StrictSchema):
    email = text(required=True, limit=254)


class NoteProgressSchema(StrictSchema):
    state = ma.fields.String(required=True, validate=ma.validate.OneOf(PROGRESS_STATES))
    note = text(limit=2000, load_default="")
