"""The activity log as CSV or NDJSON: streamed in chunks of about 256 KiB, whatever the number
of rows; in CSV, spreadsheet formulas neutralised."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

HEADER = ("timestamp", "event", "actor_type", "actor", "details")
COLUMNS = ("occurred_at", "event", "actor_type", "actor", "details")
# The group-wide export (SPEC 15): the same columns, and the app each line is about ("" for
# the group's own lines: users, permissions, plan).
GROUP_HEADER = ("timestamp", "app_id", "event", "actor_type", "actor", "details")
GROUP_COLUMNS = ("occurred_at", "app_id", "event", "actor_type", "actor", "details")
FLUSH_BYTES = 256 * 1024
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A leading quote makes a spreadsheet show the text instead of evaluating it."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def csv_lines(
    rows: Iterable[dict[str, Any]],
    header: tuple[str, ...] = HEADER,
    columns: tuple[str, ...] = COLUMNS,
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(row[column]) for column in columns])
        if buffer.tell() > FLUSH_BYTES:
            yield _drain(buffer)
    yield buffer.getvalue()


def ndjson_lines(
    rows: Iterable[dict[str, Any]],
    header: tuple[str, ...] = HEADER,
    columns: tuple[str, ...] = COLUMNS,
) -> Iterator[str]:
    """One JSON object per line, named as the CSV's header names its columns (no formula
    escaping: JSON readers do not evaluate cells)."""
    buffer = io.StringIO()
    for row in rows:
        record = {name: row[column] for name, column in zip(header, columns, strict=True)}
        buffer.write(json.dumps(record, ensure_ascii=False) + "\n")
        if buffer.tell() > FLUSH_BYTES:
            yield _drain(buffer)
    yield buffer.getvalue()


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
