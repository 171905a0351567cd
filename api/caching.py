"""`@no_store`: responses that carry a secret (an OTP, a client secret, a token) are never cached.

Neither the browser's cache, nor its back/forward history, nor a proxy may keep such a body
(RFC 9111: no-store; `Pragma: no-cache` for HTTP/1.0 caches). The OAuth token endpoint gets the
same from Authlib (RFC 6749 5.1).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, after_this_request

F = TypeVar("F", bound=Callable[..., Any])


def _forbid_caching(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def no_store(view: F) -> F:
    """Put it right below `@blp.route`: the answer of this route is never stored."""

    @wraps(view)
    def uncached(*args: Any, **kwargs: Any) -> Any:
        after_this_request(_forbid_caching)
        return view(*args, **kwargs)

    return uncached  # type: ignore[return-value]
