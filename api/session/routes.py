"""Admin sessions: log in for a bearer token, log out to end it."""

from __future__ import annotations

from typing import Any

from api.auth import ApiBlueprint, bearer_token, current_actor
from api.directory.schemas import UserSchema
from api.limits import address_and_email, limiter
from api.services import services
from api.session.schemas import LoginSchema, SessionSchema

blp = ApiBlueprint("session", __name__, url_prefix="/api/v1/session", description="Log in/out")


@blp.route("", methods=["POST"])
@limiter.limit("10 per minute", key_func=address_and_email)
@limiter.limit("100 per minute")
@blp.arguments(LoginSchema)
@blp.response(201, SessionSchema)
@blp.alt_response(401, description="Wrong e-mail or password")
@blp.alt_response(429, description="Too many attempts; see Retry-After")
def login(body: dict[str, Any]) -> dict[str, Any]:
    """Log in with e-mail and password; returns a bearer session token."""
    session = services().app.login(body["email"], body["password"])
    user = services().directory.user(str(session.user.id))
    return {"token": session.token, "expires_at": session.expires_at, "user": user}


@blp.route("", methods=["GET"])
@blp.login_required
@blp.response(200, UserSchema)
def whoami() -> dict[str, Any] | None:
    """Who this session belongs to, with their role and permissions as they are now."""
    return services().directory.user(str(current_actor().id))


@blp.route("", methods=["DELETE"])
@blp.login_required
@blp.response(204)
def logout() -> None:
    """End this session: the token stops working at once."""
    services().app.logout(current_actor(), bearer_token())
