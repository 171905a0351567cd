"""The OpenAPI document and the Swagger UI page, over real HTTP from the live server."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlparse
from uuid import uuid4

import pytest
import requests

from api.ui.routes import SECURITY_HEADERS

A = "/api/v1/integration-applications/{}"
# SPEC 7: every admin endpoint and its methods (path parameters written as {}).
ADMIN_ENDPOINTS = {
    "/api/v1/session": {"get", "post", "delete"},
    "/api/v1/entities": {"get"},
    "/api/v1/users": {"get", "post"},
    "/api/v1/users/{}": {"patch"},
    "/api/v1/catalog": {"get"},
    "/api/v1/integration-applications": {"get", "post"},
    A: {"get", "patch"},
    A + "/developer": {"get", "put", "delete"},
    A + "/developer/resend-invite": {"post"},
    A + "/developer/reset-otp": {"post"},
    A + "/activity-log.csv": {"get"},
    A + "/revoke": {"post"},
    A + "/history": {"get"},
    # SPEC 11, 12, 14, 15
    "/api/v1/group": {"get", "patch"},
    A + "/revoke-secret": {"post"},
    A + "/listing": {"get", "put", "delete"},
    A + "/activity-log.ndjson": {"get"},
    "/api/v1/ecosystem": {"get"},
    "/api/v1/ecosystem/{}/install": {"post"},
    "/api/v1/audit-log": {"get"},
}
P = "/portal/v1/apps/{}"
PORTAL_ENDPOINTS = {
    "/portal/v1/signup/start": {"post"},
    "/portal/v1/signup/complete": {"post"},
    "/portal/v1/session": {"post"},
    "/portal/v1/apps": {"get"},
    P: {"get"},
    P + "/entities": {"get"},
    P + "/verify": {"post"},
    P + "/secret": {"post"},
    P + "/secret/revoke-now": {"post"},
    P + "/keys": {"post"},
    P + "/keys/{}": {"delete"},
}
# The only operations anyone may call without a session: logging in and signing up.
OPEN_OPERATIONS = {
    ("/api/v1/session", "post"),
    ("/portal/v1/session", "post"),
    ("/portal/v1/signup/start", "post"),
    ("/portal/v1/signup/complete", "post"),
    ("/team/v1/session", "post"),
}
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def normalised(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (normalised(path), method): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


class Assets(HTMLParser):
    """Every URL the page loads: scripts, stylesheets, images, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)


