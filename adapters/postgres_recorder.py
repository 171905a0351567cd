"""eventsourcing's PostgreSQL recorder, inserting a save's events in one statement.

The stock recorder sends each save as a pipeline of five statements (lock timeout, table lock,
NOTIFY, the insert, a sync to fetch the notification ids), which costs the saving process about
1 ms of CPU in psycopg; every write pays it (a token issued, a command, a refused call
recorded). Here one call of a database function does the same, in one round trip, at about a
third of that CPU (measured: 1.05 -> 0.37 ms per single-event save).

The function keeps what makes the stock recorder safe for readers that follow the notification
ids: it takes the events table's EXCLUSIVE lock before inserting, so ids are handed out in
commit order and a reader never passes a gap that a slower transaction fills later.
eventsourcing's own `POSTGRES_ENABLE_DB_FUNCTIONS` insert does not take that lock, so it is not
used. It takes arrays of plain columns, not eventsourcing's composite type, so nothing has to
be registered on each connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier


class OneStatementPostgresRecorder(PostgresApplicationRecorder):
    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        schema, table = Identifier(datastore.schema), Identifier(self.events_table_name)
        function = Identifier(f"{self.events_table_name}_insert")
        self.check_identifier_length(f"{self.events_table_name}_insert")
        self.sql_create_statements.append(
            SQL(
                "CREATE OR REPLACE FUNCTION {schema}.{function}("
                "ids {id_type}[], versions bigint[], topics text[], states bytea[]) "
                "RETURNS SETOF bigint LANGUAGE plpgsql AS $body$ "
                "BEGIN "
                "SET LOCAL lock_timeout = '{lock_timeout}s'; "
                "LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
                "NOTIFY {channel}; "
                "RETURN QUERY INSERT INTO {schema}.{table} "
                "(originator_id, originator_version, topic, state) "
                "SELECT * FROM unnest(ids, versions, topics, states) "
                "RETURNING notification_id; "
                "END; $body$"
            ).format(
                schema=schema,
                function=function,
                id_type=SQL(datastore.originator_id_type),
                lock_timeout=SQL(str(int(datastore.lock_timeout))),
                table=table,
                channel=Identifier(self.channel_name),
            )
        )
        # Rendered once: a composed query is rendered again on every execute, ~2% of a
        # command's API CPU (py-spy).
        self._insert_call = (
            SQL("SELECT {schema}.{function}(%s, %s, %s, %s) AS id")
            .format(schema=schema, function=function)
            .as_string(None)
        )

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events:
            return []
        columns = (
            [e.originator_id for e in stored_events],
            [e.originator_version for e in stored_events],
            [e.topic for e in stored_events],
            [e.state for e in stored_events],
        )
        # Autocommit: the one statement is its transaction, the lock held until it commits.
        with self.datastore.get_connection() as conn, conn.cursor() as cursor:
            cursor.execute(self._insert_call, columns, prepare=True)
            return [row["id"] for row in cursor.fetchall()]
