from __future__ import annotations

import marshmallow as ma

from api.schemas import StrictSchema, text


class EntitySchema(ma.Schema):
    id = ma.fields.String()
    code = ma.fields.String()
    name = ma.fields.String()


class UserSchema(ma.Schema):
    id = ma.fields.String()
    email = ma.fields.String()
    full_name = ma.fields.String()
    role = ma.fields.String()
    permissions = ma.fields.List(ma.fields.String())
    created_at = ma.fields.String()
    updated_at = ma.fields.String()


class UserCreateSchema(StrictSchema):
    email = text(required=True, limit=254)
    full_name = text(required=True, limit=200)
    role = text(required=True, limit=50)
    password = text(required=True, limit=256)
    permissions = ma.fields.List(text(limit=100), validate=ma.validate.Length(max=10))


class UserUpdateSchema(StrictSchema):
    full_name = text(limit=200)
    role = text(limit=50)
    permissions = ma.fields.List(text(limit=100), validate=ma.validate.Length(max=10))


class GroupSchema(ma.Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    plan = ma.fields.String(metadata={"enum": ["aiq1", "aiq2", "aiq3"]})
    integrations_available = ma.fields.Boolean(
        metadata={"description": "whether the plan includes integration applications (AIQ3)"}
    )
    secret_lifetime_days = ma.fields.Integer(
        metadata={"description": "how long client secrets issued from now on live (30-730)"}
    )


class GroupUpdateSchema(StrictSchema):
    secret_lifetime_days = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(min=30, max=730)
    )
