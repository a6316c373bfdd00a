"""The API's rate limit: `CHARTER_API_RATE_LIMIT` requests a minute per token (or per signed-in person
using the session), counted in the database so every worker process shares the count; 0 turns it off.

A refused request gets 429 with `Retry-After` (seconds until the minute's window ends) and the shared
error body. The check runs after authentication, so an unknown token is a 401, never counted.
"""

import threading
import time

from django.conf import settings
from ninja.errors import Throttled
from ninja.throttling import BaseThrottle

from charter.organizations.throttle import hit, window_start

from . import errors

WINDOW = 60
RETRY_AFTER_HEADER = {
    "Retry-After": {
        "description": "Seconds to wait before the next request.",
        "schema": {"type": "integer"},
    }
}


class RateLimit(BaseThrottle):
    """Counts the request against its token (or person); refuses once the minute's limit is passed."""

    def __init__(self):
        self._wait = threading.local()  # ninja asks wait() right after allow_request() in the same thread

    def allow_request(self, request) -> bool:
        limit = settings.CHARTER_API_RATE_LIMIT
        actor = getattr(request, "auth", None)
        if limit <= 0 or actor is None:
            return True
        key = f"api:token:{actor.token_id}" if actor.token_id else f"api:user:{actor.user_id}"
        now = time.time()
        if hit(key, seconds=WINDOW, now=now) <= limit:
            return True
        self._wait.seconds = window_start(now, WINDOW) + WINDOW - now
        return False

    def wait(self) -> float | None:
        return getattr(self._wait, "seconds", None)


def install(api) -> None:
    """Limit every operation of `api` (call before its routers are added)."""
    api.throttle = [RateLimit()]

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        seconds = int(exc.wait + 0.999) if exc.wait is not None else WINDOW
        detail = (
            f"Too many requests: at most {settings.CHARTER_API_RATE_LIMIT} a minute per token. "
            f"Retry after {seconds} seconds."
        )
        return api.create_response(request, errors.body("rate_limited", detail), status=429)


def document(schema: dict) -> None:
    """Add the 429 answer, with its Retry-After header, to every operation of the OpenAPI document."""
    description = "Too many requests from this token or person; wait the seconds in Retry-After."
    for operations in schema["paths"].values():
        for operation in operations.values():
            operation["responses"].setdefault(
                "429", {"description": description, "headers": RETRY_AFTER_HEADER, **errors.ERROR_CONTENT}
            )
