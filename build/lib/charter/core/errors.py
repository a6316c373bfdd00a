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
    """The object changed since the caller read it (a stale version) or already exists.

    `current`, when an interface sets it, is the object as it stands now (in the shape the interface
    reads it), so a caller can merge and retry without another request.
    """

    status = 409
    code = "conflict"

    def __init__(self, message: str, *, current: dict | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.current = current

    def as_dict(self) -> dict:
        data = super().as_dict()
        if self.current is not None:
            data["current"] = self.current
        return data


class UnscopedQuery(RuntimeError):
    """A query on an organization-scoped model ran without an organization: a bug, never data."""
