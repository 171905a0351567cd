"""SPEC 12 over real HTTP, SMTP and SOAP on both databases: group A lists an app, the team
approves it, group B installs it, the partner's developer verifies the installation and calls
the API for group B's entity with its own token; delisting, rejection and the rules."""

from __future__ import annotations

from typing import Any

from entrypoints.cli import bootstrap_group
from tests.e2e.client import PASSWORD, AdminApi, TeamApi
from tests.e2e.portal_client import OAuthClient
from tests.e2e.test_portal_edges import DEV, Live, assert_error
from tests.soap.support import SoapClient

ADMIN_B = "admin@b.example"
STAFF = ("sam@aiq.example", "staff password 1234")
LISTING = {
    "summary": "Invoices to your CRM, both ways",
    "description": "Keeps customers and invoices in step between AIQ and the CRM.",
    "support_email": "help@partner.example",
    "website": "https://partner.example/aiq",
}


class Ecosystem:
    def __init__(self, live: Live) -> None:
        self.live = live
        ids = bootstrap_group(live.services, "Group B", [("B1", "Bravo Ltd")], ADMIN_B, PASSWORD)
        self.b_entity = ids["entities"]["B1"]
        self.admin_b = AdminApi(live.base).login(ADMIN_B)
        created = live.services.commands.team.create_staff(STAFF[0], "Sam Staff", STAFF[1])
        live.services.wait_for_views(created.position)
        self.team = TeamApi(live.base).login(*STAFF)

    def partner_app(self) -> tuple[dict[str, Any], Any, OAuthClient]:
        app = self.live.create(name="Edge App CRM Bridge")
        dev = self.live.sign_up()
        return app, dev, self.live.verify(dev, app["id"], app["otp"])

    def publish(self, app_id: str) -> dict[str, Any]:
        listed = self.live.admin.put(f"/integration-applications/{app_id}/listing", json=LISTING)
        assert listed.status_code == 200, listed.text
        approved = self.team.post(f"/listings/{listed.json()['id']}/approve")
        assert approved.status_code == 200, approved.text
        return dict(approved.json())


