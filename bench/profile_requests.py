"""Where a token request's, a SOAP call's or an admin command's time goes:
`python -m bench.profile_requests token|soap|commands` (cProfile, in-process through Flask's
test client, a worker's projections in a thread). Not part of `make bench`; the HTTP
server's own cost is not in it."""

from __future__ import annotations

import base64
import cProfile
import os
import sys

from api.app import create_app
from bench.profiling import ADMIN_EMAIL, ADMIN_PASSWORD, profiled_group, report
from bench.seeding import client_app

REQUESTS = int(os.environ.get("PROFILE_REQUESTS", "2000"))
SOAP_BODY = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:tns="http://integrations.aiq.example/soap"><soapenv:Header><tns:AiqSoapHeader>'
    "<tns:Entity>P1</tns:Entity></tns:AiqSoapHeader></soapenv:Header><soapenv:Body>"
    "<tns:{operation}/></soapenv:Body></soapenv:Envelope>"
)


def main() -> int:
    what = sys.argv[1] if len(sys.argv) > 1 else "token"
    with profiled_group() as (services, ids, admin):
        client = client_app(
            services, admin, "Profiled", list(ids["entities"].values()), "d@bench.example"
        )
        http = create_app(services).test_client()
        basic = base64.b64encode(f"{client.client_id}:{client.client_secret}".encode())
        token_headers = {"Authorization": f"Basic {basic.decode()}"}
        form = {"grant_type": "client_credentials"}
        token = http.post("/oauth/token", data=form, headers=token_headers).json
        assert token is not None, "no token"
        soap_headers = {
            "Authorization": f"Bearer {token['access_token']}",
            "Content-Type": "text/xml; charset=utf-8",
        }

        login = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        session = http.post("/api/v1/session", json=login).json
        assert session is not None, "no session"
        admin_headers = {"Authorization": f"Bearer {session['token']}"}
        created = [0]

        def one() -> None:
            if what == "commands":  # a create and an edit, as command_throughput does
                created[0] += 1
                fields = {
                    "type": "new_integration",
                    "name": f"Profiled {created[0]}",
                    "description": "d",
                    "category": "crm",
                    "api_permission": "read",
                    "developer_email": "dev@bench.example",
                    "entity_ids": list(ids["entities"].values()),
                }
                path = "/api/v1/integration-applications"
                app = http.post(path, json=fields, headers=admin_headers)
                assert app.status_code == 201 and app.json is not None, app.data
                answer = http.patch(
                    f"{path}/{app.json['id']}", json={"description": "e"}, headers=admin_headers
                )
            elif what == "token":
                answer = http.post("/oauth/token", data=form, headers=token_headers)
            else:
                envelope = SOAP_BODY.format(operation="GetCustomerList")
                answer = http.post("/soap", data=envelope, headers=soap_headers)
            assert answer.status_code == 200, answer.data

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(REQUESTS):
            one()
        profiler.disable()
    report(profiler, 40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
