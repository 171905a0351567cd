"""SPEC 15, usage and quotas, over real HTTP and SOAP on both databases: what an app did per
UTC day, when it was last used, the unused_since filter, and the per-app quota (429)."""

from __future__ import annotations

from datetime import timedelta

import requests

from tests.e2e.test_portal_edges import Live, assert_error
from tests.soap.support import SoapClient


def test_usage_counts_tokens_calls_writes_and_refusals_per_day(live: Live) -> None:
    app = live.create()
    dev = live.sign_up()
    client = live.verify(dev, app["id"], app["otp"])
    idle = live.create()
    assert live.admin.app(app["id"]).json()["last_used_at"] is None
    token = live.access_token(client)
    live.access_token(client)
    soap = SoapClient(live.base, token)
    for _ in range(3):
        assert soap.call("GetEntitiesByToken").Status == "Success"
    refused = soap.call("UpdateCustomer", {"Code": "C1", "Name": "X"}, entity="A1")
    assert refused.ErrorCode == "READ_ONLY"  # a read-only app: refused, and counted so
    live.services.usage.flush()  # what the counter does every second

    report = live.admin.get(f"/integration-applications/{app['id']}/usage").json()
    assert len(report["days"]) == 30
    today = report["days"][-1]
    assert today["day"] == live.clock.now().date().isoformat()
    assert (today["tokens"], today["calls"], today["writes"]) == (2, 3, 0)
    assert today["denied"] == {"READ_ONLY": 1}
    assert all(d["calls"] == 0 for d in report["days"][:-1])
    assert report["last_used_at"] == live.admin.app(app["id"]).json()["last_used_at"]
    assert report["last_used_at"] is not None
    portal = dev.request("GET", f"/apps/{app['id']}/usage").json()
    assert portal["days"][-1]["calls"] == 3
    # Ranges and their errors.
    week = live.admin.get(
        f"/integration-applications/{app['id']}/usage",
        params={"from": (live.clock.now() - timedelta(days=6)).date().isoformat()},
    ).json()
    assert len(week["days"]) == 7
    too_long = live.admin.get(
        f"/integration-applications/{app['id']}/usage", params={"from": "2000-01-01"}
    )
    assert_error(too_long, 422, "from")
    # Not used since a moment: the idle app, not the busy one.
    since = (live.clock.now() - timedelta(minutes=1)).isoformat()
    unused = [a["id"] for a in live.admin.list_apps(unused_since=since).json()]
    assert idle["id"] in unused and app["id"] not in unused
    later = (live.clock.now() + timedelta(days=2)).isoformat()
    assert app["id"] in [a["id"] for a in live.admin.list_apps(unused_since=later).json()]
    assert_error(live.admin.list_apps(unused_since="soon"), 422, "unused_since")


def test_an_apps_quota_refuses_calls_over_it_with_429(live: Live) -> None:
    app = live.create()
    dev = live.sign_up()
    client = live.verify(dev, app["id"], app["otp"])
    assert live.admin.app(app["id"]).json()["rate_limit_per_minute"] == 600  # the default
    for bad in (0, -1, 100_001, "ten", 2.5):
        assert_error(
            live.admin.edit_app(app["id"], rate_limit_per_minute=bad), 422, "rate_limit_per_minute"
        )
    edited = live.admin.edit_app(app["id"], rate_limit_per_minute=3)
    assert edited.status_code == 200 and edited.json()["rate_limit_per_minute"] == 3
    token = live.access_token(client)
    soap = SoapClient(live.base, token)
    assert [soap.call("GetEntitiesByToken").Status for _ in range(3)] == ["Success"] * 3
    envelope = (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:tns="http://integrations.aiq.example/soap"><soapenv:Body>'
        "<tns:GetEntitiesByToken/></soapenv:Body></soapenv:Envelope>"
    )
    over = requests.post(
        f"{live.base}/soap",
        data=envelope,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/xml; charset=utf-8"},
        timeout=30,
    )
    assert over.status_code == 429
    assert 1 <= int(over.headers["Retry-After"]) <= 60
    assert "<tns:ErrorCode>RATE_LIMITED</tns:ErrorCode>" in over.text
    live.services.usage.flush()
    report = live.admin.get(f"/integration-applications/{app['id']}/usage").json()
    assert report["days"][-1]["denied"] == {"RATE_LIMITED": 1}
    # Back to the default: the same minute's calls are allowed again.
    assert live.admin.edit_app(app["id"], rate_limit_per_minute=None).status_code == 200
    assert soap.call("GetEntitiesByToken").Status == "Success"
