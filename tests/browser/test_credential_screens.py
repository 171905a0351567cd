"""The credential-lifecycle screens (SPEC 14), clicked through in Chromium: an app's allowed IP
addresses, ending a client secret at once (admin and developer), the group's secret lifetime,
the portal's expiry banner, and signing keys for private_key_jwt with the example that uses
them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
from joserfc.jwk import ECKey
from playwright.sync_api import expect

from tests.browser.conftest import DEVELOPER, Product, log_in_as_admin
from tests.browser.test_app_actions import open_action
from tests.browser.test_sessions_and_roles import DEV_PASSWORD, log_in_to_portal, sign_up_developer
from tests.e2e.client import PASSWORD
from tests.e2e.portal_client import OAuthClient, PortalApi
from tests.support import FakeClock

# Ed25519 is a fine key, but not one the token endpoint accepts (RS256 and ES256 only).
OKP_KEY = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}


def verified_client(product: Product, app: dict[str, Any]) -> OAuthClient:
    """The developer signs up and verifies `app` through the portal API (the screens for
    both have their own tests); returns the client with the secret issued."""
    sign_up_developer(product)
    portal = PortalApi(product.url)
    assert portal.login(DEVELOPER, DEV_PASSWORD).status_code == 201
    verified = portal.verify(app["id"], app["otp"])
    assert verified.status_code == 200, verified.text
    return OAuthClient(product.url, verified.json()["client_id"], verified.json()["client_secret"])


def test_an_admin_sets_allowed_ip_addresses_and_a_bad_one_is_named_beside_the_field(
    product: Product,
) -> None:
    app = product.create_app("Fenced Feed")
    page = product.new_page()
    log_in_as_admin(page)
    open_action(page, "Fenced Feed", "Edit")
    addresses = page.get_by_label("Allowed IP addresses")
    expect(addresses).to_have_value("")
    expect(page.get_by_text("Leave empty to allow any address.")).to_be_visible()

    # Host bits set (a likely typo): the API's message lands beside the field, nothing saved.
    addresses.fill("203.0.113.7/24")
    page.get_by_role("button", name="Save changes").click()
    error = page.locator("[data-error-for=allowed_ips]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("'203.0.113.7/24' is not an IPv4 or IPv6 address or network")
    expect(addresses).to_have_attribute("aria-invalid", "true")
    expect(addresses).to_be_focused()
    product.screenshot(page, "admin-edit-allowed-ips-error")
    assert product.admin_api.app(app["id"]).json()["allowed_ips"] == []

    # One a line; blank lines and spaces do not matter; a bare address is a /32.
    addresses.fill("203.0.113.0/24\n\n  2001:db8::/32  \n198.51.100.7\n")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").filter(has_text="Fenced Feed is saved")).to_be_visible()
    saved = ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7/32"]
    assert product.admin_api.app(app["id"]).json()["allowed_ips"] == saved
    open_action(page, "Fenced Feed", "Edit")
    expect(page.get_by_label("Allowed IP addresses")).to_have_value("\n".join(saved))

    # Emptied again: any address.
    page.get_by_label("Allowed IP addresses").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").filter(has_text="Fenced Feed is saved")).to_be_visible()
    assert product.admin_api.app(app["id"]).json()["allowed_ips"] == []


def test_an_admin_ends_a_developers_secret_and_the_token_endpoint_refuses_it(
    product: Product,
) -> None:
    app = product.create_app("Leaky Feed")
    product.create_app("Unverified Feed", developer_email="other@example.com")
    client = verified_client(product, app)
    assert client.token_basic().status_code == 200
    page = product.new_page()
    log_in_as_admin(page)
    leaky = page.get_by_role("row").filter(has_text="Leaky Feed")
    expect(leaky).to_contain_text("Secret expires in 365 days")
    # An app still to be verified has no secret: nothing expires, nothing to end.
    unverified = page.get_by_role("row").filter(has_text="Unverified Feed")
    expect(unverified).not_to_contain_text("Secret expires")
    unverified.get_by_text("Actions").click()
    expect(unverified.get_by_role("button", name="Download Activity Log")).to_be_visible()
    expect(unverified.get_by_role("button", name="End client secret now")).to_have_count(0)
    page.keyboard.press("Escape")

    open_action(page, "Leaky Feed", "End client secret now")
    dialog = page.get_by_role("dialog", name="End the client secret of Leaky Feed?")
    expect(dialog).to_contain_text("at once, with no grace period")
    product.screenshot(page, "admin-end-secret-confirm")
    dialog.get_by_role("button", name="No").click()
    expect(dialog).to_have_count(0)
    assert client.token_basic().status_code == 200

    open_action(page, "Leaky Feed", "End client secret now")
    page.get_by_role("dialog").get_by_role("button", name="Yes").click()
    expect(
        page.get_by_role("status").filter(has_text="The client secret of Leaky Feed is ended")
    ).to_be_visible()
    expect(leaky).not_to_contain_text("Secret expires")
    refused = client.token_basic()
    assert refused.status_code == 401, refused.text
    assert refused.json()["error"] == "invalid_client"
    assert product.admin_api.app(app["id"]).json()["auth_methods"] == []
    # Nothing is left to end; the app itself is still active.
    expect(leaky).to_contain_text("Active")
    leaky.get_by_text("Actions").click()
    expect(leaky.get_by_role("button", name="Revoke")).to_be_visible()
    expect(leaky.get_by_role("button", name="End client secret now")).to_have_count(0)


def test_a_practice_admin_sets_the_secret_lifetime_and_others_only_read_it(
    product: Product,
) -> None:
    page = product.new_page()
    log_in_as_admin(page)
    page.get_by_role("link", name="Security settings").click()
    expect(page.get_by_role("heading", name="Security settings")).to_be_visible()
    lifetime = page.get_by_label("Client secret lifetime (days)")
    expect(lifetime).to_have_value("365")

    # Out of range: the API's message beside the field, nothing saved.
    lifetime.fill("20")
    page.get_by_role("button", name="Save", exact=True).click()
    error = page.locator("[data-error-for=secret_lifetime_days]")
    expect(error).to_contain_text("greater than or equal to 30")
    expect(lifetime).to_have_attribute("aria-invalid", "true")
    expect(lifetime).to_be_focused()
    assert product.admin_api.get("/group").json()["secret_lifetime_days"] == 365
    # Empty: said in the page, before any request.
    lifetime.fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(error).to_contain_text("Enter a whole number of days from 30 to 730.")

    lifetime.fill("90")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(
        page.get_by_role("status").filter(has_text="New client secrets now live 90 days")
    ).to_be_visible()
    expect(error).to_be_hidden()
    assert product.admin_api.get("/group").json()["secret_lifetime_days"] == 90
    product.screenshot(page, "admin-security-settings")
    page.reload()
    expect(page.get_by_label("Client secret lifetime (days)")).to_have_value("90")

    # A user who manages apps but is no practice admin sees the lifetime and cannot change it.
    created = product.admin_api.post(
        "/users",
        json={
            "email": "manager@a.example",
            "full_name": "Max Manager",
            "role": "user",
            "password": PASSWORD,
            "permissions": ["manage_integration_applications"],
        },
    )
    assert created.status_code == 201, created.text
    other = product.new_page()
    log_in_as_admin(other, "manager@a.example")
    other.get_by_role("link", name="Security settings").click()
    expect(other.get_by_label("Client secret lifetime (days)")).to_have_value("90")
    expect(other.get_by_label("Client secret lifetime (days)")).to_be_disabled()
    expect(other.get_by_role("button", name="Save", exact=True)).to_have_count(0)
    expect(other.get_by_text("Only practice admins can change")).to_be_visible()


def run_example(example: str, now: int) -> dict[str, Any]:
    """Runs the page's Python example as a developer would, in the current directory (where
    private_key.json is); only `time.time()` is replaced by the server's (fake) clock."""
    clock_line = "now = int(time.time())"
    assert example.count(clock_line) == 1, example
    namespace: dict[str, Any] = {"__name__": "assertion_example"}
    exec(compile(example.replace(clock_line, f"now = {now}"), "example.py", "exec"), namespace)
    return namespace


