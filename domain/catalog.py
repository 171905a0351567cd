"""The fixed catalog of application types, presets and categories (SPEC 3)."""

from __future__ import annotations

from typing import Any

NEW_INTEGRATION = "new_integration"
AIQ_INTEGRATE = "aiq_integrate"
AIQ_CONNECTOR = "aiq_connector"
APP_TYPES = (NEW_INTEGRATION, AIQ_INTEGRATE, AIQ_CONNECTOR)
MANAGED_TYPES = (AIQ_INTEGRATE, AIQ_CONNECTOR)

API_PERMISSIONS = ("read", "read_write")

CATEGORIES = (
    "accounting",
    "banking_payments",
    "crm",
    "expenses",
    "field_service",
    "hospitality",
    "inventory",
    "payroll_hr",
    "procurement",
    "reporting",
    "other",
)

CUSTOM_PRESET = "custom"

# AIQ Integrate presets and the category each non-custom preset starts with.
INTEGRATE_PRESETS: dict[str, dict[str, str | None]] = {
    "custom": {"label": "AIQ Custom Integration", "category": None},
    "bill_com": {"label": "Bill.com", "category": "banking_payments"},
    "sap_concur": {"label": "SAP Concur", "category": "expenses"},
    "expensein": {"label": "ExpenseIn", "category": "expenses"},
    "expensify": {"label": "Expensify", "category": "expenses"},
    "gocardless": {"label": "GoCardless", "category": "banking_payments"},
    "hotsoft_pms": {"label": "HotSoft PMS", "category": "hospitality"},
    "hubspot": {"label": "HubSpot", "category": "crm"},
    "joblogic": {"label": "Joblogic", "category": "field_service"},
    "marketman": {"label": "MarketMan", "category": "inventory"},
    "opera": {"label": "OPERA", "category": "hospitality"},
    "procurewizard": {"label": "ProcureWizard", "category": "procurement"},
    "salesforce": {"label": "Salesforce", "category": "crm"},
    "access_paysuite": {"label": "Access PaySuite", "category": "banking_payments"},
    "soldo": {"label": "Soldo", "category": "expenses"},
    "stripe": {"label": "Stripe", "category": "banking_payments"},
    "syrinx": {"label": "Syrinx", "category": "inventory"},
    "zoho_expense": {"label": "Zoho Expense", "category": "expenses"},
}

CONNECTOR_PRESETS: dict[str, dict[str, str | None]] = {
    "salesforce": {"label": "Salesforce Connector", "category": "crm"},
    "expensein": {"label": "ExpenseIn Connector", "category": "expenses"},
}


def presets_for(app_type: str) -> dict[str, dict[str, str | None]]:
    if app_type == AIQ_INTEGRATE:
        return INTEGRATE_PRESETS
    if app_type == AIQ_CONNECTOR:
        return CONNECTOR_PRESETS
    return {}


def category_is_editable(app_type: str, preset: str | None) -> bool:
    """The article: category can be edited for New Integrations and non-custom AIQ Integrate."""
    return app_type == NEW_INTEGRATION or (app_type == AIQ_INTEGRATE and preset != CUSTOM_PRESET)


def as_document() -> dict[str, Any]:
    """The catalog as the API serves it."""
    return {
        "types": [
            {
                "type": NEW_INTEGRATION,
                "label": "New Integration",
                "chargeable": False,
                "fields": [
                    "name",
                    "description",
                    "category",
                    "developer_email",
                    "api_permission",
                    "entity_ids",
                ],
            },
            {
                "type": AIQ_INTEGRATE,
                "label": "AIQ Integrate",
                "chargeable": True,
                "fields": [
                    "preset",
                    "name",
                    "description",
                    "category",
                    "entity_ids",
                    "acknowledge_charges",
                    "acknowledge_data_access",
                ],
            },
            {
                "type": AIQ_CONNECTOR,
                "label": "AIQ Connectors",
                "chargeable": False,
                "fields": [
                    "preset",
                    "name",
                    "description",
                    "developer_email",
                    "entity_ids",
                    "acknowledge_data_access",
                ],
            },
        ],
        "presets": [{"preset": k, **v} for k, v in INTEGRATE_PRESETS.items()],
        "connectors": [{"preset": k, **v} for k, v in CONNECTOR_PRESETS.items()],
        "categories": list(CATEGORIES),
        "api_permissions": list(API_PERMISSIONS),
    }
