"""A webhook receiver on loopback for the tests (SPEC 15): a real HTTP server that answers
each delivery as a receiver would, and keeps what arrived.

With `secret` set it checks each delivery's Standard Webhooks signature with the reference
library, as a real receiver must, and answers 400 to one that does not verify (and keeps it
out of `received`). It can fail on purpose (`fail_first`: that many 500s first), answer
slowly (`delay`), and be stopped and started again on the same port (killed mid-run)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook, WebhookVerificationError

from tests.mailbox import free_port

Request = tuple[dict[str, str], bytes]  # headers, body


@dataclass
class Receiver:
    secret: str = ""
    fail_first: int = 0
    delay: float = 0.0
    path: str = "/hooks?source=aiq"
    port: int = field(default_factory=free_port)
    received: list[Request] = field(default_factory=list)  # answered 204
    paths: list[str] = field(default_factory=list)
    attempts: int = 0
    _server: ThreadingHTTPServer | None = None
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = dict(self.headers)
                with receiver._arrived:
                    receiver.attempts += 1
                    failing = receiver.attempts <= receiver.fail_first
                time.sleep(receiver.delay)
                if failing:
                    self._answer(500)
                    return
                if receiver.secret:
                    try:
                        Webhook(receiver.secret).verify(body, headers)
                    except WebhookVerificationError:
                        self._answer(400)
                        return
                with receiver._arrived:
                    receiver.received.append((headers, body))
                    receiver.paths.append(self.path)
                    receiver._arrived.notify_all()
                self._answer(204)

            def _answer(self, status: int) -> None:
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(  # a short poll: stop() need not wait half a second
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Request]:
        """Blocks until `count` deliveries were answered 204 (bounded), then returns them."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} deliveries, got {self.received}")
                self._arrived.wait(left)
            return list(self.received)

    def events(self, count: int, timeout: float = 20.0) -> list[dict[str, Any]]:
        """The first `count` deliveries' JSON, each with its `webhook-id` as "id"."""
        return [
            {"id": _header(headers, "webhook-id"), **json.loads(body)}
            for headers, body in self.wait_for(count, timeout)
        ]


def _header(headers: dict[str, str], name: str) -> str:
    return next(value for key, value in headers.items() if key.lower() == name)
