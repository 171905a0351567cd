"""SPEC 3: every rule of integration applications, at the use-case level."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.commands import CreateApp, EditApp
from domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
    ValidationError,
)
from tests.unit.conftest import Domain

# "INVOICE SYNC" in full-width letters: the same name after Unicode NFKC normalisation.
FULL_WIDTH = "".join(chr(ord(c) + 0xFEE0) if c != " " else " " for c in "INVOICE SYNC")


def field_of(error: pytest.ExceptionInfo[Exception]) -> str | None:
    return getattr(error.value, "field", None)


def test_a_new_integration_links_its_developer_and_issues_an_otp(domain: Domain) -> None:
    created = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields()))
    app = created.app
    assert created.otp is not None and len(created.otp) == 8 and created.otp.isdigit()
    assert app.status_at(domain.clock.now()) == "pending_verification"
    assert app.developer is not None and app.developer.email == "dev@example.com"
    assert domain.event_names(app.id) == ["Created", "DeveloperLinked"]
    for event in domain.store.events.get(app.id):
        assert event.actor == {"type": "admin", "id": domain.admin.id, "name": "admin@a.example"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"description": ""}, "description"),
        ({"description": "d" * 2001}, "description"),
        ({"category": "nonsense"}, "category"),
        ({"category": None}, "category"),
        ({"api_permission": "write"}, "api_permission"),
        ({"developer_email": "not-an-email"}, "developer_email"),
        ({"entity_ids": []}, "entity_ids"),
        ({"entity_ids": ["00000000-0000-0000-0000-000000000000"]}, "entity_ids"),
        ({"type": "something_else"}, "type"),
        ({"preset": "hubspot"}, "preset"),
    ],
)
def test_new_integration_validation_names_the_field(
    domain: Domain, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields(**overrides)))
    assert field_of(error) == field


def test_entities_of_another_group_are_refused(domain: Domain) -> None:
    with pytest.raises(ValidationError) as error:
        domain.commands.apps.create_app(
            domain.admin, CreateApp(**domain.fields(entity_ids=domain.other_entities))
        )
    assert field_of(error) == "entity_ids"


def test_aiq_integrate_needs_both_acknowledgements_and_starts_requested(domain: Domain) -> None:
    base = {
        "type": "aiq_integrate",
        "preset": "hubspot",
        "name": "Hub",
        "description": "d",
        "entity_ids": domain.entities[:1],
    }
    with pytest.raises(ValidationError) as error:
        domain.commands.apps.create_app(
            domain.admin, CreateApp(**{**base, "acknowledge_data_access": True})
        )
    assert field_of(error) == "acknowledge_charges"
    with pytest.raises(ValidationError) as error:
        domain.commands.apps.create_app(
            domain.admin,
            CreateApp(**{**base, "acknowledge_charges": True, "acknowledge_data_access": False}),
        )
    assert field_of(error) == "acknowledge_data_access"
    with pytest.raises(ValidationError) as error:
        domain.commands.apps.create_app(
            domain.admin,
            CreateApp(
                **{
                    **base,
                    "acknowledge_charges": True,
                    "acknowledge_data_access": True,
                    "category": "crm",
                }
            ),
        )
    assert field_of(error) == "category"  # set by the non-custom preset
    created = domain.commands.apps.create_app(
        domain.admin,
        CreateApp(**{**base, "acknowledge_charges": True, "acknowledge_data_access": True}),
    )
    assert created.otp is None
    assert created.app.status_at(domain.clock.now()) == "requested"
    assert (created.app.category, created.app.api_permission) == ("crm", "read_write")


def test_custom_aiq_integrate_needs_a_category(domain: Domain) -> None:
    spec = {
        "type": "aiq_integrate",
        "preset": "custom",
        "name": "Custom",
        "description": "d",
        "entity_ids": domain.entities[:1],
        "acknowledge_charges": True,
        "acknowledge_data_access": True,
    }
    with pytest.raises(ValidationError) as error:
        domain.commands.apps.create_app(domain.admin, CreateApp(**spec))
    assert field_of(error) == "category"
    assert (
        domain.commands.apps.create_app(
            domain.admin, CreateApp(**{**spec, "category": "other"})
        ).app.preset
        == "custom"
    )


def test_connectors_need_the_data_acknowledgement_and_a_developer(domain: Domain) -> None:
    spec = {
        "type": "aiq_connector",
        "preset": "salesforce",
        "name": "SF",
        "description": "d",
        "developer_email": "dev@example.com",
        "entity_ids": domain.entities[:1],
    }
    with pytest.raises(ValidationError) as error:
        domain.commands.apps.create_app(domain.admin, CreateApp(**spec))
    assert field_of(error) == "acknowledge_data_access"
    with pytest.raises(ValidationError) as error:
        domain.commands.apps.create_app(
            domain.admin,
            CreateApp(**{**spec, "acknowledge_data_access": True, "preset": "hubspot"}),
        )
    assert field_of(error) == "preset"
    created = domain.commands.apps.create_app(
        domain.admin, CreateApp(**{**spec, "acknowledge_data_access": True})
    )
    assert created.otp is not None and created.app.api_permission == "read_write"


@pytest.mark.parametrize("second", ["invoice sync", "  INVOICE SYNC  ", FULL_WIDTH])
def test_names_are_unique_across_all_groups_case_and_width_insensitively(
    domain: Domain, second: str
) -> None:
    domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields()))
    with pytest.raises(ConflictError) as error:
        domain.commands.apps.create_app(
            domain.outsider,
            CreateApp(**domain.fields(name=second, entity_ids=domain.other_entities)),
        )
    assert field_of(error) == "name"


def test_a_name_stays_reserved_after_revoke_and_a_failed_create_records_nothing(
    domain: Domain,
) -> None:
    first = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields())).app
    domain.commands.apps.revoke_app(domain.admin, first.id, True)
    before = domain.store.recorder.max_notification_id()
    with pytest.raises(ConflictError):
        domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields()))
    assert domain.store.recorder.max_notification_id() == before


def test_edits_change_only_what_may_change(domain: Domain) -> None:
    app = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields())).app
    for field, value in (
        ("name", "New"),
        ("type", "aiq_connector"),
        ("preset", "x"),
        ("api_permission", "read_write"),
    ):
        with pytest.raises(ValidationError) as error:
            domain.commands.apps.edit_app(domain.admin, app.id, EditApp(**{field: value}))
        assert field_of(error) == field
    edited = domain.commands.apps.edit_app(
        domain.admin,
        app.id,
        EditApp(description="Better", category="crm", entity_ids=domain.entities[1:]),
    ).app
    assert (edited.description, edited.category) == ("Better", "crm")
    assert edited.entity_ids == domain.entities[1:]
    events_before = domain.event_names(app.id)
    domain.commands.apps.edit_app(domain.admin, app.id, EditApp(description="Better"))  # no change
    assert domain.event_names(app.id) == events_before


def test_category_is_not_editable_for_custom_integrate_or_connectors(domain: Domain) -> None:
    connector = domain.commands.apps.create_app(
        domain.admin,
        CreateApp(
            type="aiq_connector",
            preset="expensein",
            name="EI",
            description="d",
            developer_email="dev@example.com",
            entity_ids=domain.entities[:1],
            acknowledge_data_access=True,
        ),
    ).app
    with pytest.raises(ValidationError) as error:
        domain.commands.apps.edit_app(domain.admin, connector.id, EditApp(category="crm"))
    assert field_of(error) == "category"


def test_a_stale_version_is_refused(domain: Domain) -> None:
    app = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields())).app
    with pytest.raises(StaleVersionError):
        domain.commands.apps.edit_app(domain.admin, app.id, EditApp(description="x"), if_match=1)
    assert (
        domain.commands.apps.edit_app(
            domain.admin, app.id, EditApp(description="x"), if_match=app.version
        ).app.description
        == "x"
    )


def test_revoke_needs_confirmation_and_is_irreversible(domain: Domain) -> None:
    app = domain.commands.apps.create_app(domain.admin, CreateApp(**domain.fields())).app
    with pytest.raises(ValidationError) as error:
        domain.commands.apps.revoke_app(domain.admin, app.id, False)
    assert field_of(error) == "confirm"
    revoked = domain.commands.apps.revoke_app(domain.admin, app.id, True).app
    assert revoked.status_at(domain.clock.now()) == "revoked"
    with pytest.raises(ConflictError):
        domain.commands.apps.revoke_app(domain.admin, app.id, True)
    with pytest.raises(ConflictError):
        domain.commands.apps.edit_app(domain.admin, app.id, EditApp(description="x"))


def test_who_may_do_what(domain: Domain) -> None:
    with pytest.raises(PermissionDeniedError):
        domain.commands.apps.create_app(domain.plain, CreateApp(**domain.fields()))
    with pytest.raises(PermissionDeniedError):
        domain.commands.apps.create_app(domain.auditor, CreateApp(**domain.fields()))
    app = domain.commands.apps.create_app(domain.manager, CreateApp(**domain.fields())).app
    with pytest.raises(PermissionDeniedError):
        domain.commands.apps.edit_app(domain.auditor, app.id, EditApp(description="x"))
    with pytest.raises(NotFoundError):  # another group's app does not exist for them
        domain.commands.apps.edit_app(domain.outsider, app.id, EditApp(description="x"))
    with pytest.raises(NotFoundError):
        domain.commands.apps.app_history(domain.outsider, app.id, None)
    assert domain.commands.apps.app_history(domain.auditor, app.id, None).state is not None
    with pytest.raises(NotFoundError):
        domain.commands.apps.edit_app(domain.admin, UUID(int=1), EditApp(description="x"))