class Markup(HTMLParser):
    """Scripts (src, body) and anything a strict CSP would refuse inline."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[str | None, str]] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        self.inline += [f"{tag} {n}" for n in names if n.startswith("on") or n == "style"]
        if tag == "style":
            self.inline.append("<style>")
        if tag == "script":
            self.scripts.append((dict(attrs).get("src"), ""))
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            src, body = self.scripts[-1]
            self.scripts[-1] = (src, body + data)


class TestOpenApiOnSQLite:
    backend = "sqlite"

    @pytest.fixture
    def document(self, server: Any) -> dict[str, Any]:
        response = requests.get(f"{server.url}/openapi.json", timeout=30)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("application/json")
        found: dict[str, Any] = response.json()
        return found

    def test_every_admin_and_portal_endpoint_is_documented_with_its_methods(
        self, document: dict[str, Any]
    ) -> None:
        assert document["openapi"].startswith("3.")
        documented: dict[str, set[str]] = {}
        for path, method in operations(document):
            documented.setdefault(path, set()).add(method)
        for path, methods in ADMIN_ENDPOINTS.items():
            assert documented.get(path) == methods, path
        for path, methods in PORTAL_ENDPOINTS.items():
            assert methods <= documented.get(path, set()), path

    def test_a_bearer_scheme_is_declared_and_used_on_every_protected_operation(
        self, document: dict[str, Any]
    ) -> None:
        schemes = document["components"]["securitySchemes"]
        bearer = [
            name
            for name, scheme in schemes.items()
            if scheme.get("type") == "http" and scheme.get("scheme", "").lower() == "bearer"
        ]
        assert len(bearer) == 1, schemes
        assert "security" not in document or document["security"] in ([], [{}])
        for key, operation in operations(document).items():
            security = operation.get("security", [])
            if key in OPEN_OPERATIONS:
                assert not security or {} in security, key
            else:
                assert security == [{bearer[0]: []}], key
                assert "401" in operation["responses"], key

    def test_the_documented_security_is_what_the_server_enforces(
        self, server: Any, document: dict[str, Any]
    ) -> None:
        for path, item in document["paths"].items():
            url = server.url + re.sub(r"\{[^}]+\}", str(uuid4()), path)
            for method, operation in item.items():
                if method not in METHODS:
                    continue
                protected = bool(operation.get("security"))
                for headers in ({}, {"Authorization": "Bearer not-a-session"}):
                    response = requests.request(method, url, headers=headers, json={}, timeout=30)
                    if protected:
                        assert response.status_code == 401, (method, path, response.text)
                        assert response.json()["status"] == 401
                    else:
                        assert response.status_code != 401, (method, path)
                        assert response.status_code < 500, (method, path)

    def test_every_reference_resolves_inside_the_document(self, document: dict[str, Any]) -> None:
        refs: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if isinstance(node.get("$ref"), str):
                    refs.append(node["$ref"])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(document)
        assert refs
        for ref in refs:
            assert ref.startswith("#/"), ref
            target: Any = document
            for part in ref[2:].split("/"):
                assert isinstance(target, dict) and part in target, ref
                target = target[part]

    def test_docs_load_swagger_ui_from_this_server_only(self, server: Any) -> None:
        page = requests.get(f"{server.url}/docs", timeout=30)
        assert page.status_code == 200
        assert page.headers["Content-Type"].startswith("text/html")
        assets = Assets()
        assets.feed(page.text)
        here = urlparse(server.url).netloc
        urls = [urljoin(f"{server.url}/docs", u) for u in assets.urls]
        assert any(u.endswith(".js") and "swagger-ui-bundle" in u for u in urls), urls
        assert any(u.endswith(".css") for u in urls), urls
        # Nothing from elsewhere: no CDN, not even a protocol-relative URL.
        for absolute in re.findall(r"(?:https?:)?//[\w.-]+[^\s\"'<>]*", page.text):
            assert urlparse(urljoin(server.url, absolute)).netloc == here, absolute
        for url in urls:
            assert urlparse(url).netloc == here, url
            asset = requests.get(url, timeout=30)
            assert asset.status_code == 200, url
            assert asset.content, url
            kind = asset.headers["Content-Type"]
            expected = "javascript" if url.endswith(".js") else "css"
            assert expected in kind, (url, kind)
        # The page points Swagger UI at this server's document.
        spec_url = re.search(r"data-spec-url=[\"']([^\"']+)[\"']", page.text)
        assert spec_url is not None
        spec = requests.get(urljoin(f"{server.url}/docs", spec_url.group(1)), timeout=30)
        assert spec.status_code == 200 and "paths" in spec.json()

    def test_docs_run_under_the_screens_csp_with_no_inline_script(self, server: Any) -> None:
        page = requests.get(f"{server.url}/docs", timeout=30)
        for name, value in SECURITY_HEADERS.items():
            assert page.headers[name] == value, name
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        markup = Markup()
        markup.feed(page.text)
        assert markup.scripts and all(src for src, _ in markup.scripts), markup.scripts
        assert not any(body.strip() for _, body in markup.scripts), "an inline script"
        assert not markup.inline, markup.inline  # no on*= handler, style= or <style>
        for src, _ in markup.scripts:
            script = requests.get(urljoin(f"{server.url}/docs", src), timeout=30)
            assert script.status_code == 200 and "javascript" in script.headers["Content-Type"]
            assert script.headers["X-Content-Type-Options"] == "nosniff"

    def test_the_asset_route_serves_nothing_outside_the_swagger_bundle(self, server: Any) -> None:
        for name in ("../../setup.py", "..%2f..%2fapi%2fapp.py", "%2e%2e/__init__.py", "nope.js"):
            response = requests.get(f"{server.url}/docs/assets/{name}", timeout=30)
            assert response.status_code == 404, name
