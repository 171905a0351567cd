"""An HTTP client that speaks the admin API in the domain's words."""

from __future__ import annotations

from typing import Any

import requests

PASSWORD = "correct horse battery"


class AdminApi:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        self.token: str | None = None

    def url(self, path: str) -> str:
        return f"{self.base_url}/api/v1{path}"

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.token and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {self.token}"
        return self.http.request(method, self.url(path), headers=headers, timeout=30, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def login(self, email: str, password: str = PASSWORD) -> AdminApi:
        response = self.post("/session", json={"email": email, "password": password})
        assert response.status_code == 201, response.text
        self.token = response.json()["token"]
        return self

    # -- integration applications ------------------------------------------------------------
    def create_app(self, **fields: Any) -> requests.Response:
        return self.post("/integration-applications", json=fields)

    def app(self, app_id: str) -> requests.Response:
        return self.get(f"/integration-applications/{app_id}")

    def list_apps(self, **params: Any) -> requests.Response:
        return self.get("/integration-applications", params=params)

    def edit_app(
        self, app_id: str, headers: dict[str, str] | None = None, **changes: Any
    ) -> requests.Response:
        return self.patch(f"/integration-applications/{app_id}", json=changes, headers=headers)

    def revoke_app(self, app_id: str, confirm: Any = True) -> requests.Response:
        return self.post(f"/integration-applications/{app_id}/revoke", json={"confirm": confirm})

    def developer(self, app_id: str) -> requests.Response:
        return self.get(f"/integration-applications/{app_id}/developer")

    def register_developer(self, app_id: str, email: str) -> requests.Response:
        return self.put(f"/integration-applications/{app_id}/developer", json={"email": email})

    def revoke_developer(self, app_id: str) -> requests.Response:
        return self.delete(f"/integration-applications/{app_id}/developer")

    def resend_invite(self, app_id: str) -> requests.Response:
        return self.post(f"/integration-applications/{app_id}/developer/resend-invite")

    def reset_otp(self, app_id: str) -> requests.Response:
        return self.post(f"/integration-applications/{app_id}/developer/reset-otp")

    def activity_csv(self, app_id: str) -> requests.Response:
        return self.get(f"/integration-applications/{app_id}/activity-log.csv")

    def history(self, app_id: str, as_of: str | None = None) -> requests.Response:
        params = {"as_of": as_of} if as_of else None
        return self.get(f"/integration-applications/{app_id}/history", params=params)


class TeamApi(AdminApi):
    """The vendor's team's API (/team/v1), with a staff session."""

    def url(self, path: str) -> str:
        return f"{self.base_url}/team/v1{path}"
