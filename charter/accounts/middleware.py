"""Per-request account settings: the person's time zone, and an organization's two-factor requirement.

Both read only what the request already holds: the user row (read with the actor, ADR 11) and the
actor's organization. Neither costs a query.
"""

import zoneinfo

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

# Where a person without two-factor may still go when their organization requires it.
ALLOWED_WITHOUT_TWO_FACTOR = frozenset({"two_factor_enrol", "logout", "organization_switch"})
# The issuer of a session signed in by single sign-on: the provider's own sign-in (and its MFA policy)
# stands for Charter's two-factor (ADR 25).
SSO_SESSION = "_charter_sso"


class TimeZoneMiddleware:
    """Times on pages in the signed-in person's own time zone (the installation's when they chose none)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = request.user.time_zone if request.user.is_authenticated else ""
        if name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class TwoFactorRequiredMiddleware:
    """A member of an organization that requires two-factor, signed in without it, lands on the enrol
    page first (sign-out and switching organization stay open). API tokens carry no session actor, so
    they are not affected; nor is a session signed in by single sign-on (the provider's MFA counts)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        actor = getattr(request, "actor", None)
        if (
            actor is not None
            and actor.organization.require_two_factor
            and not request.user.two_factor
            and not request.session.get(SSO_SESSION)
            and not _allowed(request.path_info)
        ):
            url = reverse("two_factor_enrol")
            if getattr(request, "htmx", False):
                response = HttpResponseRedirect(url)
                response["HX-Redirect"] = url
                return response
            messages.info(
                request,
                f"{actor.organization.name} asks everyone to sign in with an authenticator app code as "
                "well. Set it up here to continue.",
            )
            return HttpResponseRedirect(url)
        return self.get_response(request)


def _allowed(path: str) -> bool:
    if path.startswith("/static/"):
        return True
    try:
        return resolve(path).url_name in ALLOWED_WITHOUT_TWO_FACTOR
    except Resolver404:
        return True  # a 404 shows nothing
