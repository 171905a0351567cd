"""The fixed catalog of application types, presets and categories (SPEC 3)."""

from __future__ import annotations

from typing import Any

NEW_INTEGRATION = "new_integration"
AIQ_INTEGRATE = "aiq_integrate"
AIQ_CONNECTOR = "aiq_connector"
APP_TYPES = (NEW_INTEGRATION, AIQ_INTEGRATE, AIQ_CONNECTOR)
# Made only by installing a partner's listing (SPEC 12), never by the create form.
PARTNER_INTEGRATION = "partner_integration"
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

# AIQ Integrate presets: the tile's label and summary, and the category each non-custom
# preset starts with.
INTEGRATE_PRESETS: dict[str, dict[str, str | None]] = {
    "custom": {
        "label": "AIQ Custom Integration",
        "category": None,
        "summary": "Custom-built, from any file or application the other tiles do not cover.",
    },
    "bill_com": {
        "label": "Bill.com",
        "category": "banking_payments",
        "summary": "Streamlines and automates back-office financial processes.",
    },
    "sap_concur": {
        "label": "SAP Concur",
        "category": "expenses",
        "summary": "Expense management for large organisations, with Concur Invoice for payables.",
    },
    "expensein": {
        "label": "ExpenseIn",
        "category": "expenses",
        "summary": "Expense creation, approval and reporting in one system.",
    },
    "expensify": {
        "label": "Expensify",
        "category": "expenses",
        "summary": "Company spend: receipts, expenses, bill payments and travel.",
    },
    "gocardless": {
        "label": "GoCardless",
        "category": "banking_payments",
        "summary": "Payment collection from customers without expensive fees.",
    },
    "hotsoft_pms": {
        "label": "HotSoft PMS",
        "category": "hospitality",
        "summary": "Cloud property management for hotels and accommodation providers.",
    },
    "hubspot": {
        "label": "HubSpot",
        "category": "crm",
        "summary": "All-in-one CRM: marketing, sales, service and content.",
    },
    "joblogic": {
        "label": "Joblogic",
        "category": "field_service",
        "summary": "Field service management for service and maintenance contractors.",
    },
    "marketman": {
        "label": "MarketMan",
        "category": "inventory",
        "summary": "Inventory management for restaurants and hospitality.",
    },
    "opera": {
        "label": "OPERA",
        "category": "hospitality",
        "summary": "Property management for hoteliers: reservations, loyalty, sales and catering.",
    },
    "procurewizard": {
        "label": "ProcureWizard",
        "category": "procurement",
        "summary": "Purchase-to-pay for restaurants, hotels, pubs and caterers.",
    },
    "salesforce": {
        "label": "Salesforce",
        "category": "crm",
        "summary": "Customer interactions, sales data, leads and cases.",
    },
    "access_paysuite": {
        "label": "Access PaySuite",
        "category": "banking_payments",
        "summary": "Secure, cost-effective Direct Debit services.",
    },
    "soldo": {
        "label": "Soldo",
        "category": "expenses",
        "summary": "Prepaid company cards: control, tracking and reporting of expenses.",
    },
    "stripe": {
        "label": "Stripe",
        "category": "banking_payments",
        "summary": "Online and card payment processing.",
    },
    "syrinx": {"label": "Syrinx", "category": "inventory", "summary": "Hire and asset management."},
    "zoho_expense": {
        "label": "Zoho Expense",
        "category": "expenses",
        "summary": "Automated expense recording, reporting and approvals.",
    },
}

CONNECTOR_PRESETS: dict[str, dict[str, str | None]] = {
    "salesforce": {
        "label": "Salesforce Connector",
        "category": "crm",
        "summary": "Pulls customer accounts and transactions from AIQ into Salesforce.",
    },
    "expensein": {
        "label": "ExpenseIn Connector",
        "category": "expenses",
        "summary": "Records and manages business expenses in AIQ through ExpenseIn.",
    },
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
        # Whether an app's category can be edited later, per preset (and for new
        # integrations, which have none), so screens need not restate the rule.
        "new_integration_category_editable": category_is_editable(NEW_INTEGRATION, None),
        "presets": [
            {"preset": k, **v, "category_editable": category_is_editable(AIQ_INTEGRATE, k)}
            for k, v in INTEGRATE_PRESETS.items()
        ],
        "connectors": [
            {"preset": k, **v, "category_editable": category_is_editable(AIQ_CONNECTOR, k)}
            for k, v in CONNECTOR_PRESETS.items()
        ],
        "categories": list(CATEGORIES),
        "api_permissions": list(API_PERMISSIONS),
    }
