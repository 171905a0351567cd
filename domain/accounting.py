"""Accounting data the SOAP API reads and writes: each entity's books and its customers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.naming import index_id

Actor = dict[str, Any]
DEFAULT_CURRENCY = "EUR"

# The small default chart of GL accounts every new entity starts with.
DEFAULT_CHART: tuple[dict[str, str], ...] = (
    {"code": "1000", "name": "Bank Current Account", "type": "Asset"},
    {"code": "1100", "name": "Trade Debtors", "type": "Asset"},
    {"code": "2100", "name": "Trade Creditors", "type": "Liability"},
    {"code": "2200", "name": "VAT Control", "type": "Liability"},
    {"code": "3000", "name": "Share Capital", "type": "Equity"},
    {"code": "4000", "name": "Sales", "type": "Income"},
    {"code": "5000", "name": "Cost of Sales", "type": "Expense"},
    {"code": "6000", "name": "Overheads", "type": "Expense"},
)

# Customer fields the API may set, with their maximum lengths (None: not text).
CUSTOMER_FIELDS: dict[str, int | None] = {
    "name": 200,
    "contact_name": 200,
    "email": 254,
    "phone": 50,
    "address1": 200,
    "address2": 200,
    "city": 100,
    "post_code": 20,
    "country": 100,
    "currency": 3,
    "credit_limit": None,
    "on_hold": None,
}


class Books(Aggregate):
    """One entity's ledger settings: base currency and chart of GL accounts."""

    class Opened(Aggregate.Created):
        entity_id: str
        group_id: UUID
        base_currency: str
        gl_accounts: list[dict[str, str]]
        actor: Actor

    @staticmethod
    def create_id(entity_id: str) -> UUID:
        return index_id("books", entity_id)

    @event(Opened)
    def __init__(
        self,
        entity_id: str,
        group_id: UUID,
        base_currency: str,
        gl_accounts: list[dict[str, str]],
        actor: Actor,
    ) -> None:
        self.entity_id = entity_id
        self.group_id = group_id
        self.base_currency = base_currency
        self.gl_accounts = gl_accounts


def open_books(
    entity_id: str, group_id: UUID, actor: Actor, currency: str = DEFAULT_CURRENCY
) -> Books:
    return Books(entity_id, group_id, currency, [dict(a) for a in DEFAULT_CHART], actor)


class Customer(Aggregate):
    """A customer of one entity, unique by code within it; written by API clients."""

    class Created(Aggregate.Created):
        entity_id: str
        code: str
        details: dict[str, Any]
        app_id: UUID
        actor: Actor

    class Updated(Aggregate.Event):
        entity_id: str
        changes: dict[str, Any]
        app_id: UUID
        actor: Actor

    @staticmethod
    def create_id(entity_id: str, code: str) -> UUID:
        return customer_id(entity_id, code)

    @event(Created)
    def __init__(
        self, entity_id: str, code: str, details: dict[str, Any], app_id: UUID, actor: Actor
    ) -> None:
        self.entity_id = entity_id
        self.code = code
        self.details = dict(details)

    @event(Updated)
    def update(self, entity_id: str, changes: dict[str, Any], app_id: UUID, actor: Actor) -> None:
        self.details.update(changes)


def customer_id(entity_id: str, code: str) -> UUID:
    return index_id("customer", f"{entity_id}/{code.strip().lower()}")


def as_money(value: Any) -> str:
    """Credit limits travel as decimal strings, so no float rounding enters the books."""
    return str(Decimal(str(value)).quantize(Decimal("0.01")))
