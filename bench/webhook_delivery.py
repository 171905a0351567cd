"""Webhook deliveries/s to a local receiver (SPEC 15's `webhook_delivery_rate`).

Events for one endpoint are recorded first (access tokens issued to one app, each a
`token.issued` delivery), then the worker's sender is started and timed until the receiver
has them all. Baseline: the same number of signed POSTs of the same size sent back to back
from one thread to the same receiver, with no outbox: what the HTTP round trip alone allows.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from uuid import UUID

import urllib3
from standardwebhooks import Webhook as Signer

from bench.harness import SECRET, Figure, bracketed, env_for
from bench.seeding import admin_actor, client_app
from composition.root import build_services
from config.settings import Settings
from entrypoints.cli import bootstrap_group

EVENTS = 2000


class _Receiver:
    def __init__(self) -> None:
        self.count = 0
        self.done = threading.Event()
        self.expected = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()
                receiver.count += 1
                if receiver.count >= receiver.expected:
                    receiver.done.set()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def expect(self, n: int) -> None:
        self.count, self.expected = 0, n
        self.done.clear()


def run(database_url: str) -> Figure:
    env = {**env_for(database_url), "WEBHOOK_ALLOW_LOOPBACK": "true", "SECRET_KEY": SECRET}
    services = build_services(Settings.from_env(env))
    receiver = _Receiver()
    try:
        services.start_projections()
        ids = bootstrap_group(
            services, "Hooks", [("H1", "Hooks Ltd")], "h@h.example", "bench password 1"
        )
        admin = admin_actor(ids, "h@h.example")
        client = client_app(services, admin, "Hooked", [ids["entities"]["H1"]], "d@h.example")
        made = services.commands.webhooks.create(admin, receiver.url, ["token.issued"], "bench")
        app = services.commands.oauth.client_app(UUID(client.app_id))
        assert app is not None
        for _ in range(EVENTS):
            services.commands.oauth.issue_access_token(app)
        services.wait_for_views(services.store.head(), "webhooks")

        def deliveries() -> float:
            receiver.expect(EVENTS)
            started = time.perf_counter()
            services.start_webhooks()
            if not receiver.done.wait(300):
                raise RuntimeError(f"only {receiver.count} of {EVENTS} deliveries arrived")
            return EVENTS / (time.perf_counter() - started)

        return bracketed(
            deliveries,
            lambda: _raw_posts(receiver, made.secret or ""),
            "deliveries/s",
            f"{EVENTS} events, one endpoint",
        )
    finally:
        services.close()
        receiver.server.shutdown()


def _raw_posts(receiver: _Receiver, secret: str) -> float:
    body = b'{"type":"token.issued","timestamp":"2030-01-01T00:00:00+00:00","data":{}}'
    pool = urllib3.HTTPConnectionPool("127.0.0.1", receiver.server.server_port)
    receiver.expect(EVENTS)
    started = time.perf_counter()
    for n in range(EVENTS):
        now = datetime.now(UTC)
        signature = Signer(secret).sign(f"msg_{n}", now, body)
        pool.urlopen("POST", "/hook", body=body, headers={"webhook-signature": signature})
    return EVENTS / (time.perf_counter() - started)
