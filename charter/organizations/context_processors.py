from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from .selectors import organizations_of

# The navbar's links (base.html): they take no arguments, so each is the same on every page.
_NAV = (
    "account", "agent_list", "back_brief_list", "check_in_week", "cycle_list", "decision_domain_list",
    "decision_log", "delegation_board", "goal_list", "guide", "help", "home", "idea_board", "insights",
    "lesson_list", "lint", "logout", "metric_list", "mission", "notification_badge", "notification_list",
    "notification_preferences", "organization_create", "organization_settings", "person_list", "poker_list",
    "pulse_home",
    "review_home", "search", "strategy_map", "team_list", "token_list", "webhook_list",
)  # fmt: skip

# The navbar's groups (base.html), each a menu: (label, ((url name, link text, access key), ...)); None is a
# divider. Home and Check-in, the weekly ritual, stand on their own before them.
_GROUPS = (
    ("Plan", (
        ("strategy_map", "Strategy map", "m"), ("goal_list", "Goals", "g"), ("cycle_list", "Cycles", ""),
        ("mission", "Mission", ""), ("metric_list", "Metrics", ""),
    )),
    ("Lead", (
        ("decision_log", "Decisions", "d"), ("decision_domain_list", "Decision domains", ""),
        ("delegation_board", "Delegation board", ""), ("poker_list", "Delegation poker", ""),
        ("back_brief_list", "Back-briefs", ""), None,
        ("idea_board", "Ideas", ""), ("review_home", "Cycle reviews", ""), ("insights", "Insights", ""),
        ("lint", "Goal lint", ""),
    )),
    ("People", (
        ("team_list", "Teams", ""), ("person_list", "People", ""), ("agent_list", "AI agents", ""),
        ("pulse_home", "Pulse surveys", ""),
    )),
    ("Learn", (
        ("guide", "Getting started guide", ""), ("help", "Help and playbook", ""),
        ("lesson_list", "Lessons for leaders", ""),
    )),
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
        "nav": (nav := _nav_urls(get_script_prefix(), get_urlconf())),
        "nav_groups": _nav_groups(nav, request.path),
    }


def _nav_groups(nav: dict[str, str], path: str) -> list[dict]:
    """The navbar's menus with their links' URLs; the page's own link, and its menu, marked current (a
    link is current on its own page and the pages under it: /decisions/ on /decisions/12/)."""
    groups = []
    for label, links in _GROUPS:
        items = []
        for link in links:
            if link is None:
                items.append({"divider": True})
                continue
            name, text, key = link
            url = nav[name]
            items.append({"url": url, "label": text, "key": key, "current": path.startswith(url)})
        groups.append({"label": label, "links": items, "current": any(i.get("current") for i in items)})
    return groups


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