def test_a_partner_integration_from_listing_to_a_soap_call_in_another_group(live: Live) -> None:
    world = Ecosystem(live)
    app, dev, _ = world.partner_app()
    # A lists its app; nobody sees it until the team approves.
    path = f"/integration-applications/{app['id']}/listing"
    assert_error(
        live.admin.put(path, json={**LISTING, "website": "http://x.example"}), 422, "website"
    )
    assert_error(live.admin.put(path, json={**LISTING, "summary": ""}), 422, "summary")
    listed = live.admin.put(path, json=LISTING)
    assert listed.status_code == 200 and listed.json()["status"] == "submitted"
    assert world.admin_b.get("/ecosystem").json() == []
    queue = world.team.get("/listings", params={"status": "submitted"}).json()
    assert [(q["name"], q["partner"]) for q in queue] == [("Edge App CRM Bridge", "Group A")]
    # Another group cannot see or change A's listing.
    assert world.admin_b.get(path).status_code == 404
    approved = world.team.post(f"/listings/{listed.json()['id']}/approve")
    assert approved.json()["status"] == "published"
    live.next_mail("admin@a.example", "listing_published")
    assert live.admin.get("/ecosystem").json() == []  # the partner uses its own app itself
    # B finds it and installs it: the partner's developer is linked, the OTP shown once.
    found = world.admin_b.get("/ecosystem", params={"q": "invoices"}).json()
    assert [(f["name"], f["partner"], f["installed"]) for f in found] == [
        ("Edge App CRM Bridge", "Group A", False)
    ]
    assert world.admin_b.get("/ecosystem", params={"q": "payroll"}).json() == []
    listing_id = found[0]["id"]
    install = f"/ecosystem/{listing_id}/install"
    body = {
        "name": "CRM for Bravo",
        "entity_ids": [world.b_entity],
        "acknowledge_data_access": True,
    }
    assert_error(
        world.admin_b.post(install, json={**body, "acknowledge_data_access": False}),
        422,
        "acknowledge_data_access",
    )
    installed = world.admin_b.post(install, json=body)
    assert installed.status_code == 201, installed.text
    installation = installed.json()
    live.seen.append(installation["otp"])
    assert (installation["type"], installation["partner"], installation["listing_id"]) == (
        "partner_integration",
        "Group A",
        listing_id,
    )
    assert installation["developer"]["email"] == DEV
    assert installation["api_permission"] == "read"
    assert_error(world.admin_b.post(install, json={**body, "name": "Again"}), 409)
    assert world.admin_b.get("/ecosystem").json()[0]["installed"] is True
    listed_b = world.admin_b.list_apps(type="partner_integration").json()
    assert [a["id"] for a in listed_b] == [installation["id"]]
    # A's own group cannot install its own listing.
    assert_error(live.admin.post(install, json={**body, "entity_ids": [live.entity("A1")]}), 409)
    # The partner's developer is told, sees it in the portal for Group B, verifies it ...
    live.next_mail(DEV, "app_linked")
    home = {a["id"]: a for a in dev.apps().json()}
    assert home[installation["id"]]["customer"] == "Group B"
    assert home[app["id"]]["customer"] is None
    client = live.verify(dev, installation["id"], installation["otp"])
    # ... and calls the API for Group B's entity with the installation's own token.
    soap = SoapClient(live.base, live.access_token(client))
    entities = soap.call("GetEntitiesByToken")
    assert entities.Status == "Success"
    assert [e.Code for e in entities.Result.Entity] == ["B1"]
    assert soap.call("GetCompanyInformation", entity="B1").Result.Name == "Bravo Ltd"
    assert soap.call("GetCompanyInformation", entity="A1").ErrorCode == "ENTITY_NOT_PERMITTED"
    # The team delists it and revokes the installations: B's admin is told, the calls stop.
    delisted = world.team.post(
        f"/listings/{listing_id}/delist",
        json={"reason": "the partner stopped support", "revoke_installations": True},
    )
    assert delisted.status_code == 200 and delisted.json()["status"] == "delisted"
    assert soap.call("GetEntitiesByToken").ErrorCode == "APPLICATION_REVOKED"
    notice = live.next_mail(ADMIN_B, "partner_delisted")
    assert "the partner stopped support" in str(notice.get_body().get_content())
    assert world.admin_b.get("/ecosystem").json() == []
    csv_b = world.admin_b.activity_csv(installation["id"]).text
    assert "partner_delisted" in csv_b and STAFF[0] in csv_b
    csv_a = live.admin.activity_csv(app["id"]).text
    assert "listing_published" in csv_a and "listing_delisted" in csv_a
    live.assert_no_secret_stored()


def test_a_rejected_listing_is_told_why_and_can_be_submitted_again(live: Live) -> None:
    world = Ecosystem(live)
    app, _, _ = world.partner_app()
    path = f"/integration-applications/{app['id']}/listing"
    listing_id = live.admin.put(path, json=LISTING).json()["id"]
    assert_error(
        world.team.post(f"/listings/{listing_id}/reject", json={"reason": ""}), 422, "reason"
    )
    rejected = world.team.post(f"/listings/{listing_id}/reject", json={"reason": "add a logo"})
    assert (rejected.json()["status"], rejected.json()["reason"]) == ("rejected", "add a logo")
    assert "add a logo" in str(
        live.next_mail("admin@a.example", "listing_rejected").get_body().get_content()
    )
    assert_error(world.team.post(f"/listings/{listing_id}/approve"), 409)
    again = live.admin.put(path, json={**LISTING, "summary": "With a logo"})
    assert (again.json()["status"], again.json()["reason"]) == ("submitted", None)
    # The owner may withdraw it while it waits; only New Integration apps can be listed.
    assert live.admin.delete(path).json()["status"] == "withdrawn"
    managed = live.admin.create_app(
        type="aiq_connector",
        preset="salesforce",
        name="SF",
        description="d",
        developer_email=DEV,
        entity_ids=[live.entity("A1")],
        acknowledge_data_access=True,
    ).json()
    assert_error(
        live.admin.put(f"/integration-applications/{managed['id']}/listing", json=LISTING), 409
    )
    # A group off AIQ3 sees no ecosystem at all.
    world.team.put(f"/groups/{live.ids['group_id']}/plan", json={"plan": "aiq2"})
    refused = live.admin.get("/ecosystem")
    assert refused.status_code == 403 and refused.json()["code"] == "plan_required"
