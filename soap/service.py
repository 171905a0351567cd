"""The spyne service: reads the SOAP request, calls the gateway, builds the SOAP reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spyne import Application, Boolean, ServiceBase, Unicode, rpc
from spyne import const as spyne_const
from spyne.protocol.soap import Soap11

from domain.errors import DomainError, NotFoundError
from soap.gateway import AccountingGateway, ApiError, Grant
from soap.types import (
    CUSTOMER_FIELDS,
    TNS,
    AiqSoapHeader,
    CompanyInformation,
    CompanyInformationResult,
    Customer,
    CustomerListResult,
    CustomerResult,
    Entity,
    EntityListResult,
    GLAccount,
    GLAccountListResult,
)


def _bearer(ctx: Any) -> str | None:
    header = ctx.transport.req_env.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return str(token.strip())
    soap_header = ctx.in_header
    return getattr(soap_header, "AccessToken", None) if soap_header is not None else None


def _call(
    ctx: Any, operation: str, result_type: Any, action: Callable[[AccountingGateway, Grant], Any]
) -> Any:
    """Authorise, act, and wrap the outcome in the {Status, ErrorCode, ...} envelope."""
    gateway: AccountingGateway = ctx.app.gateway
    entity = getattr(ctx.in_header, "Entity", None) if ctx.in_header is not None else None
    try:
        address = ctx.transport.req_env.get("REMOTE_ADDR")  # the client's, behind TRUSTED_PROXIES
        grant = gateway.authorise(_bearer(ctx), entity, operation, address)
        result = action(gateway, grant)
    except ApiError as error:
        if error.retry_after:  # RATE_LIMITED: HTTP says so too (SPEC 15)
            ctx.transport.resp_code = "429 Too Many Requests"
            ctx.transport.resp_headers["Retry-After"] = str(error.retry_after)
        return result_type(
            Status="Failure",
            ErrorCode=error.code,
            ErrorMessage=error.message,
            HasExpired=error.has_expired,
        )
    except DomainError as error:
        code = "NOT_FOUND" if isinstance(error, NotFoundError) else "VALIDATION_FAILED"
        field = f" ({error.field})" if error.field else ""
        return result_type(
            Status="Failure", ErrorCode=code, ErrorMessage=error.message + field, HasExpired=False
        )
    return result_type(Status="Success", HasExpired=False, Result=result)


def _customer(data: dict[str, Any]) -> Customer:
    return Customer(**{soap: data.get(field) for soap, field in CUSTOMER_FIELDS.items()})


class AccountingService(ServiceBase):  # type: ignore[misc]
    __in_header__ = AiqSoapHeader

    @rpc(_returns=Unicode)
    def Ping(ctx: Any) -> str:
        """A no-op without authorisation (health checks, benchmarks' baseline)."""
        return "pong"

    @rpc(_returns=EntityListResult)
    def GetEntitiesByToken(ctx: Any) -> Any:
        return _call(
            ctx,
            "GetEntitiesByToken",
            EntityListResult,
            lambda gw, g: [Entity(Code=e["code"], Name=e["name"]) for e in gw.entities(g)],
        )

    @rpc(_returns=CompanyInformationResult)
    def GetCompanyInformation(ctx: Any) -> Any:
        def company(gw: AccountingGateway, g: Grant) -> CompanyInformation:
            info = gw.company(g)
            return CompanyInformation(
                Code=info["code"], Name=info["name"], BaseCurrency=info["base_currency"]
            )

        return _call(ctx, "GetCompanyInformation", CompanyInformationResult, company)

    @rpc(_returns=GLAccountListResult)
    def GetGLAccountList(ctx: Any) -> Any:
        return _call(
            ctx,
            "GetGLAccountList",
            GLAccountListResult,
            lambda gw, g: [
                GLAccount(Code=a["code"], Name=a["name"], AccountType=a["type"])
                for a in gw.gl_accounts(g)
            ],
        )

    @rpc(_returns=CustomerListResult)
    def GetCustomerList(ctx: Any) -> Any:
        return _call(
            ctx,
            "GetCustomerList",
            CustomerListResult,
            lambda gw, g: [_customer(c) for c in gw.customers(g)],
        )

    @rpc(Unicode(max_len=64), _returns=CustomerResult)
    def GetCustomer(ctx: Any, customerCode: str) -> Any:
        return _call(
            ctx,
            "GetCustomer",
            CustomerResult,
            lambda gw, g: _customer(gw.customer(g, customerCode)),
        )

    @rpc(Customer, Boolean, _returns=CustomerResult)
    def UpdateCustomer(ctx: Any, customer: Any, create: bool) -> Any:
        def save(gw: AccountingGateway, g: Grant) -> Customer:
            if customer is None:
                raise ApiError("VALIDATION_FAILED", "the customer element is missing")
            fields = {
                field: getattr(customer, soap, None) for soap, field in CUSTOMER_FIELDS.items()
            }
            return _customer(gw.save_customer(g, fields, bool(create)))

        return _call(ctx, "UpdateCustomer", CustomerResult, save)


def soap_application(gateway: AccountingGateway) -> Application:
    # spyne runs a full garbage collection once a second in every process, when a call ends
    # (to close its files sooner); no call here opens a file, and such a collection cost
    # ~70 ms of the process's CPU in a profile. Python's own collector still runs.
    spyne_const.MIN_GC_INTERVAL = float("inf")
    application = Application(
        [AccountingService],
        tns=TNS,
        name="AccountingApi",
        in_protocol=Soap11(validator="soft"),
        out_protocol=Soap11(),
    )
    application.gateway = gateway  # reached by handlers as ctx.app.gateway
    return application
