"""The one family of application errors; each interface translates them in one place."""


class DomainError(Exception):
    """A request that the domain refuses; `status` is the HTTP status the interfaces answer with."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: [message]} if field else {})

    def as_dict(self) -> dict:
        return {"code": self.code, "detail": self.message, "errors": self.errors}


class ValidationError(DomainError):
    """Input that breaks a rule; `field` (or `errors`) says where."""

    status = 422
    code = "validation_error"


class PermissionDenied(DomainError):
    """The actor is known but its role or authority does not allow the action."""

    status = 403
    code = "permission_denied"


class NotFound(DomainError):
    """Missing, or belonging to another organization: the two are never told apart."""

    status = 404
    code = "not_found"

    def __init__(self, message: str = "Not found.", **kwargs):
        super().__init__(message, **kwargs)


class Conflict(DomainError):
    """The object changed since the caller read it (a stale version) or already exists."""

    status = 409
    code = "conflict"


class UnscopedQuery(RuntimeError):
    """A query on an organization-scoped model ran without an organization: a bug, never data."""
