"""Partner integrations (SPEC 12): a group lists one of its apps, and every AIQ3 group finds
the published listings in the ecosystem and installs them as apps of its own."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.applications.routes import read_app
from api.applications.schemas import CreatedAppSchema
from api.auth import PlanGatedBlueprint, current_actor
from api.caching import no_store
from api.consistency import reads, settled
from api.ecosystem.schemas import (
    CatalogueArgs,
    CatalogueEntrySchema,
    InstallSchema,
    ListingBodySchema,
    ListingSchema,
)
from api.services import services
from domain.errors import NotFoundError

blp = PlanGatedBlueprint(
    "ecosystem", __name__, url_prefix="/api/v1", description="Partner integrations"
)


def listing_shown(listing_id: str) -> dict[str, Any]:
    """A listing as its owners and the team see it."""
    svc = services()
    row = svc.ecosystem.listing(listing_id)
    if row is None:
        raise NotFoundError("listing not found")
    return {**row, "installations": svc.ecosystem.installations(listing_id)}


@blp.route("/integration-applications/<uuid:app_id>/listing", methods=["PUT"])
@reads("ecosystem")
@blp.login_required
@blp.arguments(ListingBodySchema)
@blp.response(200, ListingSchema)
@blp.alt_response(409, description="Not a New Integration app, revoked, or published")
@blp.alt_response(422, description="A field is missing or invalid; `errors` names it")
def put_listing(body: dict[str, Any], app_id: UUID) -> dict[str, Any]:
    """List this app in the integration ecosystem (or change a listing not published yet):
    the vendor's team reviews it before other groups see it."""
    listed = services().commands.ecosystem.submit_listing(current_actor(), app_id, body)
    settled(listed.position)
    return listing_shown(str(listed.listing.id))


@blp.route("/integration-applications/<uuid:app_id>/listing")
@reads("ecosystem")
@blp.login_required
@blp.response(200, ListingSchema)
def get_listing(app_id: UUID) -> dict[str, Any]:
    """This app's listing and where it stands."""
    listing = services().commands.ecosystem.listing_of(current_actor(), app_id)
    return listing_shown(str(listing.id))


@blp.route("/integration-applications/<uuid:app_id>/listing", methods=["DELETE"])
@reads("ecosystem")
@blp.login_required
@blp.response(200, ListingSchema)
@blp.alt_response(409, description="Nothing to withdraw")
def delete_listing(app_id: UUID) -> dict[str, Any]:
    """Withdraw a submitted listing, or delist a published one (installations go on)."""
    withdrawn = services().commands.ecosystem.withdraw_listing(current_actor(), app_id)
    settled(withdrawn.position)
    return listing_shown(str(withdrawn.listing.id))


@blp.route("/ecosystem")
@reads("ecosystem")
@blp.login_required
@blp.arguments(CatalogueArgs, location="query")
@blp.response(200, CatalogueEntrySchema(many=True))
def catalogue(args: dict[str, Any]) -> list[dict[str, Any]]:
    """The partner integrations published in the ecosystem, by name."""
    actor = current_actor()
    actor.require_app_reader()
    return services().ecosystem.catalogue(
        str(actor.group_id), (args.get("q") or "").strip() or None, args.get("category")
    )


@blp.route("/ecosystem/<uuid:listing_id>/install", methods=["POST"])
@reads("app_list", "ecosystem")
@blp.login_required
@blp.arguments(InstallSchema)
@blp.response(201, CreatedAppSchema)
@blp.alt_response(404, description="No such published listing")
@blp.alt_response(409, description="Installed already in your group, or the name is taken")
@blp.alt_response(422, description="A field is missing or invalid; `errors` names it")
@no_store
def install(body: dict[str, Any], listing_id: UUID) -> dict[str, Any]:
    """Install a partner integration as an app of your group; the partner's developer is
    linked, and the response carries the OTP to pass on to them, once."""
    installed = services().commands.ecosystem.install(
        current_actor(),
        listing_id,
        body["name"],
        body.get("entity_ids") or [],
        body["acknowledge_data_access"],
    )
    settled(installed.position)
    return {**read_app(installed.app.id), "otp": installed.otp}
