"""A developer's HTTP client: the portal API and the OAuth endpoints."""

from __future__ import annotations

import re
from typing import Any

import requests

from tests.mailbox import body


def invite_token_from(message: Any) -> str:
    match = re.search(r"/portal/signup#invite=(\S+)", body(message))
    assert match, body(message)
    return match.group(1)


def code_from(message: Any) -> str:
    match = re.search(r"verification code is (\d{6})", body(message))
    assert match, body(message)
    return match.group(1)


class PortalApi:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        self.token: str | None = None

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return self.http.request(
            method, f"{self.base_url}/portal/v1{path}", headers=headers, timeout=30, **kwargs
        )

    def start_signup(self, invite_token: str) -> requests.Response:
        return self.request("POST", "/signup/start", json={"invite_token": invite_token})

    def complete_signup(
        self,
        invite_token: str,
        code: str,
        full_name: str = "Dee Veloper",
        password: str = "developer password 1",
    ) -> requests.Response:
        return self.request(
            "POST",
            "/signup/complete",
            json={
                "invite_token": invite_token,
                "code": code,
                "full_name": full_name,
                "password": password,
            },
        )

    def login(self, email: str, password: str = "developer password 1") -> requests.Response:
        response = self.request("POST", "/session", json={"email": email, "password": password})
        if response.status_code == 201:
            self.token = response.json()["token"]
        return response

    def apps(self) -> requests.Response:
        return self.request("GET", "/apps")

    def app(self, app_id: str) -> requests.Response:
        return self.request("GET", f"/apps/{app_id}")

    def entities(self, app_id: str, **params: Any) -> requests.Response:
        return self.request("GET", f"/apps/{app_id}/entities", params=params)

    def verify(self, app_id: str, otp: str) -> requests.Response:
        return self.request("POST", f"/apps/{app_id}/verify", json={"otp": otp})

    def rotate_secret(self, app_id: str) -> requests.Response:
        return self.request("POST", f"/apps/{app_id}/secret")

    def retire_previous_secret(self, app_id: str) -> requests.Response:
        return self.request("DELETE", f"/apps/{app_id}/secret/previous")


class OAuthClient:
    """A client-credentials client, as an integration would be."""

    def __init__(self, base_url: str, client_id: str, client_secret: str) -> None:
        self.base_url = base_url
        self.client_id = client_id
        self.client_secret = client_secret

    def token_basic(self, secret: str | None = None) -> requests.Response:
        return requests.post(
            f"{self.base_url}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(self.client_id, secret or self.client_secret),
            timeout=30,
        )

    def token_post(self, secret: str | None = None) -> requests.Response:
        return requests.post(
            f"{self.base_url}/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": secret or self.client_secret,
            },
            timeout=30,
        )

    def introspect(self, token: str) -> requests.Response:
        return requests.post(
            f"{self.base_url}/oauth/introspect",
            data={"token": token},
            auth=(self.client_id, self.client_secret),
            timeout=30,
        )

    def revoke(self, token: str) -> requests.Response:
        return requests.post(
            f"{self.base_url}/oauth/revoke",
            data={"token": token},
            auth=(self.client_id, self.client_secret),
            timeout=30,
        )
