"""The REST API at /api/v1: one NinjaAPI that collects the router of every domain app.

Every operation declares its permission action (`x-charter-action`); it is checked here, once the
caller is known, so a router cannot forget it (`install_checks`).
"""

from functools import wraps
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from ninja import NinjaAPI
from ninja.errors import ValidationError

from charter.core.api import ACTION_KEY
from charter.core.errors import PermissionDenied
from charter.core.schemas import ErrorOut

from . import errors, idempotency, inputs, throttle
from .auth import SessionAuth, TokenAuth

ERROR_RESPONSES = {
    "400": "The body is not valid JSON.",
    "401": "Not signed in, or the token is unknown, revoked or expired.",
    "403": "Your role may not do this (or the CSRF check of a session write failed).",
    "404": "No such object in your organization.",
    "409": "The object changed since you read it, or its state does not allow this now.",
    "413": "The body is larger than the server takes (`request_too_large`).",
    "422": "Invalid input; `errors` names each field.",
}


class CharterAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Document the shared error body on every operation (they are answered by the handlers)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema["components"]["schemas"]["Error"] = ErrorOut.model_json_schema()
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                for status, description in ERROR_RESPONSES.items():
                    if status in ("400", "413") and "requestBody" not in operation:
                        continue
                    if status == "409" and method == "get":
                        continue
                    if int(status) not in operation["responses"]:  # an operation's own (409 current) stays
                        answer = {"description": description, **errors.ERROR_CONTENT}
                        operation["responses"].setdefault(status, answer)
        idempotency.document(schema)
        inputs.document_bounds(schema)
        throttle.document(schema)  # after the bounds: its header's schema is a shared constant
        errors.document_unavailable(schema)
        return schema


ACTION_ATTR = "api_action"  # the request's note of its operation's declared action


def _declare(run):
    """View decorator (the API's first): note the operation's declared action on the request.

    A view decorator receives ninja's `Operation.run`, bound to its operation, and runs before anything
    else: the action is read here once, when the API is built, and noted on each request for `_guard`.
    """
    operation = getattr(run, "__self__", None)
    if operation is None:
        raise ImproperlyConfigured("The action's declaration must be the first view decorator of the API.")
    required = (operation.openapi_extra or {}).get(ACTION_KEY)

    @wraps(run)
    def declared(request, *args, **kwargs):
        setattr(request, ACTION_ATTR, required)
        return run(request, *args, **kwargs)

    return declared


def _guard(view_func):
    """Operation decorator (the API's outermost): check the declared action against the caller's role.

    Ninja runs operation decorators after authentication and the parsing of the input, right before the
    operation's body: here the caller is known, and nothing has been written yet (not even an
    `Idempotency-Key`).
    """

    @wraps(view_func)
    def checked(request, *args, **kwargs):
        required = getattr(request, ACTION_ATTR, None)
        if not required:  # fail closed: an operation without an action is a bug, never open
            raise PermissionDenied("This operation declares no permission action.")
        request.auth.require(required)
        if unstorable := inputs.problems(kwargs):
            raise ValidationError(unstorable)
        return view_func(request, *args, **kwargs)

    return checked


def install_checks(api: NinjaAPI) -> None:
    """The checks every operation passes, through ninja's public decorators, in this order: the action
    noted (before authentication), then after authentication and parsing the action checked, then the
    `Idempotency-Key` claimed around the body (and its answer stored once ninja has made the response).

    Ninja applies the decorators of one mode in the order they are added, each wrapping the previous:
    the last added runs first. So the guard, which must run before the key is claimed, comes last."""
    api.add_decorator(_declare, mode="view")  # first: it needs the bound `run`
    idempotency.install(api)
    api.add_decorator(_guard, mode="operation")


def domain_routers():
    """(app label, router) of every Charter app that has an `api` module with a `router`."""
    for config in apps.get_app_configs():
        if config.name.startswith("charter.") and find_spec(f"{config.name}.api"):
            module = import_module(f"{config.name}.api")
            if hasattr(module, "router"):
                yield config.label, module.router


def build() -> NinjaAPI:
    api = CharterAPI(
        title="Charter",
        version="1",
        description="Mission-based leadership: mission, goals with intent, key results, check-ins.",
        urls_namespace="api",
        auth=[TokenAuth(), SessionAuth()],
        docs_url="/docs",
    )
    errors.install(api)
    throttle.install(api)  # before the routers: they take the API's throttle when added
    install_checks(api)
    for _, router in domain_routers():
        api.add_router("", router)
    return api


api = build()
