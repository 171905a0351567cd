"""Schemas shared by several blueprints."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from domain.naming import has_control_characters


def printable(value: str) -> None:
    """Control characters (NUL above all, which PostgreSQL text cannot hold) are refused."""
    if has_control_characters(value):
        raise ma.ValidationError("control characters are not allowed")


class StrictSchema(ma.Schema):
    """Unknown fields are an error, never silently ignored."""

    class Meta:
        unknown = ma.RAISE


def text(required: bool = False, limit: int = 10000, **kwargs: Any) -> ma.fields.String:
    """A string with an upper bound, so an oversized value is a 422, not work for us."""
    return ma.fields.String(
        required=required, validate=[ma.validate.Length(max=limit), printable], **kwargs
    )


def strict_bool(**kwargs: Any) -> ma.fields.Boolean:
    """JSON true/false only: "yes" or 1 is not an acknowledgement."""
    return ma.fields.Boolean(truthy={True}, falsy={False}, **kwargs)
