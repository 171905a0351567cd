"""Provisioning an app with credentials through the real command path, and a zeep client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
import zeep
from zeep.transports import Transport

from composition.root import Services
from domain.actor import Actor
from domain.commands import CreateApp
from domain.developers import Signup
from domain.handlers.portal import developer_actor
from domain.naming import index_id

DEV_PASSWORD = "developer password 1"


@dataclass
class Provisioned:
    app_id: str
    client_id: str
    client_secret: str


def provision(
    services: Services,
    admin: Actor,
    name: str,
    entity_ids: list[str],
    permission: str = "read_write",
    developer: str = "dev@example.com",
) -> Provisioned:
    """Admin creates the app, the developer signs up (first time) and verifies it."""
    commands = services.commands
    created = commands.apps.create_app(
        admin,
        CreateApp(
            **{
                "type": "new_integration",
                "name": name,
                "description": "SOAP test app",
                "category": "accounting",
                "api_permission": permission,
                "developer_email": developer,
                "entity_ids": entity_ids,
            }
        ),
    )
    link = created.app.developer
    assert link is not None and created.otp is not None
    if link.invite_id is not None:
        invite = services.invites.token_for(link.invite_id)
        commands.portal.start_signup(invite)
        signup = services.store.repository.get(index_id("signup", developer))
        assert isinstance(signup, Signup)
        code = services.signup_codes.code_for(signup.challenge_id)
        commands.portal.complete_signup(invite, code, "Dee Veloper", DEV_PASSWORD)
    credentials = commands.portal.verify_app(
        developer_actor(developer), created.app.id, created.otp
    )
    services.wait_for_views(credentials.position)  # as the portal's route does
    return Provisioned(str(created.app.id), created.app.client_id, credentials.client_secret)


def get_token(base_url: str, client: Provisioned) -> str:
    response = requests.post(
        f"{base_url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client.client_id, client.client_secret),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


class SoapClient:
    """zeep, pointed at the running server's WSDL, as an integration would use it."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        session = requests.Session()
        if token:
            session.headers["Authorization"] = f"Bearer {token}"
        self.session = session
        self.client = zeep.Client(f"{base_url}/soap?wsdl", transport=Transport(session=session))
        header_type = self.client.get_element("{http://integrations.aiq.example/soap}AiqSoapHeader")
        self._header_type = header_type

    def use_token(self, token: str | None) -> None:
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        else:
            self.session.headers.pop("Authorization", None)

    def call(
        self, operation: str, *args: Any, entity: str | None = None, header_token: str | None = None
    ) -> Any:
        header = self._header_type(Entity=entity, AccessToken=header_token)
        return getattr(self.client.service, operation)(*args, _soapheaders=[header])
