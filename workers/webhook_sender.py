"""Delivers the webhook outbox (SPEC 15): each row POSTed, signed, until a 2xx or 24 hours.

Each endpoint is served by one task at a time, in a pool of its own size: a slow or failing
endpoint holds only its own task, never another endpoint's deliveries. A row is leased before
its attempt (claim_due), so two senders never both try it; if a sender dies mid-request the
lease runs out and the row is tried again: a receiver may then see a delivery twice, with the
same `webhook-id`, by which it de-duplicates (Standard Webhooks).
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from standardwebhooks import Webhook as Signer

from adapters.background import Background
from adapters.webhook_http import Connection, UnsafeUrl, WebhookHttp
from domain.ports import Clock
from domain.webhooks import WebhookSecrets
from projections.webhooks import WebhooksView

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5
LEASE = timedelta(seconds=60)  # longer than an attempt's time-outs
GIVE_UP_AFTER = timedelta(hours=24)
FIRST_RETRY_SECONDS = 5
MAX_RETRY_SECONDS = 3600
ENDPOINT_TASKS = 16  # endpoints served at once


def retry_delay(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s, ... doubling, at most an hour apart."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), MAX_RETRY_SECONDS))


class WebhookSender(Background):
    thread_name = "webhook-sender"

    def __init__(
        self, view: WebhooksView, http: WebhookHttp, secrets: WebhookSecrets, clock: Clock
    ) -> None:
        self.view = view
        self.http = http
        self.secrets = secrets
        self.clock = clock
        self._busy: set[str] = set()  # endpoints with a task running
        self._busy_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(ENDPOINT_TASKS, thread_name_prefix="webhook")
        super().__init__()

    def stop(self) -> None:
        super().stop()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                if not self.send_due():
                    self._stopping.wait(POLL_SECONDS)
            except Exception:
                log.exception("webhook delivery loop failed; retrying")
                self._stopping.wait(POLL_SECONDS * 4)

    def send_due(self) -> int:
        """Hands each endpoint's due rows to a task of its own; returns how many rows."""
        now = self.clock.now()
        with self._busy_lock:
            busy = sorted(self._busy)
        rows = self.view.claim_due(now, now + LEASE, busy)
        by_endpoint: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            by_endpoint.setdefault(row["webhook_id"], []).append(row)
        for endpoint_id, due in by_endpoint.items():
            with self._busy_lock:
                self._busy.add(endpoint_id)
            self._pool.submit(self._serve, endpoint_id, due)
        return len(rows)

    def _serve(self, endpoint_id: str, rows: list[dict[str, Any]]) -> None:
        """This endpoint's rows, then any more that are due, on one kept-alive connection,
        until none is left: the endpoint's task, which no other endpoint waits for."""
        try:
            endpoint = self.view.endpoint(endpoint_id)
            if endpoint is None or not endpoint["active"]:
                for row in rows:
                    self.view.failed(row["id"], None, "the webhook was deleted or disabled", None)
                return
            try:
                connection = self.http.open(endpoint["url"])
            except UnsafeUrl as error:
                for row in rows:
                    self._failed(row, None, f"refused: {error}")
                return
            with connection:
                while rows and not self._stopping.is_set():
                    done: list[tuple[str, int]] = []
                    try:
                        for row in rows:
                            if self._stopping.is_set():
                                return  # the lease runs out: another sender sends the rest
                            status = self.deliver(row, endpoint, connection)
                            if status is not None:
                                done.append((row["id"], status))
                    finally:
                        # One write for the batch: a crash before it only sends these again
                        # (same webhook-id), which receivers are told to expect anyway.
                        self.view.delivered(done, self.clock.now())
                    now = self.clock.now()
                    rows = self.view.claim_due(now, now + LEASE, [], only=endpoint_id)
        except Exception:
            log.exception("webhook deliveries to endpoint %s failed", endpoint_id)
        finally:
            with self._busy_lock:
                self._busy.discard(endpoint_id)

    def deliver(
        self, row: dict[str, Any], endpoint: dict[str, Any], connection: Connection
    ) -> int | None:
        """The HTTP status of a delivered row; None when it failed (and was rescheduled)."""
        secret = self.secrets.secret_for(endpoint["id"], endpoint["secret_nonce"])
        body = row["payload"].encode()
        sent_at = datetime.now(UTC)  # the receiver checks it against its own clock
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "AIQ-Integrations-Webhooks/1",
            "webhook-id": row["id"],
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": Signer(secret).sign(row["id"], sent_at, body),
        }
        outcome = connection.post(body, headers)
        if outcome.status is not None and not outcome.error:
            return outcome.status
        self._failed(row, outcome.status, outcome.error)
        return None

    def _failed(self, row: dict[str, Any], status: int | None, error: str) -> None:
        now = self.clock.now()
        retry_at = now + retry_delay(int(row["attempts"]))
        created = datetime.fromisoformat(row["created_at"])
        gave_up = retry_at - created > GIVE_UP_AFTER
        error += "; gave up after 24 h" if gave_up else ""
        self.view.failed(row["id"], status, error, None if gave_up else retry_at)
        log.warning("webhook %s to endpoint %s failed: %s", row["id"], row["webhook_id"], error)
