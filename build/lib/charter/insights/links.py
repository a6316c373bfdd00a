"""Where each figure's inputs can be seen: the goal list, the decision log, the ideas board ... filtered."""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

GOALS, MAP, DECISIONS, BRIEFS, IDEAS, PULSE = "goals", "map", "decisions", "briefs", "ideas", "pulse"
REVIEW = "review"
SOURCE_OF = {
    "attainment_rate": REVIEW,
    "check_in_participation": GOALS,
    "status_distribution": GOALS,
    "decision_latency": DECISIONS,
    "escalation_rate": DECISIONS,
    "back_brief_confirmation_time": BRIEFS,
    "back_brief_confirmed_share": BRIEFS,
    "ideas_submitted_per_member": IDEAS,
    "ideas_adopted_per_member": IDEAS,
    "pulse_engagement": PULSE,
    "pulse_satisfaction": PULSE,
    "focus": MAP,
    "engagement": GOALS,
    "decision_making": DECISIONS,
    "innovation": IDEAS,
    "satisfaction": PULSE,
}
LABELS = {
    GOALS: "the goals",
    MAP: "the strategy map",
    DECISIONS: "the decision log",
    BRIEFS: "the back-briefs",
    IDEAS: "the ideas board",
    PULSE: "the pulse surveys",
    REVIEW: "the cycle review's grades",
}


def _url(name: str, params: dict) -> str:
    try:
        base = reverse(name)
    except NoReverseMatch:  # an app whose page is not there (yet)
        return ""
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{base}?{query}" if query else base


def input_link(code: str, cycle, team) -> tuple[str, str]:
    """(url, words) of the list a figure was computed from, filtered to its cycle and team."""
    source = SOURCE_OF.get(code)
    team_id = team.pk if team else None
    cycle_id = cycle.pk if cycle else None
    if source in (GOALS, MAP):
        url = _url("goal_list" if source == GOALS else "strategy_map", {"cycle": cycle_id, "team": team_id})
    elif source == DECISIONS:
        dates = {"from": cycle.starts_on.isoformat(), "to": cycle.ends_on.isoformat()} if cycle else {}
        url = _url("decision_log", {"team": team_id, **dates})
    elif source == BRIEFS:
        url = _url("back_brief_list", {})
    elif source == IDEAS:
        url = _url("idea_board", {})
    elif source == PULSE:
        url = _url("pulse_home", {})
    elif source == REVIEW and cycle:
        url = reverse("cycle_review", kwargs={"cycle_id": cycle.pk})
    else:
        url = ""
    return url, LABELS.get(source, "")


def with_links(figures, cycle, team) -> list[dict]:
    return [
        dict(zip(("url", "source"), input_link(f.code, cycle, team), strict=True), figure=f) for f in figures
    ]
