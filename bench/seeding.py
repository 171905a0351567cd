"""Bench data made through the real command path: the group's admin as an actor, and apps
with credentials for the load-generating clients."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from composition.root import Services
from domain.actor import Actor
from domain.commands import CreateApp
from domain.developers import Signup
from domain.handlers.portal import developer_actor
from domain.naming import index_id

DEV_PASSWORD = "bench developer password"


@dataclass(frozen=True)
class Client:
    app_id: str
    client_id: str
    client_secret: str


def admin_actor(ids: Mapping[str, Any], email: str) -> Actor:
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
    commands = services.commands
    created = commands.apps.create_app(
        admin,
        CreateApp(
            type="new_integration",
            name=name,
            description="bench client app",
            category="accounting",
            api_permission="read_write",
            developer_email=developer,
            entity_ids=entity_ids,
        ),
    )
    link = created.app.developer
    if link is None or link.invite_id is None or created.otp is None:
        raise RuntimeError(f"{developer} must be new to the portal and get an invite")
    invite = services.invites.token_for(link.invite_id)
    commands.portal.start_signup(invite)
    signup: object = services.store.repository.get(index_id("signup", developer))
    assert isinstance(signup, Signup)
    code = services.signup_codes.code_for(signup.challenge_id)
    commands.portal.complete_signup(invite, code, "Bench Developer", DEV_PASSWORD)
    developer_as_actor = developer_actor(developer)
    credentials = commands.portal.verify_app(developer_as_actor, created.app.id, created.otp)
    services.wait_for_views(credentials.position)  # SOAP calls read the access view
    return Client(str(created.app.id), created.app.client_id, credentials.client_secret)
