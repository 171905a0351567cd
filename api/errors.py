"""Every error becomes `{code, status, message, errors}`: mapped here, and only here."""

from __future__ import annotations

import logging
from typing import Any

import marshmallow as ma
from flask import Flask, Response, jsonify, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from domain.errors import (
    AuthenticationError,
    ConflictError,
    DomainError,
    GoneError,
    NotFoundError,
    PermissionDeniedError,
    PlanRequiredError,
    StaleVersionError,
    ValidationError,
)

log = logging.getLogger(__name__)

STATUS_OF: dict[type[DomainError], int] = {
    AuthenticationError: 401,
    PermissionDeniedError: 403,
    NotFoundError: 404,
    ConflictError: 409,
    GoneError: 410,
    StaleVersionError: 412,
    ValidationError: 422,
}
CODE_OF_STATUS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


def error_body(
    status: int, message: str, errors: dict[str, Any] | None = None, code: str | None = None
) -> dict[str, Any]:
    return {
        "code": code or CODE_OF_STATUS.get(status, "error"),
        "status": status,
        "message": message,
        "errors": errors or {},
    }


def _flatten(messages: dict[str, Any]) -> dict[str, Any]:
    """webargs nests errors by location ({"json": {"name": [...]}}); callers want the field."""
    flat: dict[str, Any] = {}
    for location_errors in messages.values():
        if isinstance(location_errors, dict):
            flat.update(location_errors)
    return flat


def _respond(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    response = jsonify(body)
    response.status_code = body["status"]
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


class ErrorSchema(ma.Schema):
    """The error body as sent (documentation only: flask-smorest's own says `code` is a number)."""

    code = ma.fields.String(metadata={"description": "machine-readable, e.g. validation_failed"})
    status = ma.fields.Integer(metadata={"description": "the HTTP status"})
    message = ma.fields.String()
    errors = ma.fields.Dict(
        keys=ma.fields.String(), metadata={"description": "field name -> its messages"}
    )


class JsonErrorsApi(Api):  # type: ignore[misc]
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException) -> Response:
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        errors = _flatten(data.get("messages", {})) if "messages" in data else data.get("errors")
        message = data.get("message") or error.description or error.name
        if errors and status == 422:
            message = "invalid " + ", ".join(sorted(errors))
        headers = dict(data.get("headers") or {})
        if status == 400 and not errors and request.is_json:
            message = "the request body is not valid JSON"
        # werkzeug's TooManyRequests has retry_after None unless set: "Retry-After: None"
        # would make flask-limiter's header injection raise (a 500 instead of the 429).
        retry_after = getattr(error, "retry_after", None)
        if status == 429 and retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        return _respond(error_body(status, str(message), errors), headers)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(error: DomainError) -> Response:
        status = next((STATUS_OF[k] for k in type(error).__mro__ if k in STATUS_OF), 400)
        errors = {error.field: [error.message]} if error.field else {}
        # A refusal with a code of its own says so (403 plan_required); others by status.
        code = error.code if isinstance(error, PlanRequiredError) else None
        return _respond(error_body(status, error.message, errors, code))

    @app.errorhandler(TimeoutError)
    def _behind(error: TimeoutError) -> Response:
        # The change is saved; the read models did not catch up in time (worker down?).
        log.error("read models behind: %s", error)
        return _respond(error_body(503, "saved, but the read models are behind; retry the read"))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        if isinstance(error, HTTPException):
            raise error
        log.exception("unhandled error")
        return _respond(error_body(500, "internal error; it has been logged"))
