"""The server error answers (`handler500`): a generic page, or a generic JSON body under /api/, each
with the request id to quote, never a traceback or the exception's text. When the error is the database
out of reach (`core.unavailable`), a 503 with `Retry-After` instead: a short "back in a moment" page, or
the API's error body with code `unavailable`.

Rendered without the request's context processors, so a failing database cannot break the error page.
"""

import sys

from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader

from .unavailable import RETRY_AFTER_SECONDS, database_unavailable, error_body

DETAIL = "Something went wrong on our side. It was logged; quote the request id if you report it."


def server_error(request):
    # Django calls the handler inside its `except` block: the exception being handled is the cause.
    if database_unavailable(sys.exc_info()[1]):
        return unavailable(request)
    request_id = getattr(request, "request_id", "")
    if request.path.startswith("/api/"):
        body = {"code": "server_error", "detail": DETAIL, "errors": {}, "request_id": request_id}
        return JsonResponse(body, status=500)
    html = loader.get_template("500.html").render({"request_id": request_id, "detail": DETAIL})
    return HttpResponseServerError(html)


def unavailable(request) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, else the "back in a moment" page."""
    request_id = getattr(request, "request_id", "")
    if request.path.startswith("/api/"):
        response = JsonResponse({**error_body(), "request_id": request_id}, status=503)
    else:
        html = loader.get_template("503.html").render(
            {
                "request_id": request_id,
                "seconds": RETRY_AFTER_SECONDS,
                # A GET can simply be asked again; a form sent may not have been saved.
                "again": request.get_full_path() if request.method == "GET" else "",
            }
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
