"""The Flask app factory: wires blueprints, errors, throttling and docs to given services."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.middleware.proxy_fix import ProxyFix

from api.applications.routes import blp as applications_blp
from api.audit.routes import blp as audit_blp
from api.audit.routes import group_blp as audit_export_blp
from api.developer.routes import blp as developer_blp
from api.directory.routes import blp as directory_blp
from api.ecosystem.routes import blp as ecosystem_blp
from api.errors import JsonErrorsApi, register_error_handlers
from api.json_guard import refuse_hostile_json
from api.limits import init_limits
from api.oauth import init_oauth
from api.portal.routes import blp as portal_blp
from api.session.routes import blp as session_blp
from api.team.routes import blp as team_blp
from api.ui.routes import blp as ui_blp
from api.webhooks.routes import blp as webhooks_blp
from composition.root import Services
from soap.gateway import AccountingGateway
from soap.log_privacy import quiet_spyne_logs
from soap.wsgi import soap_wsgi_app

MAX_BODY_BYTES = 1024 * 1024
BLUEPRINTS = (
    session_blp,
    directory_blp,
    applications_blp,
    developer_blp,
    audit_blp,
    audit_export_blp,
    portal_blp,
    team_blp,
    ecosystem_blp,
    webhooks_blp,
)


def create_app(services: Services) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=services.settings.secret_key,
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        RATELIMIT_ENABLED=services.settings.ratelimit_enabled,
        RATELIMIT_HEADERS_ENABLED=True,
        # redis:// in production, so every process counts against the same limits.
        RATELIMIT_STORAGE_URI=services.settings.ratelimit_storage_uri,
        RATELIMIT_KEY_PREFIX=services.settings.ratelimit_key_prefix,
        API_TITLE="Integration Applications",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "components": {
                "securitySchemes": {
                    "bearerAuth": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "POST /api/v1/session for an admin token",
                    }
                }
            }
        },
    )
    app.extensions["integrations"] = services
    refuse_hostile_json(app)  # first: the limiter may read the body
    init_limits(app, services.settings.ratelimit_storage_uri)
    api = JsonErrorsApi(app)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    init_oauth(app)
    register_error_handlers(app)
    # The thin UI (static pages on top of the APIs) and Swagger UI at /docs, under one CSP.
    app.register_blueprint(ui_blp)
    # The SOAP API shares this WSGI app (and its services), mounted at /soap.
    quiet_spyne_logs()  # spyne would log whole envelopes, access tokens included
    gateway = AccountingGateway(
        access=services.access,
        tokens=services.access_tokens,
        directory=services.directory,
        accounting=services.accounting,
        commands=services.commands.accounting,
        denied_calls=services.denied_calls,
        clock=services.clock,
        wait_for_views=services.wait_for_views,
        usage=services.usage,
        quota=services.call_quota,
        default_rate_limit=services.settings.default_app_rate_limit,
    )
    soap = soap_wsgi_app(gateway)
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/soap": soap})  # type: ignore[method-assign]
    if services.settings.trusted_proxies:
        # Behind TLS termination: trust X-Forwarded-* from that many proxies, so URLs (and
        # Authlib's https check) see the client's scheme and host.
        hops = services.settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    return app
