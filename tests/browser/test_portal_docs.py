"""The API Wiki and Docs (/portal/docs, SPEC 13) in Chromium: public, every section, every
operation with its examples and Copy buttons, linked from an app's page, and its Python and
curl examples run as shown against the live product."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
from typing import Any

import pytest
from playwright.sync_api import expect

from soap.error_codes import ERROR_CODES
from soap.service import AccountingService
from tests.browser.conftest import Product
from tests.browser.test_credential_screens import verified_client
from tests.browser.test_sessions_and_roles import log_in_to_portal

OPERATIONS = list(AccountingService.public_methods)


def open_docs(product: Product) -> Any:
    page = product.new_page()
    page.goto("/portal/docs")
    expect(page.get_by_role("heading", name="API Wiki and Docs", level=1)).to_be_visible()
    return page


def test_the_docs_open_without_logging_in_with_every_section_and_operation(
    product: Product,
) -> None:
    page = open_docs(product)
    for section in (
        "Get an access token",
        "The SOAP header: AiqSoapHeader",
        "Results: Status and ErrorCode",
        "Operations",
        "Types",
        "Error codes",
    ):
        expect(page.get_by_role("heading", name=section, level=2)).to_be_visible()
    # The token flow, with this server's own URLs (settings.base_url).
    expect(page.get_by_test_id("token-url")).to_have_text(f"{product.url}/oauth/token")
    expect(page.get_by_test_id("metadata-url")).to_have_attribute(
        "href", f"{product.url}/.well-known/oauth-authorization-server"
    )
    methods = page.get_by_test_id("auth-methods")
    for method in ("client_secret_basic", "client_secret_post", "private_key_jwt"):
        expect(methods).to_contain_text(method)
    # Every operation of the service, each with its three examples.
    expect(page.get_by_test_id("operation")).to_have_count(len(OPERATIONS))
    for name in OPERATIONS:
        operation = page.locator(f"#op-{name}")
        expect(operation.get_by_role("heading", name=name, exact=True)).to_be_visible()
        for key in ("python", "csharp", "curl"):
            expect(page.get_by_test_id(f"example-{name}-{key}")).to_be_visible()
    # One operation in detail: its input, its output and its examples.
    get_customer = page.locator("#op-GetCustomer")
    expect(get_customer.get_by_role("table", name="Inputs of GetCustomer")).to_contain_text(
        "customerCode"
    )
    expect(get_customer.get_by_role("table", name="Output of GetCustomer")).to_contain_text(
        "ErrorCode"
    )
    python = page.get_by_test_id("example-GetCustomer-python")
    expect(python).to_contain_text(f'zeep.Client("{product.url}/soap?wsdl"')
    expect(python).to_contain_text('client.service.GetCustomer(customerCode="ACME"')
    curl = page.get_by_test_id("example-GetCustomer-curl")
    expect(curl).to_contain_text(f'curl -s "{product.url}/soap"')
    expect(curl).to_contain_text("<tns:customerCode>ACME</tns:customerCode>")
    expect(page.get_by_test_id("example-GetCustomer-csharp")).to_contain_text(
        "new HttpRequestMessage(HttpMethod.Post"
    )
    # The table of contents leads to the operation.
    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="UpdateCustomer"
    ).click()
    assert page.url.endswith("/portal/docs#op-UpdateCustomer")
    # Every error code, with what it means.
    table = page.get_by_test_id("error-codes")
    for code in ERROR_CODES:
        expect(table.get_by_role("row").filter(has_text=code)).to_have_count(1)
    product.screenshot(page, "portal-api-docs")


def test_copy_copies_the_example(product: Product) -> None:
    page = open_docs(product)
    example = page.get_by_test_id("example-GetCustomer-python")
    button = page.get_by_role("button", name="Copy GetCustomer example in Python (zeep)")
    expect(button).to_be_visible()  # shown once the module runs
    button.click()
    status = page.locator("#op-GetCustomer").get_by_role("status").filter(has_text="Copied")
    expect(status).to_have_count(1)
    assert page.evaluate("navigator.clipboard.readText()") == example.text_content()
    page.get_by_role("button", name="Copy token request in curl, client_secret_basic").click()
    expect(status).to_have_count(0)  # one "Copied" at a time
    assert page.evaluate("navigator.clipboard.readText()") == (
        page.get_by_test_id("token-example-curl").text_content()
    )


def test_an_apps_page_links_to_the_docs(product: Product) -> None:
    app = product.create_app("Documented Feed")
    verified_client(product, app)
    page = product.new_page()
    page.goto("/portal/")
    log_in_to_portal(page)
    page.get_by_role("link", name="Open Documented Feed").click()
    link = page.get_by_role("link", name="API Wiki and Docs")
    expect(link).to_have_attribute("href", "/portal/docs")
    # The links that were there stay.
    expect(page.get_by_role("link", name="SOAP API (WSDL)")).to_be_visible()
    expect(page.get_by_role("link", name="API documentation (OpenAPI)")).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", name="API Wiki and Docs", level=1)).to_be_visible()
    assert page.url == f"{product.url}/portal/docs"
    page.get_by_role("link", name="My applications").click()
    expect(page.get_by_role("link", name="Open Documented Feed")).to_be_visible()


def run_python(code: str) -> str:
    """Runs an example as a script would (its own globals), returning what it printed."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "example.py", "exec"), {"__name__": "__main__"})
    except SystemExit as failed:  # how the examples report a Failure
        raise AssertionError(f"{failed}\n{code}") from None
    return printed.getvalue()


