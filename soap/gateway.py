"""Authorises each API call against live state and carries it out.

The token's signature and expiry are checked without a database read (it is a signed JWT
naming its app and jti); then one read of the access view gives the app's revocation, its
entity scope and permission, and whether this token was revoked. Commands that change those
return only after that view caught up, so a call that follows an admin's change (or an RFC
7009 revocation) sees it, whichever process serves it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from domain.addresses import address_allowed
from domain.handlers.accounting import AccountingHandler, ApiCaller
from domain.naming import has_control_characters
from domain.ports import Clock, QuotaAnswer
from domain.tokens import MAX_ACCESS_TOKEN_CHARS, AccessClaims, AccessToken, InvalidAccessToken
from projections.access import AccessView
from projections.accounting import AccountingView
from projections.directory import DirectoryView

NEEDS_ENTITY = frozenset(
    {
        "GetCompanyInformation",
        "GetGLAccountList",
        "GetCustomerList",
        "GetCustomer",
        "UpdateCustomer",
    }
)
WRITES = frozenset({"UpdateCustomer"})


class ApiError(Exception):
    def __init__(
        self, code: str, message: str, has_expired: bool = False, retry_after: int = 0
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.has_expired = has_expired
        self.retry_after = retry_after  # RATE_LIMITED: seconds, for HTTP 429's Retry-After


@dataclass(frozen=True)
class Grant:
    caller: ApiCaller
    entity_ids: list[str]
    entity_name: str


class DeniedCalls(Protocol):
    def record(
        self, app_id: UUID, client_id: str, operation: str, entity: str, reason: str
    ) -> None: ...


class Usage(Protocol):
    def call_served(self, app_id: UUID, write: bool) -> None: ...

    def call_denied(self, app_id: UUID, code: str) -> None: ...


class Quota(Protocol):
    def hit(self, app_id: str, per_minute: int) -> QuotaAnswer: ...


class TokenVerifier(Protocol):
    def verify(self, token: str) -> AccessClaims:
        """The claims of a token signed by a key still accepted, or InvalidAccessToken."""
        ...


class AccountingGateway:
    def __init__(
        self,
        *,
        access: AccessView,
        tokens: TokenVerifier,
        directory: DirectoryView,
        accounting: AccountingView,
        commands: AccountingHandler,
        denied_calls: DeniedCalls,
        clock: Clock,
        wait_for_views: Callable[..., None],
        usage: Usage,
        quota: Quota | None,
        default_rate_limit: int,
    ) -> None:
        self.access = access
        self.tokens = tokens
        self.directory = directory
        self.accounting = accounting
        self.commands = commands
        self.denied_calls = denied_calls
        self.clock = clock
        self.wait_for_views = wait_for_views
        self.usage = usage
        self.quota = quota  # None: throttling is off (RATELIMIT_ENABLED=false)
        self.default_rate_limit = default_rate_limit

    def authorise(
        self,
        token: str | None,
        entity_code: str | None,
        operation: str,
        client_address: str | None = None,
    ) -> Grant:
        if has_control_characters(f"{token or ''}{entity_code or ''}"):
            raise ApiError("VALIDATION_FAILED", "control characters are not allowed")
        if not token or len(token) > MAX_ACCESS_TOKEN_CHARS:
            raise ApiError("INVALID_TOKEN", "send Authorization: Bearer <access token>")
        try:
            claims = self.tokens.verify(token)
        except InvalidAccessToken:
            raise ApiError("INVALID_TOKEN", "the access token is not valid") from None
        if claims.expires_at <= self.clock.now():
            self._deny(
                claims,
                operation,
                entity_code,
                "TOKEN_EXPIRED",
                "the access token has expired; get a new one",
                has_expired=True,
            )
        token_id = str(AccessToken.create_id(claims.jti))
        access = self.access.for_call(str(claims.app_id), token_id, (entity_code or "")[:64])
        if access is None or access["client_id"] != claims.client_id:
            raise ApiError("INVALID_TOKEN", "the access token is not valid")
        if access["token_revoked"]:
            self._deny(
                claims, operation, entity_code, "INVALID_TOKEN", "the access token was revoked"
            )
        if access["revoked"]:
            self._deny(
                claims,
                operation,
                entity_code,
                "APPLICATION_REVOKED",
                "the integration application was revoked",
            )
        if access["suspended"]:
            self._deny(
                claims,
                operation,
                entity_code,
                "APPLICATION_SUSPENDED",
                "the application is suspended: its group's plan does not include integrations",
            )
        version = claims.secret_version
        if version is not None and version <= access["secrets_ended_version"]:
            self._deny(
                claims,
                operation,
                entity_code,
                "INVALID_TOKEN",
                "the client secret this token was obtained with was ended",
            )
        if not address_allowed(client_address, access["allowed_ips"]):
            self._deny(
                claims,
                operation,
                entity_code,
                "IP_NOT_ALLOWED",
                "the application may not be used from your address",
            )
        if operation in NEEDS_ENTITY:
            self._check_entity(claims, access, operation, entity_code)
        if operation in WRITES and access["api_permission"] != "read_write":
            self._deny(claims, operation, entity_code, "READ_ONLY", "the application may only read")
        self._within_quota(claims, access, operation, entity_code)
        self.usage.call_served(claims.app_id, operation in WRITES)
        caller = ApiCaller(
            app_id=UUID(access["app_id"]),
            client_id=access["client_id"],
            group_id=UUID(access["group_id"]),
            entity_id=access["entity_id"] or "",
            entity_code=access["entity_code"] or "",
        )
        return Grant(caller, list(access["entity_ids"]), access["entity_name"] or "")

    def _check_entity(
        self, claims: AccessClaims, access: dict[str, Any], operation: str, entity_code: str | None
    ) -> None:
        code = (entity_code or "").strip()
        if not code:
            raise ApiError("ENTITY_REQUIRED", "name the entity in AiqSoapHeader/Entity")
        if access["entity_id"] is None or access["entity_id"] not in access["entity_ids"]:
            self._deny(
                claims,
                operation,
                code,
                "ENTITY_NOT_PERMITTED",
                f"the application may not access entity {code[:64]}",
            )

    def _within_quota(
        self, claims: AccessClaims, access: dict[str, Any], operation: str, entity: str | None
    ) -> None:
        """SPEC 15: the app's calls a minute, counted across every process."""
        if self.quota is None:
            return
        per_minute = access["rate_limit"] or self.default_rate_limit
        answer = self.quota.hit(access["app_id"], per_minute)
        if not answer.allowed:
            self._deny(
                claims,
                operation,
                entity,
                "RATE_LIMITED",
                f"more than {per_minute} calls a minute; retry in {answer.retry_after} s",
                retry_after=answer.retry_after,
            )

    def _deny(
        self,
        claims: AccessClaims,
        operation: str,
        entity: str | None,
        code: str,
        message: str,
        has_expired: bool = False,
        retry_after: int = 0,
    ) -> None:
        """Refusals of a known app's calls go to its activity log and its usage, then to the
        caller."""
        self.denied_calls.record(
            claims.app_id, claims.client_id, operation, (entity or "")[:64], code
        )
        self.usage.call_denied(claims.app_id, code)
        raise ApiError(code, message, has_expired, retry_after)

    # -- the operations, once authorised ----------------------------------------------------
    def entities(self, grant: Grant) -> list[dict[str, Any]]:
        allowed = set(grant.entity_ids)
        group = str(grant.caller.group_id)
        return [e for e in self.directory.entities(group) if e["id"] in allowed]

    def company(self, grant: Grant) -> dict[str, Any]:
        books = self.accounting.books(grant.caller.entity_id)
        return {
            "code": grant.caller.entity_code,
            "name": grant.entity_name,
            "base_currency": books["base_currency"] if books else "",
        }

    def gl_accounts(self, grant: Grant) -> list[dict[str, Any]]:
        return self.accounting.gl_accounts(grant.caller.entity_id)

    def customers(self, grant: Grant) -> list[dict[str, Any]]:
        return self.accounting.customers(grant.caller.entity_id)

    def customer(self, grant: Grant, code: str) -> dict[str, Any]:
        if has_control_characters(code or ""):
            raise ApiError("VALIDATION_FAILED", "control characters are not allowed")
        found = self.accounting.customer(grant.caller.entity_id, (code or "")[:64])
        if found is None:
            raise ApiError("NOT_FOUND", f"customer {str(code)[:64]} not found")
        return found

    def save_customer(self, grant: Grant, fields: dict[str, Any], create: bool) -> dict[str, Any]:
        code = str(fields.pop("code", "") or "")
        saved = self.commands.save_customer(grant.caller, code, fields, create)
        # The caller's next call (any process) reads the customer from the accounting view.
        self.wait_for_views(saved.position, "accounting")
        return self.customer(grant, code)
