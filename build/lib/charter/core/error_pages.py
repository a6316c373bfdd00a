"""The server error answers (`handler500`): a generic page, or a generic JSON body under /api/, each
with the request id to quote, never a traceback or the exception's text.

Rendered without the request's context processors, so a failing database cannot break the error page.
"""

from django.http import HttpResponseServerError, JsonResponse
from django.template import loader

DETAIL = "Something went wrong on our side. It was logged; quote the request id if you report it."


def server_error(request):
    request_id = getattr(request, "request_id", "")
    if request.path.startswith("/api/"):
        body = {"code": "server_error", "detail": DETAIL, "errors": {}, "request_id": request_id}
        return JsonResponse(body, status=500)
    html = loader.get_template("500.html").render({"request_id": request_id, "detail": DETAIL})
    return HttpResponseServerError(html)
