from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from .selectors import organizations_of

# The navbar's links (base.html): they take no arguments, so each is the same on every page.
_NAV = (
    "account", "agent_list", "back_brief_list", "check_in_week", "cycle_list", "decision_domain_list",
    "decision_log", "delegation_board", "goal_list", "help", "home", "idea_board", "insights", "lint",
    "logout", "metric_list", "mission", "notification_badge", "notification_list",
    "notification_preferences", "organization_create", "organization_settings", "person_list", "pulse_home",
    "review_home", "search", "strategy_map", "team_list", "token_list", "webhook_list",
)  # fmt: skip


def current_organization(request):
    actor = getattr(request, "actor", None)
    if actor is None:  # signed out, or in no organization yet (no_organization.html offers to make one)
        return {"can_create_organization": settings.CHARTER_ALLOW_ORGANIZATION_CREATE}
    return {
        "actor": actor,
        "organization": actor.organization,
        "my_organizations": lambda: _my_organizations(actor),
        "can_create_organization": settings.CHARTER_ALLOW_ORGANIZATION_CREATE,
        "nav": _nav_urls(get_script_prefix(), get_urlconf()),
    }


@cache
def _nav_urls(script_prefix: str, urlconf) -> dict[str, str]:
    """The navbar's URLs, reversed once per script prefix and URL configuration (all that a reverse
    without arguments depends on): some thirty reverse() calls cost a few milliseconds on every page."""
    return {name: reverse(name, urlconf=urlconf) for name in _NAV}


def _my_organizations(actor):
    """The switcher's list. The actor's query counted the person's active organizations: when that is
    one, it is the actor's own (the actor exists only for an active member), so nothing is read."""
    if actor.organization_count == 1:
        return [actor.organization]
    return organizations_of(user=actor.user)