def run_shell(code: str) -> str:
    ran = subprocess.run(
        ["bash", "-c", code], capture_output=True, text=True, timeout=60, env=os.environ.copy()
    )
    assert ran.returncode == 0, (code, ran.stderr)
    return ran.stdout


def test_the_python_and_curl_examples_run_as_shown(
    product: Product, monkeypatch: pytest.MonkeyPatch
) -> None:
    """C# is not run here (no .NET on the machine); its envelope is the curl example's."""
    app = product.create_app(
        "Example Runner", api_permission="read_write", entity_ids=product.entity_ids[:2]
    )
    client = verified_client(product, app)
    page = open_docs(product)

    def example(test_id: str) -> str:
        return str(page.get_by_test_id(test_id).text_content())

    monkeypatch.setenv("AIQ_CLIENT_ID", client.client_id)
    monkeypatch.setenv("AIQ_CLIENT_SECRET", client.client_secret)
    assert run_python(example("token-example-python")).strip()
    for key in ("curl", "curl-post"):
        answer = json.loads(run_shell(example(f"token-example-{key}")))
        assert answer["token_type"].lower() == "bearer", key
    monkeypatch.setenv("AIQ_ACCESS_TOKEN", answer["access_token"])

    # UpdateCustomer first (it creates ACME, which GetCustomer reads); Python on E01, curl on
    # E02, so each creates its own customer.
    order = ["UpdateCustomer", *[name for name in OPERATIONS if name != "UpdateCustomer"]]
    for language, entity in (("python", "E01"), ("curl", "E02")):
        monkeypatch.setenv("AIQ_ENTITY", entity)
        for name in order:
            code = example(f"example-{name}-{language}")
            if language == "python":
                printed = run_python(code)  # an example raises SystemExit on Failure
            else:
                printed = run_shell(code)
                assert ">Failure<" not in printed, (name, printed)
                if name != "Ping":
                    assert ">Success<" in printed, (name, printed)
            if name == "Ping":
                assert "pong" in printed
            if name in ("GetCustomer", "UpdateCustomer", "GetCustomerList"):
                assert "Acme Ltd" in printed, (name, language, printed)
            if name == "GetEntitiesByToken":
                assert "E01" in printed and "E02" in printed
