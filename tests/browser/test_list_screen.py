"""Setup > Integration Applications: the status filter, column searches, sorting and paging."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import Product, log_in_as_admin


def make_apps(product: Product, count: int) -> list[dict[str, Any]]:
    apps = []
    for n in range(1, count + 1):
        response = product.admin_api.create_app(
            type="new_integration",
            name=f"Batch {n:02}",
            description="One of many",
            category="crm" if n % 5 == 0 else "accounting",
            developer_email=f"dev{n:02}@example.com",
            api_permission="read",
            entity_ids=product.entity_ids[:1] if n % 2 else product.entity_ids[1:2],
        )
        assert response.status_code == 201, response.text
        apps.append(response.json())
    return apps


def names_on_page(page: Any) -> list[str]:
    return page.locator("tbody tr td:first-child").all_inner_texts()


def test_filter_sort_and_page_through_the_list(product: Product) -> None:
    apps = make_apps(product, 23)
    revoked = product.admin_api.post(
        f"/integration-applications/{apps[6]['id']}/revoke", json={"confirm": True}
    )
    assert revoked.status_code == 200, revoked.text
    page = product.new_page()
    log_in_as_admin(page)
    summary = page.locator("#apps-summary")
    expect(summary).to_have_text("Showing 1 to 20 of 23 applications (page 1 of 2)")

    # Sorting: by name ascending, then descending; the header says which (aria-sort).
    page.get_by_role("button", name="Name").click()
    expect(page.locator("tbody tr").first).to_contain_text("Batch 01")
    expect(page.get_by_role("columnheader", name="Name")).to_have_attribute(
        "aria-sort", "ascending"
    )
    page.get_by_label("Per page").select_option("10")
    expect(summary).to_have_text("Showing 1 to 10 of 23 applications (page 1 of 3)")
    assert names_on_page(page) == [f"Batch {n:02}" for n in range(1, 11)]
    page.get_by_role("button", name="Next page").click()
    expect(summary).to_have_text("Showing 11 to 20 of 23 applications (page 2 of 3)")
    assert names_on_page(page) == [f"Batch {n:02}" for n in range(11, 21)]
    page.get_by_role("button", name="Next page").click()
    expect(summary).to_have_text("Showing 21 to 23 of 23 applications (page 3 of 3)")
    expect(page.get_by_role("button", name="Next page")).to_be_disabled()
    product.screenshot(page, "admin-list-paged")
    page.get_by_role("button", name="Name").click()
    expect(page.get_by_role("columnheader", name="Name")).to_have_attribute(
        "aria-sort", "descending"
    )
    expect(summary).to_have_text("Showing 1 to 10 of 23 applications (page 1 of 3)")
    expect(page.locator("tbody tr").first).to_contain_text("Batch 23")

    # The status filter.
    page.get_by_label("Status").select_option("revoked")
    expect(summary).to_have_text("Showing 1 to 1 of 1 applications (page 1 of 1)")
    assert names_on_page(page) == ["Batch 07"]
    page.get_by_label("Status").select_option("")

    # A search field per column: name, category, developer, entity.
    page.get_by_label("Search Name").fill("batch 1")
    expect(summary).to_have_text("Showing 1 to 10 of 10 applications (page 1 of 1)")
    page.get_by_label("Search Category").select_option("crm")
    expect(summary).to_have_text("Showing 1 to 2 of 2 applications (page 1 of 1)")
    assert names_on_page(page) == ["Batch 15", "Batch 10"]  # still sorted by name, descending
    page.get_by_label("Search Name").fill("")
    expect(summary).to_have_text("Showing 1 to 4 of 4 applications (page 1 of 1)")
    page.get_by_label("Search Category").select_option("")
    expect(summary).to_have_text("Showing 1 to 10 of 23 applications (page 1 of 3)")
    page.get_by_label("Search Developer").fill("dev2")
    expect(summary).to_have_text("Showing 1 to 4 of 4 applications (page 1 of 1)")
    page.get_by_label("Search Entities").select_option(label="E02")
    expect(summary).to_have_text("Showing 1 to 2 of 2 applications (page 1 of 1)")
    assert sorted(names_on_page(page)) == ["Batch 20", "Batch 22"]
    product.screenshot(page, "admin-list-filtered")

    # The filters live in the address, so a reload (or a bookmark) shows the same list.
    page.reload()
    expect(page.locator("#apps-summary")).to_have_text(
        "Showing 1 to 2 of 2 applications (page 1 of 1)"
    )
    expect(page.get_by_label("Search Developer")).to_have_value("dev2")
    page.get_by_role("button", name="Clear filters").click()
    expect(page.locator("#apps-summary")).to_have_text(
        "Showing 1 to 20 of 23 applications (page 1 of 2)"
    )


def test_the_list_reads_well_on_a_phone(product: Product) -> None:
    make_apps(product, 3)
    page = product.new_page(viewport={"width": 390, "height": 844})
    log_in_as_admin(page)
    expect(page.locator("#apps-summary")).to_have_text(
        "Showing 1 to 3 of 3 applications (page 1 of 1)"
    )
    # Rows become cards: nothing is wider than the screen, every cell says its column.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator("tbody tr").first.locator("td[data-label=Status]")).to_be_visible()
    expect(page.get_by_role("button", name="Name")).to_be_hidden()  # headers are hidden here
    page.get_by_label("Sort by").select_option("name")
    expect(page.locator("tbody tr").first).to_contain_text("Batch 01")
    assert names_on_page(page) == ["Batch 01", "Batch 02", "Batch 03"]
    page.get_by_label("Sort by").select_option("-name")
    expect(page.locator("tbody tr").first).to_contain_text("Batch 03")
    product.screenshot(page, "admin-list-phone")
