"""Read-your-writes at the edge: each route waits for exactly the views its response reads.

Commands record events and return their position without waiting for any read model. A
route marked `@reads("app_list")` then waits:
- after its command, for the views it names to reach that position (`settled(position)`),
  before it reads them for its response;
- on GET, for the views it names to reach the newest event recorded when the request came
  in, so whatever any client was told had happened (a 2xx) is in what it reads next, from
  any process.
A route that reads no view (or only the event store) waits for nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, request

from api.services import services

SAFE_METHODS = frozenset({"GET", "HEAD"})


def reads(*views: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(route: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(route)
        def waiting(*args: Any, **kwargs: Any) -> Any:
            g.views_read = views
            if request.method in SAFE_METHODS:
                services().wait_until_current(*views)
            return route(*args, **kwargs)

        return waiting

    return decorate


def settled(position: int) -> None:
    """After a command: wait until the views this route reads have its events."""
    views: tuple[str, ...] = g.get("views_read", ())
    if position and views:
        services().wait_for_views(position, *views)
