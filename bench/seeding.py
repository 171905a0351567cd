"""Bench data made through the real command path: the group's admin as an actor, and apps
with credentials for the load-generating clients."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.actor import Actor
from domain.developers import Signup
from domain.naming import index_id
from domain.usecases.portal import developer_actor
from workers.composition import Services

DEV_PASSWORD = "bench developer password"


@dataclass(frozen=True)
class Client:
    app_id: str
    client_id: str
    client_secret: str


def admin_actor(ids: dict[str, Any], email: str) -> Actor:
    """The practice admin that `bootstrap_group` created, as the actor of its commands."""
    return Actor(
        type="admin",
        id=str(ids["admin_id"]),
        name=email,
        group_id=UUID(str(ids["group_id"])),
        role="practice_admin",
    )


def client_app(
    services: Services, admin: Actor, name: str, entity_ids: list[str], developer: str
) -> Client:
    """The admin creates an app for a developer new to the portal, who signs up from the
    invite and verifies the app. The invite token and sign-up code are the ones the mails
    carry, derived from the secret key as the mail renderer derives them."""
    app = services.app
    created = app.create_app(
        admin,
        {
            "type": "new_integration",
            "name": name,
            "description": "bench client app",
            "category": "accounting",
            "api_permission": "read_write",
            "developer_email": developer,
            "entity_ids": entity_ids,
        },
    )
    link = created.app.developer
    if link is None or link.invite_id is None or created.otp is None:
        raise RuntimeError(f"{developer} must be new to the portal and get an invite")
    invite = app.invites.token_for(link.invite_id)
    app.start_signup(invite)
    signup: object = app.repository.get(index_id("signup", developer))
    assert isinstance(signup, Signup)
    code = app.signup_codes.code_for(signup.challenge_id)
    app.complete_signup(invite, code, "Bench Developer", DEV_PASSWORD)
    credentials = app.verify_app(developer_actor(developer), created.app.id, created.otp)
    return Client(str(created.app.id), created.app.client_id, credentials.client_secret)
