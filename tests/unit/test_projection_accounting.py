"""The accounting view fed with real events: books, GL accounts and customers."""

from __future__ import annotations

from uuid import uuid4

from domain.accounting import Books, Customer
from projections.accounting import AccountingProjection, AccountingView
from tests.unit.projection_support import Feed, Story, memory_view


def test_customers_keep_what_an_update_does_not_name() -> None:
    view = memory_view(AccountingView)
    feed = Feed(AccountingProjection(view=view))
    books, group, app = Story(Books), uuid4(), uuid4()
    accounts = [
        {"code": "4000", "name": "Sales", "type": "income"},
        {"code": "1000", "name": "Bank", "type": "asset"},
    ]
    feed(
        books(
            Books.Opened, entity_id="e1", group_id=group, base_currency="EUR", gl_accounts=accounts
        )
    )
    assert view.books("e1") == {"entity_id": "e1", "group_id": str(group), "base_currency": "EUR"}
    assert [a["code"] for a in view.gl_accounts("e1")] == ["1000", "4000"]
    customer = Story(Customer)
    details = {"name": "Acme", "city": "Oslo"}
    feed(customer(Customer.Created, entity_id="e1", code="ACME", details=details, app_id=app))
    feed(customer(Customer.Updated, entity_id="e1", changes={"city": "Bergen"}, app_id=app))
    assert view.customer("e1", " acme ") == {"code": "ACME", "name": "Acme", "city": "Bergen"}
    assert view.customers("e1") == [{"code": "ACME", "name": "Acme", "city": "Bergen"}]
    assert view.customer("e2", "ACME") is None
