"""Domain errors. Each carries a stable ``code`` that the bot turns into a translated message."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a rule of the domain refused a request. Nothing was changed."""

    code = "domain_error"

    def __init__(self, message: str = "", **details: object) -> None:
        super().__init__(message or self.code)
        self.details = details


class NotFound(DomainError):
    code = "not_found"


class PermissionDenied(DomainError):
    code = "permission_denied"


class IllegalTransition(DomainError):
    code = "illegal_transition"


class ValidationFailed(DomainError):
    code = "validation_failed"


class NoAssignee(DomainError):
    code = "no_assignee"


class NotBound(DomainError):
    """The person is not bound to any grid."""

    code = "not_bound"


class RateLimited(DomainError):
    code = "rate_limited"
