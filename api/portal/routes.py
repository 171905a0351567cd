"""The Developer Portal API (prefix /portal/v1): sign-up, sessions, apps, credentials."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.applications.schemas import UsageArgs, UsageSchema
from api.auth import ApiBlueprint, authenticate_developer, bearer_token, current_actor
from api.caching import no_store
from api.consistency import reads, settled
from api.directory.schemas import EntitySchema
from api.limits import ACCOUNT_GUESSES, account_email, address_and_email, limiter, refused
from api.portal.presenter import owned_by_developer, portal_app
from api.portal.schemas import (
    AccountSchema,
    ClientKeySchema,
    CredentialsSchema,
    DeveloperLoginSchema,
    DeveloperSessionSchema,
    EntityArgs,
    PortalAppSchema,
    SignupCompleteSchema,
    SignupStartedSchema,
    SignupStartSchema,
    VerifySchema,
)
from api.services import services
from api.usage_report import usage_report
from domain.handlers.portal import SIGNUP_CODE_TTL, Credentials


class PortalBlueprint(ApiBlueprint):
    authenticate = staticmethod(authenticate_developer)


blp = PortalBlueprint("portal", __name__, url_prefix="/portal/v1", description="Developer Portal")


@blp.route("/signup/start", methods=["POST"])
@limiter.limit("10 per minute")
@blp.arguments(SignupStartSchema)
@blp.response(202, SignupStartedSchema)
def signup_start(body: dict[str, Any]) -> dict[str, Any]:
    """E-mail a 6-digit verification code to the invited address."""
    email = services().commands.portal.start_signup(body["invite_token"])
    return {"email": email, "expires_in": int(SIGNUP_CODE_TTL.total_seconds())}


@blp.route("/signup/complete", methods=["POST"])
@reads("portal")
@limiter.limit("20 per minute")
@blp.arguments(SignupCompleteSchema)
@blp.response(201, AccountSchema)
@no_store
def signup_complete(body: dict[str, Any]) -> dict[str, Any] | None:
    """Create the portal account with the e-mailed code, your full name and a password."""
    signed_up = services().commands.portal.complete_signup(**body)
    settled(signed_up.position)
    return services().portal.account(signed_up.account.email)


@blp.route("/session", methods=["POST"])
@reads("portal")  # every portal request authenticates against the portal view
@limiter.limit("10 per minute", key_func=address_and_email)
@limiter.limit("100 per minute")
@limiter.limit(ACCOUNT_GUESSES, key_func=account_email, deduct_when=refused)
@blp.arguments(DeveloperLoginSchema)
@blp.response(201, DeveloperSessionSchema)
@no_store
def login(body: dict[str, Any]) -> dict[str, Any]:
    """Log in to the portal; returns a bearer session token."""
    session = services().commands.portal.developer_login(body["email"], body["password"])
    settled(session.position)
    account = services().portal.account(session.account.email)
    return {"token": session.token, "expires_at": session.expires_at, "account": account}


@blp.route("/session", methods=["DELETE"])
@reads("portal")
@blp.login_required
@blp.response(204)
def logout() -> None:
    """End this portal session."""
    settled(services().commands.portal.developer_logout(current_actor(), bearer_token()))


@blp.route("/apps")
@reads("app_list")
@blp.login_required
@blp.response(200, PortalAppSchema(many=True))
def home() -> list[dict[str, Any]]:
    """Your applications and what each needs ("OTP verification needed" until verified)."""
    rows = services().app_list.of_developer(current_actor().name)
    return [portal_app(row) for row in rows]


@blp.route("/apps/<uuid:app_id>")
@reads("app_list")
@blp.login_required
@blp.response(200, PortalAppSchema)
def detail(app_id: UUID) -> dict[str, Any]:
    """Client id, token URL, WSDL URL and documentation links of one application."""
    return portal_app(owned_by_developer(app_id))


@blp.route("/apps/<uuid:app_id>/entities")
@reads("app_list", "directory")
@blp.login_required
@blp.arguments(EntityArgs, location="query")
@blp.response(200, EntitySchema(many=True))
@blp.paginate()
def entities(args: dict[str, Any], app_id: UUID, pagination_parameters: Any) -> list[Any]:
    """The entities assigned to the application, searchable by code or name, paged."""
    row = owned_by_developer(app_id)
    assigned = set(portal_app(row)["entity_ids"])
    search = (args.get("search") or "").strip().lower()
    found = [
        e
        for e in services().directory.entities(row["group_id"])
        if e["id"] in assigned and (search in e["code"].lower() or search in e["name"].lower())
    ]
    pagination_parameters.item_count = len(found)
    start = (pagination_parameters.page - 1) * pagination_parameters.page_size
    return found[start : start + pagination_parameters.page_size]


def _credentials(result: Credentials) -> dict[str, Any]:
    settled(result.position)
    row = owned_by_developer(result.app.id)
    until = result.app.previous_valid_until
    return {
        **portal_app(row),
        "client_secret": result.client_secret,
        "previous_secret_valid_until": until.isoformat() if until else None,
    }


@blp.route("/apps/<uuid:app_id>/verify", methods=["POST"])
@reads("app_list", "access")  # access: the new secret gets a token at once
@limiter.limit("10 per minute")
@blp.login_required
@blp.arguments(VerifySchema)
@blp.response(200, CredentialsSchema)
@no_store
def verify(body: dict[str, Any], app_id: UUID) -> dict[str, Any]:
    """Verify the app with the OTP from your admin; shows the client secret once."""
    verified = services().commands.portal.verify_app(current_actor(), app_id, body["otp"])
    return _credentials(verified)


@blp.route("/apps/<uuid:app_id>/secret", methods=["POST"])
@reads("app_list", "access")
@blp.login_required
@blp.response(200, CredentialsSchema)
@no_store
def rotate_secret(app_id: UUID) -> dict[str, Any]:
    """A new client secret, shown once; the previous one works for the grace period."""
    return _credentials(services().commands.portal.rotate_secret(current_actor(), app_id))


@blp.route("/apps/<uuid:app_id>/secret/previous", methods=["DELETE"])
@reads("access")
@blp.login_required
@blp.response(204)
def retire_previous_secret(app_id: UUID) -> None:
    """End the previous secret's grace period now."""
    settled(services().commands.portal.retire_previous_secret(current_actor(), app_id).position)


