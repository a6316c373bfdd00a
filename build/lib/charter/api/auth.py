"""Who calls the API: a personal token (it fixes the organization) or the web session (CSRF on writes).

Both answer with an Actor built for `via="api"`, which ninja puts on `request.auth`.
"""

import dataclasses

from django.conf import settings
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from charter.core.errors import PermissionDenied
from charter.organizations.services import token_actor


class TokenAuth(HttpBearer):
    """`Authorization: Bearer chr_...`; an unknown, revoked or expired token is refused outright.

    Refusing (rather than falling through to the session) keeps a bad token from ever acting as
    whoever happens to be signed in in the same browser.
    """

    def authenticate(self, request, token):
        actor = token_actor(token, request_id=request.request_id, via="api")
        if actor is None:
            raise AuthenticationError(401, "The token is unknown, revoked or expired, or its owner left.")
        return actor


class SessionAuth(APIKeyCookie):
    """The signed-in web session, in its current organization; ninja checks CSRF on writes."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        if not request.user.is_authenticated:
            return None
        if request.actor is None:
            raise PermissionDenied("You are not an active member of any organization.")
        return dataclasses.replace(request.actor, via="api")
