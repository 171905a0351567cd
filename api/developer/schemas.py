from __future__ import annotations

import marshmallow as ma

from api.applications.schemas import AppSchema
from api.schemas import StrictSchema, text


class RegisterDeveloperSchema(StrictSchema):
    email = text(required=True, limit=1000)


class AppWithOtpSchema(AppSchema):
    otp = ma.fields.String(metadata={"description": "The new OTP, shown only here"})
