"""Admin sessions: log in for a bearer token, log out to end it."""

from __future__ import annotations

from typing import Any

from api.auth import ApiBlueprint, admin_actor, bearer_token, current_actor
from api.caching import no_store
from api.consistency import reads, settled
from api.limits import ACCOUNT_GUESSES, account_email, address_and_email, limiter, refused
from api.services import services
from api.session.schemas import LoginSchema, SessionSchema, SignedInUserSchema
from domain.errors import AuthenticationError

blp = ApiBlueprint("session", __name__, url_prefix="/api/v1/session", description="Log in/out")


@blp.route("", methods=["POST"])
@reads("directory")  # every request authenticates against the directory view
@limiter.limit("10 per minute", key_func=address_and_email)
@limiter.limit("100 per minute")
@limiter.limit(ACCOUNT_GUESSES, key_func=account_email, deduct_when=refused)
@blp.arguments(LoginSchema)
@blp.response(201, SessionSchema)
@blp.alt_response(401, description="Wrong e-mail or password")
@blp.alt_response(429, description="Too many attempts; see Retry-After")
@no_store
def login(body: dict[str, Any]) -> dict[str, Any]:
    """Log in with e-mail and password; returns a bearer session token."""
    session = services().commands.directory.login(body["email"], body["password"])
    settled(session.position)
    user = _signed_in(str(session.user.id))
    return {"token": session.token, "expires_at": session.expires_at, "user": user}


@blp.route("", methods=["GET"])
@reads("directory")
@blp.login_required
@blp.response(200, SignedInUserSchema)
def whoami() -> dict[str, Any]:
    """Who this session belongs to: role, permissions and what they allow, as they are now."""
    return _signed_in(str(current_actor().id))


def _signed_in(user_id: str) -> dict[str, Any]:
    user = services().directory.user(user_id)
    if user is None:  # the views always have a live session's user; never a 500 regardless
        raise AuthenticationError("the session is invalid or has expired; log in again")
    return {**user, "can": admin_actor(user).capabilities()}


@blp.route("", methods=["DELETE"])
@reads("directory")  # the token stops working at once, in every process
@blp.login_required
@blp.response(204)
def logout() -> None:
    """End this session: the token stops working at once."""
    settled(services().commands.directory.logout(current_actor(), bearer_token()))
