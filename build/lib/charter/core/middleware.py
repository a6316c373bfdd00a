"""Request ids for the audit trail, and the HTML translation of domain errors."""

import re
import uuid

from django.shortcuts import render

from .errors import DomainError

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class DomainErrorMiddleware:
    """Turns a DomainError that escaped a view into an error page with the right status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            template = "partials/error.html" if getattr(request, "htmx", False) else "error.html"
            return render(request, template, {"error": exception}, status=exception.status)
        return None
