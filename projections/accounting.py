"""The accounting view: each entity's currency, chart of GL accounts and customers."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.accounting import Books, Customer
from projections.sql import SqlCursor
from projections.view import View, iso, only_tracks


def _customer(row: dict[str, Any]) -> dict[str, Any]:
    return {"code": row["code"], **json.loads(row["details"])}


class AccountingView(View):
    name = "accounting"
    tables = ("acc_customers", "acc_gl_accounts", "acc_books")
    schema = (
        "CREATE TABLE IF NOT EXISTS acc_books (entity_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, "
        "base_currency TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS acc_gl_accounts (entity_id TEXT NOT NULL, code TEXT NOT NULL, "
        "name TEXT NOT NULL, type TEXT NOT NULL, PRIMARY KEY (entity_id, code))",
        "CREATE TABLE IF NOT EXISTS acc_customers (id TEXT PRIMARY KEY, entity_id TEXT NOT NULL, "
        "code TEXT NOT NULL, code_key TEXT NOT NULL, details TEXT NOT NULL, "
        "updated_at TEXT NOT NULL, UNIQUE (entity_id, code_key))",
    )

    def books(self, entity_id: str) -> dict[str, Any] | None:
        return self.db.query_one(
            "SELECT entity_id, group_id, base_currency FROM acc_books WHERE entity_id = ?",
            (entity_id,),
        )

    def gl_accounts(self, entity_id: str) -> list[dict[str, Any]]:
        return self.db.query(
            "SELECT code, name, type FROM acc_gl_accounts WHERE entity_id = ? ORDER BY code",
            (entity_id,),
        )

    def customers(self, entity_id: str, limit: int = 1000) -> list[dict[str, Any]]:
        rows = self.db.query(
            "SELECT code, details FROM acc_customers WHERE entity_id = ? ORDER BY code_key LIMIT ?",
            (entity_id, limit),
        )
        return [_customer(r) for r in rows]

    def customer(self, entity_id: str, code: str) -> dict[str, Any] | None:
        row = self.db.query_one(
            "SELECT code, details FROM acc_customers WHERE entity_id = ? AND code_key = ?",
            (entity_id, code.strip().lower()),
        )
        return None if row is None else _customer(row)

    # -- one change per event, in the event's transaction `c` -------------------------------

    def books_opened(
        self,
        c: SqlCursor,
        entity_id: str,
        group_id: str,
        base_currency: str,
        gl_accounts: list[dict[str, Any]],
    ) -> None:
        c.execute(
            "INSERT INTO acc_books (entity_id, group_id, base_currency) VALUES (?, ?, ?)",
            (entity_id, group_id, base_currency),
        )
        for account in gl_accounts:
            c.execute(
                "INSERT INTO acc_gl_accounts (entity_id, code, name, type) VALUES (?, ?, ?, ?)",
                (entity_id, account["code"], account["name"], account["type"]),
            )

    def customer_created(
        self,
        c: SqlCursor,
        customer_id: str,
        entity_id: str,
        code: str,
        details: dict[str, Any],
        at: datetime,
    ) -> None:
        c.execute(
            "INSERT INTO acc_customers (id, entity_id, code, code_key, details, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (customer_id, entity_id, code, code.lower(), json.dumps(details), iso(at)),
        )

    def customer_updated(
        self, c: SqlCursor, customer_id: str, changes: dict[str, Any], at: datetime
    ) -> None:
        """Merges `changes` into the customer's details (fields not named stay as they are)."""
        row = c.execute("SELECT details FROM acc_customers WHERE id = ?", (customer_id,)).fetchone()
        details = {**json.loads(row["details"]), **changes} if row else dict(changes)
        c.execute(
            "UPDATE acc_customers SET details = ?, updated_at = ? WHERE id = ?",
            (json.dumps(details), iso(at), customer_id),
        )


class AccountingProjection(Projection[AccountingView]):
    name = "accounting"

    @singledispatchmethod
    @only_tracks
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def _(self, e: Books.Opened, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.books_opened(c, e.entity_id, str(e.group_id), e.base_currency, e.gl_accounts)

    @process_event.register
    def _(self, e: Customer.Created, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.customer_created(
                c, str(e.originator_id), e.entity_id, e.code, e.details, e.timestamp
            )

    @process_event.register
    def _(self, e: Customer.Updated, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.customer_updated(c, str(e.originator_id), e.changes, e.timestamp)
