from __future__ import annotations

import marshmallow as ma

from api.directory.schemas import UserSchema
from api.schemas import StrictSchema, text


class LoginSchema(StrictSchema):
    email = text(required=True, limit=254)
    password = text(required=True, limit=256)


class SignedInUserSchema(UserSchema):
    can = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Boolean(),
        metadata={
            "description": "what screens may offer: manage_apps, read_apps, manage_users, "
            "read_users (every call is still checked)"
        },
    )


class SessionSchema(ma.Schema):
    token = ma.fields.String()
    expires_at = ma.fields.DateTime()
    user = ma.fields.Nested(SignedInUserSchema)
