"""Where webhook deliveries may go (SPEC 15): https to public addresses only, loopback http
only when switched on for tests; and the signing secrets, derived, never stored."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest
from standardwebhooks import Webhook as Verifier

from adapters.webhook_http import UnsafeUrl, WebhookHttp
from domain.errors import ValidationError
from domain.webhooks import WebhookSecrets, check_events


@pytest.mark.parametrize(
    "url",
    [
        "http://8.8.8.8/hook",  # http to anywhere
        "ftp://8.8.8.8/",
        "https://10.0.0.1/",
        "https://172.16.5.4/",
        "https://192.168.1.1/",
        "https://127.0.0.1/",
        "https://0.0.0.0/",
        "https://169.254.169.254/latest/meta-data",  # the cloud metadata address
        "https://[::1]/",
        "https://[fe80::1]/",
        "https://[fd00::1]/",
        "https://[::ffff:10.0.0.1]/",  # IPv4-mapped private
        "https://100.64.0.1/",  # carrier-grade NAT
        "https://224.0.0.1/",  # multicast
        "https://user:pw@8.8.8.8/",
        "https:///nohost",
        "https://8.8.8.8:99999/",
        "not a url",
        "",
    ],
)
def test_unsafe_urls_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        WebhookHttp().target(url)
    with pytest.raises(ValidationError) as refused:
        WebhookHttp().check(url)
    assert refused.value.field == "url"


def test_public_https_is_accepted_and_connects_to_the_checked_address() -> None:
    target = WebhookHttp().target("https://8.8.8.8:8443/hooks?x=1")
    assert (target.scheme, target.address, target.port, target.path) == (
        "https",
        "8.8.8.8",
        8443,
        "/hooks?x=1",
    )


def test_loopback_http_only_with_the_switch_and_never_private_addresses() -> None:
    with pytest.raises(UnsafeUrl):
        WebhookHttp().target("http://127.0.0.1:8080/")
    allowed = WebhookHttp(allow_loopback=True)
    assert allowed.target("http://127.0.0.1:8080/x").address == "127.0.0.1"
    for url in ("http://10.0.0.1/", "http://8.8.8.8/", "https://192.168.0.1/"):
        with pytest.raises(UnsafeUrl):
            allowed.target(url)


def test_a_delivery_to_a_refused_address_is_a_failed_attempt_not_an_exception() -> None:
    outcome = WebhookHttp().post("https://10.0.0.1/", b"{}", {})
    assert outcome.status is None and outcome.error.startswith("refused")


def test_secrets_are_derived_per_endpoint_and_nonce_and_verify_with_the_reference() -> None:
    secrets = WebhookSecrets("server key")
    one, two = UUID(int=1), UUID(int=2)
    first = secrets.secret_for(one, "n1")
    assert first == secrets.secret_for(one, "n1")  # derived again, never stored
    assert len({first, secrets.secret_for(one, "n2"), secrets.secret_for(two, "n1")}) == 3
    assert WebhookSecrets("another key").secret_for(one, "n1") != first
    signature = Verifier(first).sign("msg_1", datetime.now(UTC), b'{"a":1}')
    assert signature.startswith("v1,")


def test_event_filters_are_checked() -> None:
    assert check_events(["app.revoked", "app.created", "app.revoked"]) == [
        "app.created",
        "app.revoked",
    ]
    assert check_events(["*"]) == ["*"]
    for bad in ([], ["app.exploded"], "app.created", [1]):
        with pytest.raises(ValidationError):
            check_events(bad)
