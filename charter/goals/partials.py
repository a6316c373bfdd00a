"""The goal pages' lists drawn by their Jinja2 partials (`goals/jinja2/goals/`), each list in one render:
the goal list's rows, the strategy map's cards, the goal page's check-in history and the weekly check-in
rows. What every row of a page shares (the links, the badge per status) is made once per page here."""

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from charter.core import jinja, panels
from charter.core.links import id_url_parts, id_url_template
from charter.core.templatetags.charter import AGENT_BADGE

from . import rules
from .forms import CONFIDENCE_HELP, CONFIDENCE_RULE
from .templatetags.goal_widgets import Badges


def kr_value(kr) -> str:
    """The key result's current value against its target (text, to be escaped), or done / not done for a
    milestone; `kr` a mapping (`trees.map_tree`'s rows) or a key result."""
    get = kr.get if isinstance(kr, dict) else kr.__getattribute__
    if get("kind") == rules.MILESTONE:
        return "done" if get("progress") >= 1 else "not done"
    text = f"{jinja.number(get('current'))} → {jinja.number(get('target'))}"
    if get("target_max") is not None:
        text += f"–{jinja.number(get('target_max'))}"
    return text + (f" {get('unit')}" if get("unit") else "")


def goal_list_rows(goals: list[dict], all_cycles: bool) -> SafeString:
    """The goal list's table rows (`goals/_goal_rows.jinja`), goals as `selectors.goal_list_page` reads
    them; the cycle column when `all_cycles`."""
    return jinja.render(
        "goals/_goal_rows.jinja",
        goals=goals,
        all_cycles=all_cycles,
        goal_url=id_url_template("goal_detail"),
        badges=Badges(),
    )


def map_cards(request, status_filter: str | None, roots: list[dict]) -> SafeString:
    """The strategy map's cards (`goals/_map_cards.jinja`) of the trees `roots` (`trees.map_tree`); goals
    outside `status_filter` shown as context. Other apps' badges per goal come from the `goal.badges`
    panels, read for every goal at once first; they and each key result's value are added to the rows
    here (plain Python calls, cheaper than a call from the template for each)."""
    goals = list(_goals(roots))
    panels.prepare("goal.badges", request, goals)
    for goal in goals:
        goal["badges_html"] = mark_safe("\n".join(panels.render("goal.badges", request, goal)))
        for kr in goal["key_results"]:
            kr["value_text"] = kr_value(kr)
    goal_head, goal_tail = id_url_parts("goal_detail")
    kr_create_head, kr_create_tail = id_url_parts("key_result_create")
    return jinja.render(
        "goals/_map_cards.jinja",
        roots=roots,
        status_filter=status_filter,
        goal_head=goal_head,
        goal_tail=goal_tail,
        kr_create_head=kr_create_head,
        kr_create_tail=kr_create_tail,
        map_url=reverse("strategy_map"),
        badges=Badges(),
        agent_badge=AGENT_BADGE,
    )


def check_in_history_rows(check_ins) -> SafeString:
    """The goal page's check-in history rows (`goals/_check_in_history.jinja`), dates in the current time
    zone as `date:"j M Y"` writes them."""
    return jinja.render(
        "goals/_check_in_history.jinja",
        check_ins=check_ins,
        months=[""] + [str(MONTHS_3[m]).title() for m in range(1, 13)],
        localtime=timezone.localtime,
        agent_badge=AGENT_BADGE,
    )


def check_in_rows(request, rows: list[dict]) -> SafeString:
    """The weekly check-in rows (`goals/_check_in_rows.jinja`), `rows` as `views_check_in._check_in_row`
    makes them; one row for the htmx answer to a save."""
    return jinja.render(
        "goals/_check_in_rows.jinja",
        rows=rows,
        csrf_token=get_token(request),
        check_in_url=id_url_template("check_in_create"),
        goal_url=id_url_template("goal_detail"),
        timesince=timesince,
        milestone=rules.MILESTONE,
        confidence_help=CONFIDENCE_HELP,
        confidence_rule=CONFIDENCE_RULE,
    )


def _goals(roots: list[dict]):
    stack = list(roots)
    while stack:
        node = stack.pop()
        yield node["goal"]
        stack.extend(node["children"])
