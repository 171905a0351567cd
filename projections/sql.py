"""One SQL surface over eventsourcing's SQLite and PostgreSQL datastores.

Views share the event store's connection pool. Their SQL is written once with `?`
placeholders and portable types; only the placeholder style differs between the two.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

Dialect = Literal["sqlite", "postgres"]
_QMARK = re.compile(r"\?")
# Fewer rows than this are inserted by statement, more by COPY (see SqlCursor.insert_many).
COPY_FROM = 32


class SqlCursor:
    def __init__(self, cursor: Any, dialect: Dialect) -> None:
        self._cursor = cursor
        self._dialect = dialect

    @property
    def dialect(self) -> Dialect:
        return self._dialect

    def execute(self, sql: str, params: Sequence[Any] = ()) -> SqlCursor:
        if self._dialect == "postgres":
            sql = _QMARK.sub("%s", sql)
        self._cursor.execute(sql, tuple(params))
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement for many rows: the driver prepares it once (PostgreSQL: pipelined)."""
        if self._dialect == "postgres":
            sql = _QMARK.sub("%s", sql)
        self._cursor.executemany(sql, [tuple(row) for row in rows])

    def insert_many(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """New rows (none may be there already). Many at once (a rebuild's batch) go to
        PostgreSQL by COPY: one stream the server parses with no statement per row, at a
        fraction of `executemany`'s client work per row. A few (a live batch) go by
        `executemany`, pipelined in one round trip, where COPY would take two."""
        if not rows:
            return
        if self._dialect == "postgres" and len(rows) >= COPY_FROM:
            with self._cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join("?" for _ in columns)
        self.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    @contextmanager
    def pipelined(self) -> Iterator[None]:
        """On PostgreSQL, statements are sent without waiting for each reply (a read syncs);
        SQLite runs in-process and needs nothing."""
        if self._dialect == "postgres":
            with self._cursor.connection.pipeline():
                yield
        else:
            yield

    def fetchall(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._cursor.fetchall()]

    def fetchone(self) -> dict[str, Any] | None:
        row = self._cursor.fetchone()
        return None if row is None else dict(row)

    def scalar(self) -> Any:
        row = self._cursor.fetchone()
        return None if row is None else next(iter(dict(row).values()))


class SqlDatabase:
    def __init__(self, datastore: Any, dialect: Dialect) -> None:
        self.datastore = datastore
        self.dialect = dialect

    @contextmanager
    def transaction(self) -> Iterator[SqlCursor]:
        """A read-write transaction: committed at the end, rolled back on any error."""
        with self.datastore.transaction(commit=True) as cursor:
            yield SqlCursor(cursor, self.dialect)

    @contextmanager
    def reading(self) -> Iterator[SqlCursor]:
        """For reads. On PostgreSQL the pooled connections are in autocommit mode, so a read
        needs no BEGIN/ROLLBACK around it: one round trip per statement instead of three."""
        if self.dialect == "postgres":
            with self.datastore.get_connection() as connection:
                yield SqlCursor(connection.cursor(), self.dialect)
            return
        with self.datastore.transaction(commit=False) as cursor:
            yield SqlCursor(cursor, self.dialect)

    def table_exists(self, table: str) -> bool:
        if self.dialect == "sqlite":
            sql = "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?"
        else:
            sql = (
                "SELECT 1 AS found FROM pg_tables WHERE schemaname = current_schema() "
                "AND tablename = ?"
            )
        return self.query_one(sql, (table,)) is not None

    def columns(self, table: str) -> set[str]:
        """The column names of `table` as the database has them now (for added columns)."""
        if self.dialect == "sqlite":
            sql = "SELECT name FROM pragma_table_info(?)"
        else:
            sql = (
                "SELECT column_name AS name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = ?"
            )
        return {str(row["name"]) for row in self.query(sql, (table,))}

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.reading() as c:
            return c.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        with self.reading() as c:
            return c.execute(sql, params).fetchone()
