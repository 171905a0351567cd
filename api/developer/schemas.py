from __future__ import annotations

import marshmallow as ma

from api.applications.schemas import AppSchema, DeveloperSchema
from api.schemas import StrictSchema, text


class RegisterDeveloperSchema(StrictSchema):
    email = text(required=True, limit=1000)


class AppWithOtpSchema(AppSchema):
    otp = ma.fields.String(metadata={"description": "The new OTP, shown only here"})


class DeliveryProblemSchema(ma.Schema):
    kind = ma.fields.String(
        metadata={
            "description": "Which e-mail it was",
            "enum": ["invite", "app_linked", "signup_code", "otp_reset", "access_revoked"],
        }
    )
    recipient = ma.fields.String(metadata={"description": "The address it was sent to"})
    reason = ma.fields.String(
        metadata={"description": "Why, e.g. the mail server's reply: 550 5.1.1 no such user"}
    )
    at = ma.fields.String(metadata={"description": "When it was given up (ISO 8601, UTC)"})


class DeveloperAccessSchema(DeveloperSchema):
    delivery_problem = ma.fields.Nested(
        DeliveryProblemSchema,
        allow_none=True,
        metadata={
            "description": (
                "The latest e-mail to this developer if it could not be delivered: refused"
                " by the mail server, or still failing after the last retry (about a day)."
                " Null once a later e-mail to them goes out or the invite is resent."
            )
        },
    )
