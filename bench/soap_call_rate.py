"""Authorised GetCustomerList calls/s over HTTP, against a no-op spyne call (Ping, no auth)
on the same server with the same clients."""

from __future__ import annotations

from typing import Any

from bench import clients
from bench.harness import Figure, load, rate

SECONDS = 10.0
CLIENTS = 4


def run(world: dict[str, Any]) -> Figure:
    def args(body: str, expect: str) -> list[dict[str, Any]]:
        return [
            {
                "url": world["url"],
                "token": world["tokens"][n % len(world["tokens"])],
                "entity": "B1",
                "body": body,
                "expect": expect,
            }
            for n in range(CLIENTS)
        ]

    calls = rate(
        load(clients.soap_calls, args("<tns:GetCustomerList/>", "Success"), SECONDS), SECONDS
    )
    noop = rate(load(clients.soap_calls, args("<tns:Ping/>", "pong"), SECONDS), SECONDS)
    return Figure(calls, "calls/s", noop, note=f"{CLIENTS} clients")
