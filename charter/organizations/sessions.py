"""Session lifetime: a signed-in session ends after `CHARTER_SESSION_IDLE_MINUTES` without a request.

The session's expiry (cookie and database row) is `SESSION_COOKIE_AGE`, the same idle span; this
middleware notes the last request in the session at most once every sixteenth of that span (30 minutes
for 8 hours), which saves the session and so slides both expiries forward. Sign-in notes it too, so the
pages right after sign-in write nothing. A session found idle for longer is flushed here, server-side,
before any view runs (the database row may outlive it by that sixteenth, and is refused all the same).

`SessionStore` is the session engine (`SESSION_ENGINE`): Django's database sessions, read in plain SQL.
"""

import time

from django.conf import settings
from django.contrib.auth import logout, user_logged_in
from django.contrib.sessions.backends import db
from django.dispatch import receiver
from django.utils import timezone

from . import queries

LAST_SEEN = "_charter_last_seen"


def touch_every() -> int:
    """Seconds between two writes of the same session: a sixteenth of the idle span, at least a minute."""
    return max(60, settings.CHARTER_SESSION_IDLE_MINUTES * 60 // 16)


@receiver(user_logged_in, dispatch_uid="charter-session-last-seen")
def _note_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.CHARTER_SESSION_IDLE_MINUTES * 60:
                logout(request)  # flushes the row, sets request.user to anonymous
            elif last_seen is None or now - last_seen >= touch_every():
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class SessionStore(db.SessionStore):
    """Django's database sessions, the session read in plain SQL (every signed-in page pays for it, and
    the ORM spends longer building the query than the database answering it). Same rule: an expired
    session is no session."""

    def _get_session_from_db(self):
        session = queries.session_row(session_key=self.session_key, now=timezone.now())
        if session is None:
            self._session_key = None
        return session
