"""The one place where API errors become responses: `{"code", "detail", "errors": {field: [messages]}}`."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, ValidationError

from charter.core import unavailable
from charter.core.errors import DomainError, NotFound

# Where ninja says a bad value came from; the field path starts after it (and after the body's name).
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
BODY_PARAM = "payload"


# The OpenAPI response content of the shared error body (the schema is added by `main.CharterAPI`).
ERROR_CONTENT = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def body(code: str, detail: str, errors: dict | None = None) -> dict:
    return {"code": code, "detail": detail, "errors": errors or {}}


def field_path(loc) -> str:
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == BODY_PARAM:
            parts.pop(0)
    return ".".join(str(p) for p in parts) or "__all__"


def validation_errors(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(field_path(error.get("loc", ())), []).append(error.get("msg", "Invalid value."))
    return fields


def install(api) -> None:
    """Register the handlers on `api`."""

    def respond(request, status: int, data: dict, **headers):
        response = api.create_response(request, data, status=status)
        for name, value in headers.items():
            response[name] = value
        return response

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        retry_after = getattr(exc, "retry_after", None)  # e.g. an idempotency key still in progress
        headers = {"Retry-After": str(retry_after)} if retry_after else {}
        return respond(request, exc.status, exc.as_dict(), **headers)

    @api.exception_handler(ValidationError)
    def invalid_input(request, exc: ValidationError):
        errors = validation_errors(exc.errors)
        return respond(request, 422, body("validation_error", "The request is not valid.", errors))

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request, exc: AuthenticationError):
        detail = (
            exc.message
            if exc.message != "Unauthorized"
            else "Sign in, or send Authorization: Bearer <token>."
        )
        return respond(request, 401, body("not_authenticated", detail), **{"WWW-Authenticate": "Bearer"})

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, exc: RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        detail = f"The request body is larger than {limit / 1_048_576:g} MB; send less."
        return respond(request, 413, body("request_too_large", detail))

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_error(request, exc):
        """The database out of reach: 503 with Retry-After; any other database error stays a 500."""
        if not unavailable.database_unavailable(exc):
            raise exc
        return respond(
            request, 503, unavailable.error_body(), **{"Retry-After": str(unavailable.RETRY_AFTER_SECONDS)}
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return domain_error(request, NotFound())

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        code = {400: "bad_request", 403: "permission_denied"}.get(exc.status_code, "http_error")
        return respond(request, exc.status_code, body(code, exc.message))


def document_unavailable(schema: dict) -> None:
    """Add the 503 answer (the database out of reach for a moment), with Retry-After, to every operation."""
    description = (
        "The database is out of reach for a moment (a restart); retry after the seconds in Retry-After."
    )
    header = {
        "Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}
    }
    for operations in schema["paths"].values():
        for operation in operations.values():
            operation["responses"].setdefault(
                "503", {"description": description, "headers": header, **ERROR_CONTENT}
            )
