"""Authorised GetCustomerList calls/s over HTTP, against a no-op spyne call (Ping, no auth)
on the same server with the same clients."""

from __future__ import annotations

from typing import Any

from bench import clients
from bench.harness import Figure, bracketed, load, rate

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

    def calls(body: str, expect: str) -> float:
        return rate(load(clients.soap_calls, args(body, expect), SECONDS), SECONDS)

    return bracketed(
        lambda: calls("<tns:GetCustomerList/>", "Success"),
        lambda: calls("<tns:Ping/>", "pong"),
        "calls/s",
        f"{CLIENTS} clients",
    )
