"""The thin UI: static HTML, CSS and JavaScript modules for admins (/) and developers (/portal/).

No build step and nothing from a CDN: the browser loads these files and then talks only to the
REST and portal APIs, like any other client. The pages route with the URL fragment, so one
HTML page per audience (templates/page.html) is enough, and invite tokens (in the fragment)
never reach the server. The portal's API Wiki and Docs (/portal/docs) is the one page rendered
on the server, from the SOAP service's definitions (soap/docs.py).
"""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from flask import Blueprint, Response, make_response, render_template, send_from_directory

from api.client_assertions import SIGNING_ALGORITHMS
from api.oauth import AUTH_METHODS
from api.services import services
from soap.docs import build_docs

STATIC = Path(__file__).parent / "static"

# Only our own files may run or load: an injected <script> or a stray inline handler is refused
# by the browser, and no page of ours can be framed (clickjacking on Revoke, Copy, ...).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

blp = Blueprint(
    "ui", __name__, static_folder=str(STATIC), static_url_path="/ui", template_folder="templates"
)


def _page(audience: str, title: str, product: str) -> Response:
    response = make_response(
        render_template("page.html", audience=audience, title=title, product=product)
    )
    # The page is tiny; always revalidate so a deploy is seen at once.
    response.headers["Cache-Control"] = "no-cache"
    return response


@blp.get("/")
def admin_page() -> Response:
    """The admin screens (login, Integration Applications, Users)."""
    return _page("admin", "Integration Applications", "AIQ · Group settings")


@blp.get("/portal/")
@blp.get("/portal/signup")
def portal_page() -> Response:
    """The Developer Portal; the invite e-mail links to /portal/signup#invite=..."""
    return _page("portal", "Developer Portal", "AIQ Developer Portal")


@blp.get("/team/")
def team_page() -> Response:
    """The vendor's team console (SPEC 11): groups and their plans, the managed-app queue."""
    return _page("team", "Team console", "AIQ · Integrations team")


@blp.get("/portal/docs")
def portal_docs() -> Response:
    """The API Wiki and Docs (SPEC 13): tokens, the SOAP header, every operation with examples,
    the error codes. Public, and server-rendered from the SOAP service's own definitions."""
    settings = services().settings
    docs = build_docs(
        settings.base_url,
        auth_methods=tuple(AUTH_METHODS),
        signing_algorithms=tuple(SIGNING_ALGORITHMS),
        token_ttl_seconds=settings.access_token_ttl,
    )
    response = make_response(render_template("portal_docs.html", docs=docs))
    response.headers["Cache-Control"] = "no-cache"
    return response


@blp.get("/docs")
def api_docs() -> Response:
    """Swagger UI for /openapi.json, its files served from here (swagger-ui-bundle), no CDN."""
    response = make_response(render_template("docs.html"))
    response.headers["Cache-Control"] = "no-cache"
    return response


@blp.get("/docs/assets/<path:filename>")
def swagger_assets(filename: str) -> Response:
    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)


@blp.after_request
def _secure(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
