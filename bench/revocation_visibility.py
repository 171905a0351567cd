"""Time from the revoke call's 2xx to the first rejected SOAP call, with a client calling
as fast as it can; any call sent after the 2xx that still succeeded counts as failed-open."""

from __future__ import annotations

import multiprocessing
import time
from typing import Any

import requests

from bench import clients
from bench.harness import Figure

ROUNDS = 5


def run(world: dict[str, Any]) -> Figure:
    admin = requests.Session()
    token = admin.post(f"{world['url']}/api/v1/session", json=world["login"], timeout=30)
    admin.headers["Authorization"] = f"Bearer {token.json()['token']}"
    delays, failed_open = [], 0
    context = multiprocessing.get_context("spawn")
    for n in range(ROUNDS):
        client = world["clients"][n]
        start = time.time() + 3
        arg = {"url": world["url"], "token": world["tokens"][n], "entity": "B1"}
        with context.Pool(1) as pool:
            pending = pool.apply_async(clients.poll_until_refused, (arg, start, start + 30))
            time.sleep(max(0.0, start - time.time()) + 1.0)
            response = admin.post(
                f"{world['url']}/api/v1/integration-applications/{client.app_id}/revoke",
                json={"confirm": True},
                timeout=30,
            )
            returned = time.time()
            assert response.status_code == 200, response.text
            calls = pending.get(timeout=60)["calls"]
        refused_at = next(received for _, received, refused in calls if refused)
        delays.append(max(0.0, refused_at - returned) * 1000)
        failed_open += sum(1 for sent, _, refused in calls if sent > returned and not refused)
    return Figure(max(delays), "ms", note=f"max of {ROUNDS}; failed-open calls: {failed_open}")
