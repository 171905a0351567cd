"""Authorised GetCustomerList calls/s over HTTP, against a no-op spyne call (Ping, no auth)
on the same server with the same clients."""

from __future__ import annotations

from typing import Any

from bench import clients
from bench.harness import Figure, Measure, Watch, bracketed, load, rate

SECONDS = 10.0
CLIENTS = 4


def measures(world: dict[str, Any]) -> tuple[Measure, Measure]:
    """The figure's load and its baseline's."""

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

    def calls(body: str, expect: str) -> Measure:
        def measure(watch: Watch = None) -> float:
            return rate(load(clients.soap_calls, args(body, expect), SECONDS, watch), SECONDS)

        return measure

    return calls("<tns:GetCustomerList/>", "Success"), calls("<tns:Ping/>", "pong")


def run(world: dict[str, Any]) -> Figure:
    return bracketed(*measures(world), "calls/s", f"{CLIENTS} clients")
