"""Domain errors. The API maps each class to one HTTP status in one place."""

from __future__ import annotations

from eventsourcing.persistence import IntegrityError


class DomainError(Exception):
    """Base class: a rule of the product refused a command."""

    code = "error"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class AuthenticationError(DomainError):
    code = "unauthenticated"


class PermissionDeniedError(DomainError):
    code = "forbidden"


class NotFoundError(DomainError):
    code = "not_found"


class ConflictError(DomainError):
    code = "conflict"


class StaleVersionError(DomainError):
    code = "precondition_failed"


class ValidationError(DomainError):
    code = "validation_failed"


class GoneError(DomainError):
    """Something that existed has expired or been replaced (an invite, a code)."""

    code = "gone"


class ConcurrentChangeError(ConflictError, IntegrityError):
    """Two commands changed the same aggregate at once; this one lost (reload and retry).

    It is also an IntegrityError, so code that claims a unique key keeps recognising it.
    """


class PlanRequiredError(PermissionDeniedError):
    """The group's product plan does not include integration applications (SPEC 11)."""

    code = "plan_required"

    def __init__(self, message: str = "", field: str | None = None) -> None:
        super().__init__(
            message or "Integration Applications are available on the AIQ3 plan only", field
        )
