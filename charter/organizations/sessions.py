"""Session lifetime: a signed-in session ends after `CHARTER_SESSION_IDLE_MINUTES` without a request.

The session's expiry (cookie and database row) is `SESSION_COOKIE_AGE`, the same idle span; this
middleware notes the last request in the session at most once a minute, which saves the session and so
slides both expiries forward. A session found idle for longer is flushed here, server-side, before any
view runs (the database row may outlive it by under a minute, and is refused all the same).
"""

import time

from django.conf import settings
from django.contrib.auth import logout

LAST_SEEN = "_charter_last_seen"
TOUCH_EVERY = 60  # seconds between two writes of the same session


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.CHARTER_SESSION_IDLE_MINUTES * 60:
                logout(request)  # flushes the row, sets request.user to anonymous
            elif last_seen is None or now - last_seen >= TOUCH_EVERY:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
