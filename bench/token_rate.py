"""Client-credentials tokens issued per second (each one durably recorded), against a no-op
POST on the same server that parses the same Basic header and form and answers JSON."""

from __future__ import annotations

from typing import Any

from bench import clients
from bench.harness import Figure, Measure, Watch, bracketed, load, rate
from bench.server_app import NO_OP_TOKEN_PATH

SECONDS = 10.0
CLIENTS = 4


def measures(world: dict[str, Any]) -> tuple[Measure, Measure]:
    """The figure's load and its baseline's."""

    def args(path: str) -> list[dict[str, Any]]:
        return [
            {
                "url": world["url"],
                "path": path,
                "client_id": world["clients"][n].client_id,
                "client_secret": world["clients"][n].client_secret,
            }
            for n in range(CLIENTS)
        ]

    def tokens(path: str) -> Measure:
        def measure(watch: Watch = None) -> float:
            return rate(load(clients.tokens, args(path), SECONDS, watch), SECONDS)

        return measure

    return tokens("/oauth/token"), tokens(NO_OP_TOKEN_PATH)


def run(world: dict[str, Any]) -> Figure:
    return bracketed(*measures(world), "tokens/s", f"{CLIENTS} clients")
