"""Attach the actor (the person in their current organization) to each signed-in request."""

from .actors import preloaded_session_actor
from .selectors import actor_for, organizations_of, session_actor

SESSION_KEY = "organization_id"  # the session's current organization


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = None
        # Agents act only through their tokens: a session of an agent never gets an actor.
        is_agent = getattr(request.user, "kind", "person") == "agent"
        if request.user.is_authenticated and not is_agent and not request.path.startswith("/static/"):
            request.actor = _session_actor(request)
        return self.get_response(request)


def _session_actor(request):
    """Read on every request, never kept: a removed member or a changed role counts at once. Usually read
    with the user (`auth.SessionActorBackend`); else one query of its own."""
    org_id = request.session.get(SESSION_KEY)
    actor = org_id and (
        preloaded_session_actor(user=request.user, organization_id=org_id, request_id=request.request_id)
        or session_actor(user=request.user, organization_id=org_id, request_id=request.request_id)
    )
    if not actor:
        orgs = organizations_of(user=request.user)
        if not orgs:
            return None
        actor = actor_for(user=request.user, organization=orgs[0], request_id=request.request_id)
        request.session[SESSION_KEY] = orgs[0].pk
    return actor
