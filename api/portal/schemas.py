from __future__ import annotations

import marshmallow as ma

from api.schemas import StrictSchema, text


class SignupStartSchema(StrictSchema):
    invite_token = text(required=True, limit=200)


class SignupStartedSchema(ma.Schema):
    email = ma.fields.String(metadata={"description": "where the 6-digit code was sent"})
    expires_in = ma.fields.Integer()


class SignupCompleteSchema(StrictSchema):
    invite_token = text(required=True, limit=200)
    code = text(required=True, limit=20)
    full_name = text(required=True, limit=1000)
    password = text(required=True, limit=256)


class AccountSchema(ma.Schema):
    id = ma.fields.String()
    email = ma.fields.String()
    full_name = ma.fields.String()
    created_at = ma.fields.String()


class DeveloperLoginSchema(StrictSchema):
    email = text(required=True, limit=254)
    password = text(required=True, limit=256)


class DeveloperSessionSchema(ma.Schema):
    token = ma.fields.String()
    expires_at = ma.fields.DateTime()
    account = ma.fields.Nested(AccountSchema)


class PortalAppSchema(ma.Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    customer = ma.fields.String(
        allow_none=True,
        metadata={"description": "a partner integration's installing group (customer)"},
    )
    description = ma.fields.String()
    type = ma.fields.String()
    api_permission = ma.fields.String()
    status = ma.fields.String()
    state = ma.fields.String(metadata={"description": "what the developer should do next"})
    client_id = ma.fields.String(allow_none=True)
    token_url = ma.fields.String()
    wsdl_url = ma.fields.String()
    docs = ma.fields.List(ma.fields.Dict())
    entity_count = ma.fields.Integer()
    secret_expires_at = ma.fields.String(allow_none=True)
    secret_expires_in_days = ma.fields.Integer(allow_none=True)
    secret_expiry_warning = ma.fields.String(
        allow_none=True,
        metadata={"description": "the banner's text, within 30 days of the secret's expiry"},
    )
    auth_methods = ma.fields.List(ma.fields.String())
    allowed_ips = ma.fields.List(ma.fields.String())
    client_keys = ma.fields.List(
        ma.fields.Dict(), metadata={"description": "public JWKs for private_key_jwt (kid, alg)"}
    )


class VerifySchema(StrictSchema):
    otp = text(required=True, limit=20)


class CredentialsSchema(PortalAppSchema):
    client_secret = ma.fields.String(metadata={"description": "shown only in this response"})
    previous_secret_valid_until = ma.fields.String(allow_none=True)


class EntityArgs(StrictSchema):
    search = text(limit=100, metadata={"description": "code or name, case-insensitive"})


class ClientKeySchema(StrictSchema):
    jwk = ma.fields.Dict(
        required=True,
        metadata={"description": "a public JWK: RSA (RS256, >= 2048 bits) or EC P-256 (ES256)"},
    )
