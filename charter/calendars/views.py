"""The feed itself (token only, no session) and the page where a person turns their feed on or off."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from charter.core.http import public, requires

from . import ics, selectors, services


@public
@require_safe
def calendar_feed(request, feed_token: str):
    """The ICS document of the token's person; 404 for an unknown, revoked or deactivated one."""
    feed = selectors.feed_by_token(feed_token)
    if feed is None:
        raise Http404("No such calendar feed.")
    body = ics.build(organization=feed.organization, user=feed.user, data=selectors.feed_data(feed))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="charter.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _page(request, *, new_url: str = ""):
    feed = selectors.feed_get(actor=request.actor)
    return render(request, "calendars/settings.html", {"feed": feed, "new_url": new_url})


@requires("calendar.feed")
def calendar_settings(request):
    return _page(request)


@require_POST
@requires("calendar.feed")
def calendar_rotate(request):
    _, token = services.feed_rotate(actor=request.actor)
    # The address is shown in this one response only: just its hash is stored.
    return _page(request, new_url=services.feed_url(token))


@require_POST
@requires("calendar.feed")
def calendar_revoke(request):
    if services.feed_revoke(actor=request.actor):
        messages.success(request, "Your calendar feed is turned off: its address no longer works.")
    return redirect("calendar_settings")