def test_a_developer_is_warned_signs_in_with_a_key_and_ends_the_secret(
    product: Product,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = product.create_app("Keyed Feed")
    client = verified_client(product, app)
    page = product.new_page()
    page.goto("/portal/")
    log_in_to_portal(page)
    page.get_by_role("link", name="Open Keyed Feed").click()
    expect(page.get_by_role("heading", name="Keyed Feed", exact=True)).to_be_visible()
    expect(page.get_by_test_id("secret-expires")).to_contain_text("Secret expires in 365 days")
    expect(page.get_by_test_id("expiry-banner")).to_have_count(0)

    # Five days before the secret expires (a year by default), the banner says so.
    clock.advance(days=360)
    page.reload()
    expect(page.get_by_role("heading", name="Log in to the Developer Portal")).to_be_visible()
    log_in_to_portal(page)  # (the portal session ended long ago)
    page.get_by_role("link", name="Open Keyed Feed").click()
    banner = page.get_by_role("status").filter(has_text="Your client secret expires in 5 days")
    expect(banner).to_be_visible()
    expect(page.get_by_test_id("secret-expires")).to_contain_text("Secret expires in 5 days")
    product.screenshot(page, "portal-expiry-banner")

    # Adding a key: what is not a public JWK is named beside the field.
    jwk = page.get_by_label("Public key (JWK)")
    add = page.get_by_role("button", name="Add key")
    problem = page.locator("[data-error-for=jwk]")
    jwk.fill('{"kty": "EC", "crv": "P-256",')
    add.click()
    expect(problem).to_contain_text("This is not valid JSON")
    expect(jwk).to_have_attribute("aria-invalid", "true")
    expect(jwk).to_be_focused()
    key = ECKey.generate_key("P-256")
    jwk.fill(json.dumps(key.as_dict(private=True)))
    add.click()  # refused in the page: the private key is never sent
    expect(problem).to_contain_text("This JWK holds a private key")
    jwk.fill(json.dumps(OKP_KEY))
    add.click()  # refused by the API, which names jwk
    expect(problem).to_contain_text("kty must be RSA or EC")
    expect(page.get_by_text("No keys are registered.")).to_be_visible()

    jwk.fill(json.dumps(key.as_dict(private=False)))
    add.click()
    kid = key.thumbprint()  # a JWK without a kid is known by its thumbprint
    expect(page.get_by_role("status").filter(has_text=f"Key {kid} is registered")).to_be_visible()
    keys = page.get_by_role("table", name="Registered public keys")
    expect(keys.get_by_role("row").filter(has_text=kid)).to_contain_text("ES256")
    expect(page.get_by_label("Public key (JWK)")).to_have_value("")
    product.screenshot(page, "portal-signing-keys")

    # The example carries this app's client id, token URL and key id, and Copy copies it.
    example = page.get_by_test_id("assertion-example").inner_text()
    assert f'CLIENT_ID = "{client.client_id}"' in example
    assert f'TOKEN_URL = "{product.url}/oauth/token"' in example
    assert f'KEY_ID = "{kid}"' in example
    page.get_by_role("button", name="Copy client assertion example").click()
    expect(page.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()").strip() == example.strip()

    # Run as shown (with the private key saved as the key-pair example saves it): a token.
    assert (
        'Path("private_key.json").write_text'
        in page.get_by_test_id("key-pair-example").inner_text()
    )
    (tmp_path / "private_key.json").write_text(json.dumps(key.as_dict(private=True)))
    monkeypatch.chdir(tmp_path)
    now = int(clock.now().timestamp())
    ran = run_example(example, now)
    assert ran["response"].json()["token_type"].lower() == "bearer"
    assert client.introspect(ran["access_token"]).json()["active"] is True

    # Deleting the key (after a confirmation): its assertions are refused.
    page.get_by_role("button", name=f"Delete key {kid}").click()
    dialog = page.get_by_role("dialog", name=f"Delete key {kid}?")
    dialog.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("status").filter(has_text=f"Key {kid} is deleted")).to_be_visible()
    expect(page.get_by_text("No keys are registered.")).to_be_visible()
    with pytest.raises(requests.HTTPError) as refused:
        run_example(example, now)
    assert refused.value.response.json()["error"] == "invalid_client"

    # Ending the secret (after a confirmation): the banner goes, the secret is refused.
    assert client.token_basic().status_code == 200
    page.get_by_role("button", name="End secret now").click()
    dialog = page.get_by_role("dialog", name="End the client secret now?")
    expect(dialog).to_contain_text("with no grace period")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    assert client.token_basic().status_code == 200
    page.get_by_role("button", name="End secret now").click()
    dialog.get_by_role("button", name="End secret now").click()
    expect(page.get_by_role("status").filter(has_text="The client secret is ended")).to_be_visible()
    expect(page.get_by_test_id("no-secret")).to_be_visible()
    expect(banner).to_have_count(0)
    expect(page.get_by_role("button", name="End secret now")).to_have_count(0)
    expect(page.get_by_role("button", name="Generate a new secret")).to_be_visible()
    product.screenshot(page, "portal-secret-ended")
    refused_secret = client.token_basic()
    assert refused_secret.status_code == 401, refused_secret.text
    assert refused_secret.json()["error"] == "invalid_client"

    # A new secret, shown once, for a whole lifetime again; the ended one stays ended.
    page.get_by_role("button", name="Generate a new secret").click()
    page.get_by_role("dialog", name="Generate a new client secret?").get_by_role(
        "button", name="Generate"
    ).click()
    expect(page.get_by_role("heading", name="Your client secret")).to_be_focused()
    expect(page.get_by_text("The previous secret keeps working until")).to_have_count(0)
    expect(page.get_by_test_id("secret-expires")).to_contain_text("Secret expires in 365 days")
    fresh = page.get_by_test_id("client-secret").inner_text()
    assert client.token_basic(fresh).status_code == 200
    assert client.token_basic().status_code == 401
