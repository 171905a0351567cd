"""Moving on while a screen still loads (common/router.js): the screen left behind must never
show up on the next one, nor take its title, its focus or its address. Its API answers are
held back with Playwright's routing until the user has opened another screen."""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import ADMIN, Product, log_in_as_admin

TITLE = "Integration Applications"


def hold(page: Any, pattern: str) -> list[Any]:
    """Requests matching `pattern` wait (unanswered) in the returned list until continued."""
    held: list[Any] = []

    def keep(route: Any) -> None:
        held.append(route)

    page.route(pattern, keep)
    return held


def wait_until_held(page: Any, held: list[Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while not held:
        assert time.monotonic() < deadline, "the request was never made"
        page.wait_for_timeout(50)
    return held[0]


def release(page: Any, route: Any, answered: str) -> None:
    """Lets the held request through and waits until the screen that asked has had the answer
    `answered` (a URL fragment) and time to use it."""
    with page.expect_response(lambda response: answered in response.url) as response:
        route.continue_()
    response.value.finished()
    page.wait_for_timeout(500)


def only_the_users_screen(page: Any) -> None:
    expect(page.locator("main h1")).to_have_count(1)
    expect(page.locator("main h1")).to_have_text("Users")
    expect(page.get_by_role("row").filter(has_text=ADMIN)).to_be_visible()
    assert page.title() == f"Users · {TITLE}"
    assert page.url.endswith("#/users"), page.url


def test_a_screen_left_while_loading_never_lands_on_the_next_one(product: Product) -> None:
    product.create_app("Listed Feed")
    page = product.new_page()
    log_in_as_admin(page)
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()

    # Security settings asks for the group; before it is answered the user opens Users.
    group = hold(page, "**/api/v1/group")
    page.get_by_role("link", name="Security settings").click()
    route = wait_until_held(page, group)
    page.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users")).to_be_visible()
    expect(page.get_by_role("heading", name="Users")).to_be_focused()
    release(page, route, "/api/v1/group")
    only_the_users_screen(page)
    expect(page.get_by_role("heading", name="Security settings")).to_have_count(0)
    expect(page.get_by_label("Client secret lifetime (days)")).to_have_count(0)
    expect(page.get_by_role("heading", name="Users")).to_be_focused()
    page.unroute("**/api/v1/group")

    # The list, opened afresh, waits for the catalog; meanwhile the user opens Users. The list
    # must neither appear there nor put its own address (#/apps?...) in the address bar.
    catalog = hold(page, "**/api/v1/catalog")
    page.goto("/?again=1#/apps")
    route = wait_until_held(page, catalog)
    page.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users")).to_be_visible()
    release(page, route, "/api/v1/integration-applications")
    only_the_users_screen(page)
    expect(page.get_by_role("heading", name=TITLE)).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text="Listed Feed")).to_have_count(0)
    page.unroute("**/api/v1/catalog")

    # Back and forward still work, and the list shows as before.
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("row").filter(has_text="Listed Feed")).to_be_visible()
    page.go_back()
    only_the_users_screen(page)
