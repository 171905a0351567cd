"""Retrying a command that is safe to repeat when it lost a race on one aggregate."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from domain.errors import ConcurrentChangeError

F = TypeVar("F", bound=Callable[..., Any])


def retried_on_conflict(attempts: int = 5) -> Callable[[F], F]:
    """For commands that are safe to repeat: a lost race is retried on fresh state.

    Logins, for instance, append to the user's aggregate; two at once must both succeed.
    """

    def decorate(command: F) -> F:
        @wraps(command)
        def retrying(*args: Any, **kwargs: Any) -> Any:
            for attempt in range(attempts):
                try:
                    return command(*args, **kwargs)
                except ConcurrentChangeError:
                    if attempt == attempts - 1:
                        raise
            raise AssertionError("unreachable")

        return retrying  # type: ignore[return-value]

    return decorate
