"""SPEC 12 on in-memory storage: who may list, review and install, and what delisting does."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from domain.actor import Actor
from domain.apps import IntegrationApp
from domain.commands import CreateApp
from domain.ecosystem import Listing
from domain.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from domain.handlers.portal import developer_actor
from tests.unit.conftest import Domain

STAFF = Actor(type="staff", id="staff-1", name="sam@aiq.example")
TEXT = {
    "summary": "Invoices to your CRM",
    "description": "Both ways.",
    "support_email": "help@partner.example",
    "website": "https://partner.example",
}


def listed_app(domain: Domain, **overrides: Any) -> IntegrationApp:
    created = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields(**overrides)))
    return created.app


def published(domain: Domain) -> Listing:
    app = listed_app(domain)
    listing = domain.commands.ecosystem.submit_listing(domain.admin, app.id, TEXT).listing
    return domain.commands.ecosystem.approve(STAFF, listing.id).listing


def install(domain: Domain, listing_id: UUID, name: str = "Bridge for B", **overrides: Any) -> Any:
    args = {"entity_ids": domain.other_entities, "acknowledge_data_access": True, **overrides}
    return domain.commands.ecosystem.install(domain.outsider, listing_id, name, **args)


def test_only_the_owners_managers_list_and_only_new_integration_apps(domain: Domain) -> None:
    app = listed_app(domain)
    for actor in (domain.plain, domain.auditor):
        with pytest.raises(PermissionDeniedError):
            domain.commands.ecosystem.submit_listing(actor, app.id, TEXT)
    with pytest.raises(NotFoundError):
        domain.commands.ecosystem.submit_listing(domain.outsider, app.id, TEXT)
    for field, bad in (
        ("website", "http://partner.example"),
        ("website", "https://"),
        ("support_email", "not-an-address"),
        ("summary", "x" * 201),
        ("description", ""),
    ):
        with pytest.raises(ValidationError) as refused:
            domain.commands.ecosystem.submit_listing(domain.admin, app.id, {**TEXT, field: bad})
        assert refused.value.field == field
    managed = listed_app(
        domain,
        type="aiq_connector",
        name="SF Connector",
        preset="salesforce",
        category=None,
        api_permission=None,
        acknowledge_data_access=True,
    )
    with pytest.raises(ConflictError, match="New Integration"):
        domain.commands.ecosystem.submit_listing(domain.admin, managed.id, TEXT)
    listing = domain.commands.ecosystem.submit_listing(domain.manager, app.id, TEXT).listing
    assert listing.status == "submitted" and listing.id == Listing.create_id(app.id)


def test_only_the_team_reviews_and_each_step_in_its_order(domain: Domain) -> None:
    app = listed_app(domain)
    listing = domain.commands.ecosystem.submit_listing(domain.admin, app.id, TEXT).listing
    with pytest.raises(PermissionDeniedError):
        domain.commands.ecosystem.approve(domain.admin, listing.id)
    with pytest.raises(ConflictError):
        domain.commands.ecosystem.delist(STAFF, listing.id, "why", True)
    with pytest.raises(ValidationError):
        domain.commands.ecosystem.reject(STAFF, listing.id, "   ")
    domain.commands.ecosystem.approve(STAFF, listing.id)
    with pytest.raises(ConflictError, match="published"):
        domain.commands.ecosystem.submit_listing(domain.admin, app.id, TEXT)
    # The owner's DELETE delists a published listing (its installations go on).
    withdrawn = domain.commands.ecosystem.withdraw_listing(domain.admin, app.id).listing
    assert withdrawn.status == "delisted"


def test_installing_links_the_partners_developer_once_per_group(domain: Domain) -> None:
    listing = published(domain)
    with pytest.raises(ValidationError) as refused:
        install(domain, listing.id, acknowledge_data_access=None)
    assert refused.value.field == "acknowledge_data_access"
    installed = install(domain, listing.id)
    app = installed.app
    assert (app.app_type, app.listing_id, app.api_permission) == (
        "partner_integration",
        listing.id,
        "read",
    )
    assert app.developer is not None and app.developer.email == "dev@example.com"
    assert app.group_id == domain.outsider.group_id and installed.otp
    with pytest.raises(ConflictError, match="already"):
        install(domain, listing.id, name="Another name")
    with pytest.raises(ConflictError, match="own group"):
        domain.commands.ecosystem.install(
            domain.admin, listing.id, "Mine", domain.entities[:1], True
        )
    # The partner's developer verifies the installation like any app of theirs.
    verified = domain.commands.portal.verify_app(
        developer_actor("dev@example.com"), app.id, installed.otp
    )
    assert verified.client_secret.startswith("aiqcs_")


def test_a_listing_not_published_cannot_be_installed(domain: Domain) -> None:
    app = listed_app(domain)
    listing = domain.commands.ecosystem.submit_listing(domain.admin, app.id, TEXT).listing
    with pytest.raises(NotFoundError):
        install(domain, listing.id)
    with pytest.raises(NotFoundError):
        install(domain, UUID(int=7))


def test_delisting_with_revoke_revokes_every_installation_in_one_record(domain: Domain) -> None:
    listing = published(domain)
    installed = install(domain, listing.id).app
    position = domain.commands.ecosystem.delist(STAFF, listing.id, "no more support", True).position
    app = domain.store.get(installed.id, IntegrationApp)
    assert app.revoked
    names = domain.event_names(app.id)
    assert names[-2:] == ["PartnerDelisted", "Revoked"]
    assert domain.store.head() == position  # listing and installations together


def test_delisting_without_revoke_leaves_installations_running(domain: Domain) -> None:
    listing = published(domain)
    installed = install(domain, listing.id).app
    domain.commands.ecosystem.delist(STAFF, listing.id, "rebranding", False)
    app = domain.store.get(installed.id, IntegrationApp)
    assert not app.revoked and domain.event_names(app.id)[-1] == "PartnerDelisted"