@blp.route("/apps/<uuid:app_id>/secret/revoke-now", methods=["POST"])
@reads("app_list", "access")  # access: tokens obtained with the secret fail their next call
@blp.login_required
@blp.response(200, PortalAppSchema)
@blp.alt_response(409, description="The application has no client secret")
def end_secret_now(app_id: UUID) -> dict[str, Any]:
    """End the client secret at once, with no grace (a leak), and every token obtained with
    it; generate a new one afterwards. Your group's admins are e-mailed."""
    ended = services().commands.portal.end_secrets_now(current_actor(), app_id)
    settled(ended.position)
    return portal_app(owned_by_developer(app_id))


@blp.route("/apps/<uuid:app_id>/keys", methods=["POST"])
@reads("app_list")
@blp.login_required
@blp.arguments(ClientKeySchema)
@blp.response(201, PortalAppSchema)
@blp.alt_response(409, description="Two keys are registered already, or the kid is taken")
@blp.alt_response(422, description="Not a public RSA/EC P-256 JWK; `errors` says why")
def add_key(body: dict[str, Any], app_id: UUID) -> dict[str, Any]:
    """Register a public key (JWK) for private_key_jwt (RFC 7523); at most two per app,
    so a new key can be added before the old one is deleted."""
    added = services().commands.portal.add_client_key(current_actor(), app_id, body["jwk"])
    settled(added.position)
    return portal_app(owned_by_developer(app_id))


@blp.route("/apps/<uuid:app_id>/keys/<string:kid>", methods=["DELETE"])
@reads("app_list")
@blp.login_required
@blp.response(204)
def remove_key(app_id: UUID, kid: str) -> None:
    """Delete a registered key: assertions it signs are refused from now on."""
    settled(services().commands.portal.remove_client_key(current_actor(), app_id, kid).position)


@blp.route("/apps/<uuid:app_id>/usage")
@reads("app_list")
@blp.login_required
@blp.arguments(UsageArgs, location="query")
@blp.response(200, UsageSchema)
def usage(args: dict[str, Any], app_id: UUID) -> dict[str, Any]:
    """Your app's tokens, calls, writes and refusals per UTC day (the last 30 by default)."""
    return usage_report(owned_by_developer(app_id)["id"], args.get("from_"), args.get("to"))
