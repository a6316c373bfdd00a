"""API of one's own calendar feed: whether it is on, a new secret address, or none."""

from ninja import Router

from charter.core.api import action

from . import selectors, services
from .schemas import CalendarFeedOut

router = Router(tags=["calendars"])
FEED = action("calendar.feed")


@router.get("/calendar-feed", response=CalendarFeedOut, operation_id="calendar_feed_get", openapi_extra=FEED)
def calendar_feed_get(request):
    feed = selectors.feed_get(actor=request.auth)
    return {"active": feed is not None, "created_at": feed and feed.created_at, "url": None}


@router.post(
    "/calendar-feed/rotate",
    response={201: CalendarFeedOut},
    operation_id="calendar_feed_rotate",
    openapi_extra=FEED,
)
def calendar_feed_rotate(request):
    """A new address for the feed; the old one stops working. The address is shown this once."""
    feed, token = services.feed_rotate(actor=request.auth)
    return 201, {"active": True, "created_at": feed.created_at, "url": services.feed_url(token)}


@router.delete(
    "/calendar-feed", response={204: None}, operation_id="calendar_feed_revoke", openapi_extra=FEED
)
def calendar_feed_revoke(request):
    services.feed_revoke(actor=request.auth)
    return 204, None
