"""Client-credentials tokens issued per second (each one an event the views must see)."""

from __future__ import annotations

from typing import Any

from bench import clients
from bench.harness import Figure, load, rate

SECONDS = 10.0
CLIENTS = 4


def run(world: dict[str, Any]) -> Figure:
    args = [
        {
            "url": world["url"],
            "client_id": world["clients"][n].client_id,
            "client_secret": world["clients"][n].client_secret,
        }
        for n in range(CLIENTS)
    ]
    return Figure(
        rate(load(clients.tokens, args, SECONDS), SECONDS), "tokens/s", note=f"{CLIENTS} clients"
    )
