"""What API clients change: customers (events with the app as actor) and refused calls."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.accounting import CUSTOMER_FIELDS, Customer, as_money, customer_id
from domain.actor import Actor
from domain.api_audit import DeniedCall
from domain.errors import ConflictError, NotFoundError, ValidationError
from domain.handlers.retry import retried_on_conflict
from domain.naming import has_control_characters, is_email
from domain.store import EventStore

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$")
MAX_CREDIT = Decimal("1000000000000")


@dataclass(frozen=True)
class ApiCaller:
    """An authorised API call: which app, for which entity of which group."""

    app_id: UUID
    client_id: str
    group_id: UUID
    entity_id: str
    entity_code: str

    @property
    def actor(self) -> Actor:
        return Actor(type="client", id=self.client_id, name=self.client_id)


def clean_customer(fields: dict[str, Any], creating: bool) -> dict[str, Any]:
    """Validated customer fields (None means "not given"); errors name the field."""
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        if value is None:
            continue
        limit = CUSTOMER_FIELDS.get(name, 0)
        if limit == 0:
            raise ValidationError(f"unknown customer field {name}", name)
        if name == "credit_limit":
            cleaned[name] = _money(value)
        elif name == "on_hold":
            cleaned[name] = bool(value)
        else:
            text = str(value).strip()
            if has_control_characters(text):
                raise ValidationError("control characters are not allowed", name)
            if limit is not None and len(text) > limit:
                raise ValidationError(f"{name} is longer than {limit} characters", name)
            cleaned[name] = text
    if "email" in cleaned and cleaned["email"] and not is_email(cleaned["email"]):
        raise ValidationError("email is not an e-mail address", "email")
    if "currency" in cleaned and not re.fullmatch(r"[A-Z]{3}", cleaned["currency"]):
        raise ValidationError("currency must be an ISO 4217 code such as EUR", "currency")
    if creating and not cleaned.get("name"):
        raise ValidationError("name is required for a new customer", "name")
    if "name" in cleaned and not cleaned["name"]:
        raise ValidationError("name cannot be blank", "name")
    return cleaned


def _money(value: Any) -> str:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError("credit_limit must be a number", "credit_limit") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_CREDIT:
        raise ValidationError("credit_limit must be between 0 and 10^12", "credit_limit")
    return as_money(amount)


@dataclass(frozen=True)
class CustomerRecorded:
    customer: Customer
    position: int


class AccountingHandler:
    def __init__(self, store: EventStore) -> None:
        self.store = store

    def save_customer(
        self, caller: ApiCaller, code: str, fields: dict[str, Any], create: bool
    ) -> CustomerRecorded:
        code = (code or "").strip()
        if not CODE.fullmatch(code):
            raise ValidationError("code must be 1-20 letters, digits, '.', '_' or '-'", "code")
        details = clean_customer(fields, creating=create)
        who = caller.actor.as_event_data()
        if create:
            customer = Customer(caller.entity_id, code, details, caller.app_id, who)
            try:
                return CustomerRecorded(customer, self.store.record(customer))
            except IntegrityError:
                raise ConflictError(f"customer {code} already exists", "code") from None
        existing = self.store.find(customer_id(caller.entity_id, code), Customer)
        if existing is None:
            raise NotFoundError(f"customer {code} not found", "code")
        changes = {k: v for k, v in details.items() if existing.details.get(k) != v}
        if changes:
            existing.update(caller.entity_id, changes, caller.app_id, who)
        return CustomerRecorded(existing, self.store.record(existing))

    # Audit-only: nothing the caller reads next depends on them, so the edge waits for nothing.
    def record_denied_call(
        self,
        app_id: UUID,
        client_id: str,
        operation: str,
        entity: str,
        reason: str,
        interval_start: datetime,
    ) -> bool:
        """The first refusal of (app, reason) in the interval; False if already recorded."""
        actor = Actor(type="client", id=client_id, name=client_id).as_event_data()
        call_id = DeniedCall.id_for(app_id, reason, interval_start)
        call = DeniedCall(app_id, operation[:100], entity[:100], reason, actor, id=call_id)
        try:
            self.store.record(call)
        except IntegrityError:  # another process (or thread) recorded this interval's first
            return False
        return True

    @retried_on_conflict(attempts=20)
    def record_repeated_denials(
        self, app_id: UUID, client_id: str, reason: str, interval_start: datetime, count: int
    ) -> None:
        """`count` more refusals of (app, reason) in the interval whose first is recorded."""
        call = self.store.get(DeniedCall.id_for(app_id, reason, interval_start), DeniedCall)
        actor = Actor(type="client", id=client_id, name=client_id).as_event_data()
        call.count_repeats(count, interval_start, actor)
        self.store.record(call)
