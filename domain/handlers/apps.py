"""Create, edit and revoke integration applications; read their history."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from domain.actor import Actor
from domain.addresses import allowed_networks
from domain.apps import MAX_RATE_LIMIT, AppName, AppNameSkeleton, IntegrationApp
from domain.catalog import (
    AIQ_INTEGRATE,
    API_PERMISSIONS,
    APP_TYPES,
    CATEGORIES,
    CUSTOM_PRESET,
    NEW_INTEGRATION,
    category_is_editable,
    presets_for,
)
from domain.commands import CreateApp, EditApp
from domain.errors import ConflictError, StaleVersionError, ValidationError
from domain.handlers.developer_link import DeveloperLinker
from domain.naming import confusable_key, normalise_name, readable_name
from domain.store import EventStore

IMMUTABLE_FIELDS = ("name", "type", "preset", "api_permission")


@dataclass(frozen=True)
class Created:
    app: IntegrationApp
    otp: str | None
    position: int


@dataclass(frozen=True)
class AppRecorded:
    app: IntegrationApp
    position: int


@dataclass(frozen=True)
class History:
    events: list[Any]
    state: IntegrationApp | None


def _require(flag: bool, message: str, field: str) -> None:
    if not flag:
        raise ValidationError(message, field)


def _check_category(category: str | None) -> str:
    _require(category in CATEGORIES, f"category must be one of {', '.join(CATEGORIES)}", "category")
    return str(category)


class AppCommands:
    def __init__(self, store: EventStore, developers: DeveloperLinker) -> None:
        self.store = store
        self.developers = developers

    def create_app(self, actor: Actor, spec: CreateApp) -> Created:
        """The rules of each app type (SPEC 3) apply here."""
        actor.require_app_manager()
        group = self.store.group_to_read(actor)
        group.require_integrations()
        app_type = spec.type
        _require(app_type in APP_TYPES, f"type must be one of {', '.join(APP_TYPES)}", "type")
        name = readable_name(spec.name, "name", 100)
        fields: dict[str, Any] = {
            "name": name,
            "description": readable_name(spec.description, "description", 2000),
            "entity_ids": group.check_entities(spec.entity_ids or []),
            **_type_fields(app_type, spec),
        }
        app = IntegrationApp(
            group_id=group.id,
            app_type=app_type,
            client_id=secrets.token_hex(16),
            actor=actor.as_event_data(),
            **fields,
        )
        otp, refs = None, list[Aggregate]()
        if app_type != AIQ_INTEGRATE:
            otp, refs = self.developers.link(actor, app, spec.developer_email or "")
        try:
            position = self.store.record(app, *name_claims(app), *refs)
        except IntegrityError:
            raise ConflictError(f"the name {name!r} is already taken", "name") from None
        return Created(app=app, otp=otp, position=position)

    def edit_app(
        self, actor: Actor, app_id: UUID, edit: EditApp, if_match: int | None = None
    ) -> AppRecorded:
        actor.require_app_manager()
        app = self.store.owned(actor, app_id, IntegrationApp)
        if if_match is not None and if_match != app.version:
            raise StaleVersionError("the application changed since you read it")
        app.require_not_revoked()
        changes = edit.given()
        for field in IMMUTABLE_FIELDS:
            _require(field not in changes, f"{field} cannot be changed", field)
        accepted: dict[str, Any] = {}
        if "description" in changes:
            accepted["description"] = readable_name(changes["description"], "description", 2000)
        if "category" in changes:
            _require(
                category_is_editable(app.app_type, app.preset),
                "category cannot be changed for this type of application",
                "category",
            )
            accepted["category"] = _check_category(changes["category"])
        if "entity_ids" in changes:
            group = self.store.group_to_read(actor)
            accepted["entity_ids"] = group.check_entities(changes["entity_ids"] or [])
        if "allowed_ips" in changes:
            accepted["allowed_ips"] = allowed_networks(changes["allowed_ips"])
        if "rate_limit_per_minute" in changes:
            limit = changes["rate_limit_per_minute"]
            _require(
                limit is None or (type(limit) is int and 1 <= limit <= MAX_RATE_LIMIT),
                f"rate_limit_per_minute must be 1-{MAX_RATE_LIMIT}, or null for the default",
                "rate_limit_per_minute",
            )
            accepted["rate_limit_per_minute"] = limit
        app.edit(accepted, actor.as_event_data())
        return AppRecorded(app, self.store.record(app))

    def end_secrets_now(self, actor: Actor, app_id: UUID) -> AppRecorded:
        """An admin ends the app's client secret at once (SPEC 14 `revoke-secret`), and every
        token obtained with it; the developer is told by e-mail and generates a new one."""
        actor.require_app_manager()
        app = self.store.owned(actor, app_id, IntegrationApp)
        app.end_secrets(actor.as_event_data())
        return AppRecorded(app, self.store.record(app))

    def revoke_app(self, actor: Actor, app_id: UUID, confirm: bool) -> AppRecorded:
        actor.require_app_manager()
        app = self.store.owned(actor, app_id, IntegrationApp)
        _require(confirm is True, "revoking is irreversible: send confirm: true", "confirm")
        app.revoke(actor.as_event_data())
        return AppRecorded(app, self.store.record(app))

    def app_history(self, actor: Actor, app_id: UUID, as_of: datetime | None) -> History:
        actor.require_app_reader()
        app = self.store.owned(actor, app_id, IntegrationApp)
        events = self.store.events_of(app.id)
        if as_of is not None:
            events = [e for e in events if e.timestamp <= as_of]
        state = None
        if events:
            state = self.store.get(app.id, IntegrationApp, version=events[-1].originator_version)
        return History(events=events, state=state)


def name_claims(app: IntegrationApp) -> tuple[AppName, AppNameSkeleton]:
    """Both keys, recorded atomically with the app: its normalised name (the key apps have
    always claimed) and what it looks like (its confusable key)."""
    return (
        AppName(normalised_name=normalise_name(app.name), app_id=app.id),
        AppNameSkeleton(key=confusable_key(app.name), app_id=app.id),
    )


def _type_fields(app_type: str, spec: CreateApp) -> dict[str, Any]:
    preset, category = spec.preset, spec.category
    if app_type == NEW_INTEGRATION:
        _require(preset is None, "preset is only for AIQ Integrate and Connectors", "preset")
        permission = spec.api_permission
        _require(
            permission in API_PERMISSIONS,
            "api_permission must be read or read_write",
            "api_permission",
        )
        return {"preset": None, "category": _check_category(category), "api_permission": permission}
    _require(
        spec.api_permission in (None, "read_write"),
        "managed applications are always read_write",
        "api_permission",
    )
    presets = presets_for(app_type)
    _require(preset in presets, f"preset must be one of {', '.join(presets)}", "preset")
    _require(
        spec.acknowledge_data_access is True,
        "you must acknowledge that our team will have access to your data",
        "acknowledge_data_access",
    )
    if app_type == AIQ_INTEGRATE:
        _require(
            spec.acknowledge_charges is True,
            "you must acknowledge that this application type is chargeable",
            "acknowledge_charges",
        )
        _require(
            spec.developer_email is None,
            "AIQ Integrate apps get their developer later",
            "developer_email",
        )
    else:
        _require(
            spec.acknowledge_charges is None,
            "connectors are not chargeable",
            "acknowledge_charges",
        )
    if preset == CUSTOM_PRESET:
        category = _check_category(category)
    else:
        _require(category is None, "category is set by the preset", "category")
        category = presets[str(preset)]["category"]
    return {"preset": preset, "category": category, "api_permission": "read_write"}
