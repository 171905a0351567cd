from __future__ import annotations

import marshmallow as ma

from api.applications.schemas import IDS
from api.schemas import StrictSchema, strict_bool, text
from domain.ecosystem import LISTING_STATUSES


class ListingBodySchema(StrictSchema):
    summary = text(required=True, limit=1000, metadata={"description": "1-200 characters"})
    description = text(required=True, limit=10000, metadata={"description": "1-2000 characters"})
    support_email = text(required=True, limit=254)
    website = text(required=True, limit=500, metadata={"description": "an https:// URL"})


class ListingSchema(ma.Schema):
    id = ma.fields.String()
    app_id = ma.fields.String()
    name = ma.fields.String()
    status = ma.fields.String(metadata={"enum": list(LISTING_STATUSES)})
    summary = ma.fields.String()
    description = ma.fields.String()
    support_email = ma.fields.String()
    website = ma.fields.String()
    category = ma.fields.String(allow_none=True)
    api_permission = ma.fields.String()
    partner = ma.fields.String()
    reason = ma.fields.String(allow_none=True, metadata={"description": "why rejected/delisted"})
    submitted_at = ma.fields.String()
    updated_at = ma.fields.String()
    installations = ma.fields.Integer()


class CatalogueEntrySchema(ma.Schema):
    id = ma.fields.String(metadata={"description": "the listing id, to install"})
    name = ma.fields.String()
    summary = ma.fields.String()
    description = ma.fields.String()
    category = ma.fields.String(allow_none=True)
    api_permission = ma.fields.String()
    partner = ma.fields.String()
    support_email = ma.fields.String()
    website = ma.fields.String()
    installed = ma.fields.Boolean(metadata={"description": "your group installed it"})


class CatalogueArgs(StrictSchema):
    q = text(limit=100, metadata={"description": "words in the name, summary or description"})
    category = text(limit=100)


class InstallSchema(StrictSchema):
    name = text(required=True, limit=1000)
    entity_ids = IDS
    acknowledge_data_access = strict_bool(required=True)


class ListingArgs(StrictSchema):
    status = ma.fields.String(validate=ma.validate.OneOf(LISTING_STATUSES))


class RejectSchema(StrictSchema):
    reason = text(required=True, limit=1000)


class DelistSchema(StrictSchema):
    reason = text(required=True, limit=1000)
    revoke_installations = strict_bool(required=True)
