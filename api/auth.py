"""Bearer sessions for admins: who is calling, and the decorators that require it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from flask import g, request
from flask_smorest import Blueprint

from api.services import services
from domain.actor import Actor
from domain.credentials import token_digest
from domain.errors import AuthenticationError, PlanRequiredError
from domain.groups import INTEGRATIONS_PLAN
from projections.view import iso


def bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or len(token) > 512:
        raise AuthenticationError("log in first: send Authorization: Bearer <session token>")
    return token.strip()


def current_actor() -> Actor:
    actor: Actor = g.actor
    return actor


def authenticate_admin() -> Actor:
    svc = services()
    user = svc.directory.session_user(token_digest(bearer_token()), iso(svc.clock.now()) or "")
    if user is None:
        raise AuthenticationError("the session is invalid or has expired; log in again")
    g.group_plan = user.get("group_plan") or INTEGRATIONS_PLAN
    return admin_actor(user)


def require_integrations_plan() -> None:
    """SPEC 11: apps and the ecosystem are for AIQ3 groups; others are told whom to ask."""
    if g.get("group_plan", INTEGRATIONS_PLAN) != INTEGRATIONS_PLAN:
        sales = services().settings.sales_email
        raise PlanRequiredError(
            "Integration Applications are available on the AIQ3 plan only; to upgrade,"
            f" contact {sales}"
        )


def admin_actor(user: dict[str, Any]) -> Actor:
    """The actor a user row of the directory view stands for."""
    return Actor(
        type="admin",
        id=user["id"],
        name=user["email"],
        group_id=UUID(user["group_id"]),
        role=user["role"],
        permissions=frozenset(user["permissions"]),
    )


def authenticate_developer() -> Actor:
    svc = services()
    account = svc.portal.session_account(token_digest(bearer_token()), iso(svc.clock.now()) or "")
    if account is None:
        raise AuthenticationError("the session is invalid or has expired; log in again")
    return Actor(type="developer", id=account["email"], name=account["email"])


def authenticate_staff() -> Actor:
    """The vendor's team (SPEC 11): sessions of their own, unknown to the groups' and the
    portal's APIs, as those are to this one."""
    svc = services()
    staff = svc.team.session_staff(token_digest(bearer_token()), iso(svc.clock.now()) or "")
    if staff is None:
        raise AuthenticationError("the session is invalid or has expired; log in again")
    return Actor(type="staff", id=staff["id"], name=staff["email"])


class ApiBlueprint(Blueprint):  # type: ignore[misc]
    """A blueprint whose `login_required` also documents bearer auth, 401 and 403."""

    authenticate: Callable[[], Actor] = staticmethod(authenticate_admin)

    def arguments(self, schema: Any, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        # Given a class, webargs builds a new schema (deep-copying every field) for every
        # request; one instance per route is the same schema, built once.
        instance = schema() if isinstance(schema, type) else schema
        return super().arguments(instance, *args, **kwargs)  # type: ignore[no-any-return]

    def login_required(self, func: Callable[..., Any]) -> Callable[..., Any]:
        authenticate = self.authenticate

        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            g.actor = authenticate()
            return func(*args, **kwargs)

        documented = self.doc(security=[{"bearerAuth": []}])(wrapper)
        documented = self.alt_response(401, description="Not logged in or session expired")(
            documented
        )
        return self.alt_response(403, description="Lacks the permission")(documented)


class PlanGatedBlueprint(ApiBlueprint):
    """An admin blueprint for AIQ3 groups only: others get 403 `plan_required`."""

    @staticmethod
    def authenticate() -> Actor:
        actor = authenticate_admin()
        require_integrations_plan()
        return actor
