"""The home page's inbox panel: the latest unread notifications, in one query."""

from django.template.loader import render_to_string

from charter.core import panels

from .selectors import notification_latest_unread

SHOWN = 5


@panels.register("home", order=10)
def inbox_panel(request, obj=None):
    actor = getattr(request, "actor", None)
    if actor is None:
        return None
    latest = notification_latest_unread(actor=actor, limit=SHOWN + 1)
    return render_to_string(
        "notifications/_home_panel.html",
        {"notifications": latest[:SHOWN], "more": len(latest) > SHOWN},
        request=request,
    )
