from __future__ import annotations

import marshmallow as ma

from api.schemas import StrictSchema, strict_bool, text
from domain.status import Status
from projections.app_list import SORTABLE

STATUSES = tuple(s.value for s in Status)
SORTS = [*SORTABLE, *(f"-{s}" for s in SORTABLE)]
IDS = ma.fields.List(text(limit=64), validate=ma.validate.Length(max=500))


class DeveloperSchema(ma.Schema):
    email = ma.fields.String()
    signed_up = ma.fields.Boolean()
    invite_expires_at = ma.fields.String(allow_none=True)
    otp_verified = ma.fields.Boolean()
    otp_expires_at = ma.fields.String(allow_none=True)
    linked_at = ma.fields.String(allow_none=True)


class AppSchema(ma.Schema):
    id = ma.fields.String()
    type = ma.fields.String()
    preset = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    description = ma.fields.String()
    category = ma.fields.String(allow_none=True)
    api_permission = ma.fields.String()
    entity_ids = ma.fields.List(ma.fields.String())
    status = ma.fields.String(metadata={"enum": list(STATUSES)})
    created_at = ma.fields.String()
    updated_at = ma.fields.String()
    client_id = ma.fields.String()
    developer = ma.fields.Nested(DeveloperSchema, allow_none=True)
    listing_id = ma.fields.String(
        allow_none=True, metadata={"description": "a partner integration's listing"}
    )
    rate_limit_per_minute = ma.fields.Integer(
        metadata={"description": "SOAP calls a minute, across every process (SPEC 15)"}
    )
    last_used_at = ma.fields.String(
        allow_none=True, metadata={"description": "its last token or served SOAP call"}
    )
    partner = ma.fields.String(
        allow_none=True, metadata={"description": "a partner integration's partner (group)"}
    )
    allowed_ips = ma.fields.List(
        ma.fields.String(),
        metadata={"description": "CIDRs the app may be used from; empty: any address"},
    )
    secret_expires_at = ma.fields.String(
        allow_none=True, metadata={"description": "when the current client secret expires"}
    )
    secret_expires_in_days = ma.fields.Integer(
        allow_none=True, metadata={"description": "whole days left (0: expires today or has)"}
    )
    auth_methods = ma.fields.List(
        ma.fields.String(),
        metadata={
            "description": "how the app can obtain tokens now: client_secret, private_key_jwt"
        },
    )


class CreatedAppSchema(AppSchema):
    otp = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "The OTP, shown only here: pass it to the developer by SMS or phone"
        },
    )


class AppCreateSchema(StrictSchema):
    type = text(required=True, limit=50)
    preset = text(limit=50, allow_none=True)
    name = text(required=True, limit=1000)
    description = text(required=True, limit=10000)
    category = text(limit=100, allow_none=True)
    developer_email = text(limit=1000, allow_none=True)
    api_permission = text(limit=50, allow_none=True)
    entity_ids = IDS
    acknowledge_charges = strict_bool(allow_none=True)
    acknowledge_data_access = strict_bool(allow_none=True)


class AppEditSchema(StrictSchema):
    description = text(limit=10000)
    category = text(limit=100)
    entity_ids = IDS
    allowed_ips = ma.fields.List(
        text(limit=64),
        validate=ma.validate.Length(max=50),
        metadata={"description": "up to 50 IPv4/IPv6 CIDRs; [] allows any address"},
    )
    rate_limit_per_minute = ma.fields.Integer(
        allow_none=True,
        strict=True,
        metadata={"description": "1-100000 SOAP calls a minute; null: the default"},
    )
    # Declared so that an attempt to change them is answered "X cannot be changed".
    name = ma.fields.Raw()
    type = ma.fields.Raw()
    preset = ma.fields.Raw()
    api_permission = ma.fields.Raw()


class RevokeSchema(StrictSchema):
    confirm = strict_bool(required=True)


class AppListArgs(StrictSchema):
    status = text(limit=200, metadata={"description": "one status, or several separated by ,"})
    type = text(limit=50)
    category = text(limit=100)
    name = text(limit=100, metadata={"description": "case-insensitive substring"})
    developer_email = text(limit=254, metadata={"description": "case-insensitive substring"})
    entity_id = text(limit=64)
    created_from = text(limit=40, metadata={"description": "ISO 8601 date or date-time"})
    created_to = text(limit=40, metadata={"description": "ISO 8601 date (whole day) or date-time"})
    secret_expires_before = text(
        limit=40, metadata={"description": "ISO 8601: apps whose secret expires before then"}
    )
    unused_since = text(
        limit=40, metadata={"description": "ISO 8601: apps not used since then (or never)"}
    )
    sort = ma.fields.String(validate=ma.validate.OneOf(SORTS), load_default="-created_at")

    @ma.validates("status")
    def _known_statuses(self, value: str, **_: object) -> None:
        unknown = [s for s in value.split(",") if s.strip() not in STATUSES]
        if unknown:
            raise ma.ValidationError(f"unknown status; use {', '.join(STATUSES)}")


class RevokeSecretSchema(StrictSchema):
    confirm = strict_bool(
        required=True,
        metadata={"description": "true: the secret and its tokens stop at once, no grace"},
    )


class UsageArgs(StrictSchema):
    from_ = text(
        limit=40, data_key="from", metadata={"description": "ISO date; default 29 days ago"}
    )
    to = text(limit=40, metadata={"description": "ISO date; default today (UTC)"})


class UsageDaySchema(ma.Schema):
    day = ma.fields.String()
    tokens = ma.fields.Integer()
    calls = ma.fields.Integer()
    writes = ma.fields.Integer()
    denied = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Integer(), metadata={"description": "by code"}
    )


class UsageSchema(ma.Schema):
    app_id = ma.fields.String()
    last_used_at = ma.fields.String(allow_none=True)
    days = ma.fields.List(ma.fields.Nested(UsageDaySchema))
