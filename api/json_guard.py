"""JSON bodies are screened once, before anything parses them for real.

Python's json parses `[[[[...` 50,000 deep into a RecursionError (a 500) and turns the
escape "\\ud800" into a lone surrogate that PostgreSQL, SQLite and mail all choke on. Both
are refused here, naming where they are, so nothing downstream ever sees them.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, request

from api.errors import error_body

MAX_JSON_DEPTH = 64


def _refusal(status: int, message: str, errors: dict[str, Any] | None = None) -> Response:
    response = jsonify(error_body(status, message, errors))
    response.status_code = status
    return response


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


DEEP = f"the JSON body is nested deeper than {MAX_JSON_DEPTH} levels"
SURROGATE = "contains an unpaired surrogate (\\ud800-\\udfff)"


def _problem(document: Any) -> tuple[str, str] | None:
    """(field path, problem) for the first thing refused, walking without recursion; the
    path is "" for the body as a whole."""
    stack: list[tuple[Any, str, int]] = [(document, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            if _has_surrogate(value):
                return path, SURROGATE
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            return "", DEEP
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str) and _has_surrogate(key):
                return path, f"a key {SURROGATE}"
            stack.append((item, f"{path}.{key}" if path else str(key), depth + 1))
    return None


def refuse_hostile_json(app: Flask) -> None:
    """Registers the screen; call it before anything else that may read a JSON body."""

    @app.before_request
    def _screen_json() -> Response | None:
        if not request.is_json:
            return None
        try:
            # Parsed once and cached: the limiter's keys and the routes read this same result.
            document = request.get_json(silent=True)
        except RecursionError:
            return _refusal(400, DEEP)
        if document is None:
            return None  # empty or not JSON: the endpoint's own parsing says so
        problem = _problem(document)
        if problem is None:
            return None
        field, message = problem
        if not field:
            return _refusal(400, message if message == DEEP else f"the JSON body {message}")
        return _refusal(422, f"invalid {field}", {field: [message]})
