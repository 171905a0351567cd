"""A group (one customer) and the entities (companies) it owns."""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError, PlanRequiredError, ValidationError
from domain.naming import has_control_characters

# Product plans (SPEC 11): integration applications and the portal are for AIQ3 only.
PLANS = ("aiq1", "aiq2", "aiq3")
INTEGRATIONS_PLAN = "aiq3"

# How long client secrets live (SPEC 14): the group's choice within these bounds.
SECRET_LIFETIME_DAYS = range(30, 731)
DEFAULT_SECRET_LIFETIME_DAYS = 365


class Group(Aggregate):
    class Registered(Aggregate.Created):
        name: str
        actor: dict[str, Any]

    class EntityAdded(Aggregate.Event):
        entity_id: str
        code: str
        name: str
        actor: dict[str, Any]

    class SecretLifetimeChanged(Aggregate.Event):
        days: int
        actor: dict[str, Any]

    class PlanChanged(Aggregate.Event):
        """Leaving AIQ3 suspends the group's apps, returning restores them (the views
        apply it to each app, so an app created meanwhile cannot be missed)."""

        plan: str
        previous_plan: str
        actor: dict[str, Any]

    @event(Registered)
    def __init__(self, name: str, actor: dict[str, Any]) -> None:
        self.name = name
        self.entities: dict[str, dict[str, str]] = {}
        self.secret_lifetime_days = DEFAULT_SECRET_LIFETIME_DAYS
        # Groups registered before plans existed were using the product: AIQ3.
        self.plan = INTEGRATIONS_PLAN

    @property
    def integrations_available(self) -> bool:
        return self.plan == INTEGRATIONS_PLAN

    def require_integrations(self) -> None:
        if not self.integrations_available:
            raise PlanRequiredError()

    def change_plan(self, plan: str, actor: dict[str, Any]) -> bool:
        """False when the group is on `plan` already."""
        if plan not in PLANS:
            raise ValidationError(f"plan must be one of {', '.join(PLANS)}", "plan")
        if plan == self.plan:
            return False
        self._change_plan(plan, self.plan, actor)
        return True

    @event(PlanChanged)
    def _change_plan(self, plan: str, previous_plan: str, actor: dict[str, Any]) -> None:
        self.plan = plan

    def set_secret_lifetime(self, days: int, actor: dict[str, Any]) -> bool:
        """Applies to secrets issued from now on; False when it is already `days`."""
        if isinstance(days, bool) or not isinstance(days, int) or days not in SECRET_LIFETIME_DAYS:
            raise ValidationError(
                "secret_lifetime_days must be a whole number of days from 30 to 730",
                "secret_lifetime_days",
            )
        if days == self.secret_lifetime_days:
            return False
        self._set_secret_lifetime(days, actor)
        return True

    @event(SecretLifetimeChanged)
    def _set_secret_lifetime(self, days: int, actor: dict[str, Any]) -> None:
        self.secret_lifetime_days = days

    def add_entity(self, code: str, name: str, actor: dict[str, Any]) -> str:
        code, name = code.strip(), name.strip()
        if has_control_characters(code + name):
            raise ValidationError("control characters are not allowed", "code")
        if not code or len(code) > 32:
            raise ValidationError("entity code must be 1-32 characters", "code")
        if not name or len(name) > 200:
            raise ValidationError("entity name must be 1-200 characters", "name")
        if any(e["code"].lower() == code.lower() for e in self.entities.values()):
            raise ConflictError(f"entity code {code!r} already exists in this group", "code")
        entity_id = str(uuid5(NAMESPACE_URL, f"/entities/{self.id}/{code.lower()}"))
        self._add_entity(entity_id=entity_id, code=code, name=name, actor=actor)
        return entity_id

    @event(EntityAdded)
    def _add_entity(self, entity_id: str, code: str, name: str, actor: dict[str, Any]) -> None:
        self.entities[entity_id] = {"id": entity_id, "code": code, "name": name}

    def check_entities(self, entity_ids: list[str]) -> list[str]:
        """The ids, de-duplicated in order, if all are this group's entities."""
        unique = list(dict.fromkeys(entity_ids))
        if not unique:
            raise ValidationError("select at least one entity", "entity_ids")
        unknown = [e for e in unique if e not in self.entities]
        if unknown:
            raise ValidationError(f"unknown entity ids: {', '.join(unknown)}", "entity_ids")
        return unique
