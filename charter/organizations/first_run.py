"""First run: while nobody has an account, every page sends the visitor to the setup page.

Cheap on purpose: a signed-in request is never checked (someone exists), static files, the API and the
setup page itself are passed by their path, and once a person is found the answer is kept for the
life of the process (people are not deleted back to none), so a running installation pays one query
per process, on its first anonymous page.
"""

from django.shortcuts import redirect
from django.urls import reverse

from .models import User

_PASSED = ("/static/", "/api/", "/setup/")  # paths inside the site (`path_info`: no script prefix)
_someone_exists = False


def someone_exists() -> bool:
    """Whether any account exists; kept once true."""
    global _someone_exists
    if not _someone_exists:
        _someone_exists = User.objects.exists()
    return _someone_exists


def forget() -> None:
    """Ask the database again next time (tests that empty it)."""
    global _someone_exists
    _someone_exists = False


class FirstRunMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not _someone_exists
            and not request.user.is_authenticated
            and not request.path_info.startswith(_PASSED)
            and not someone_exists()
        ):
            return redirect(reverse("setup"))
        return self.get_response(request)
