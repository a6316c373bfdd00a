"""The strategy map's cards, drawn in Python from the plain rows of `trees.map_tree`.

A map shows hundreds of goals and thousands of key results: one template include per card cost most of
the page's time. The markup is the one the templates drew (same text, links, labels and classes the
scripts and styles use), with the grid classes repeated on every row moved to `goals.css`.
"""

from decimal import ROUND_HALF_UP, Decimal
from html import escape  # what django.utils.html.escape calls, without its lazy-string wrapper

from django.urls import reverse
from django.utils.safestring import SafeString

from charter.core import panels
from charter.core.links import id_url_template
from charter.core.templatetags.charter import AGENT_BADGE, progress_html

from . import rules
from .templatetags.goal_widgets import badge_html

_CENT = Decimal("0.01")


def number(value: float | None) -> str:
    """As the `floatformat:"-2"` filter: whole numbers without decimals, others with two (half up)."""
    if value is None:
        return ""
    if value == int(value):
        return str(int(value))
    text = repr(value)
    whole, _, decimals = text.partition(".")
    if len(decimals) <= 2 and "e" not in text:  # nothing to round (the common case): skip Decimal
        return f"{whole}.{decimals:0<2}"
    rounded = Decimal(text).quantize(_CENT, ROUND_HALF_UP)
    return str(rounded if rounded else abs(rounded))  # no "-0.00", as the filter


def kr_value(kr: dict) -> str:
    """The key result's current value against its target, or done / not done for a milestone."""
    if kr["kind"] == rules.MILESTONE:
        return "done" if kr["progress"] >= 1 else "not done"
    text = f"{number(kr['current'])} → {number(kr['target'])}"
    if kr["target_max"] is not None:
        text += f"–{number(kr['target_max'])}"
    return text + (f" {escape(kr['unit'])}" if kr["unit"] else "")


class MapRenderer:
    """Draws the cards of one map page; the URLs are reversed once, not per card."""

    def __init__(self, request, status_filter: str | None):
        self.request = request
        self.status_filter = status_filter
        self.goal_url = id_url_template("goal_detail")
        self.kr_create_url = id_url_template("key_result_create")
        self.map_url = reverse("strategy_map")

    def forest(self, roots: list[dict]) -> SafeString:
        panels.prepare("goal.badges", self.request, list(_goals(roots)))
        out: list[str] = []
        for node in roots:
            self._node(node, out)
        return SafeString("".join(out))

    def _node(self, node: dict, out: list[str]) -> None:
        goal = node["goal"]
        title = escape(goal["title"])
        context = " map-context" if self.status_filter and not node.get("match") else ""
        # The card stays outside the <summary>: a summary is a button, and its links would be nested in it.
        out.append(f'<li class="map-node"><div class="card card-sm mb-1 map-card{context}">')
        out.append('<div class="card-body py-2 map-row"><div class="map-title">')
        out.append(self._heading(goal, title) + "</div>")
        out.append(badge_html(goal["status"]) + progress_html(goal["progress"], "Goal progress"))
        out.append('</div></div><details open class="map-goal"><summary class="map-toggle">')
        out.append(f'<span class="visually-hidden">Key results and contributing goals of {title}</span>')
        out.append('</summary><div class="map-body">')
        self._key_results(goal, title, out)
        if node["children"]:
            out.append(f'<ul class="map-children" aria-label="Goals contributing to {title}">')
            for child in node["children"]:
                self._node(child, out)
            out.append("</ul>")
        if goal["hidden"]:
            out.append(self._hidden(goal))
        out.append("</div></details></li>")

    def _heading(self, goal: dict, title: str) -> str:
        badges = "\n".join(panels.render("goal.badges", self.request, goal))
        team = escape(goal["team__name"]) if goal["team_id"] else "Whole organization"
        owner = escape(goal["owner__full_name"] or goal["owner__email"])
        agent = AGENT_BADGE if goal["owner__kind"] == "agent" else ""
        no_intent = "" if goal["has_intent"] else ' · <span class="text-warning">no intent yet</span>'
        return (
            f'<a href="{self.goal_url.format(goal["id"])}" class="fw-bold">{title}</a>{badges}'
            f'<div class="text-secondary small">{team} · {owner}{agent}{no_intent}</div>'
        )

    def _key_results(self, goal: dict, title: str, out: list[str]) -> None:
        krs = goal["key_results"]
        if not krs:
            out.append(
                '<p class="small text-secondary mb-2">No key results yet: '
                f'<a href="{self.kr_create_url.format(goal["id"])}">add how success is measured</a>.</p>'
            )
            return
        out.append(f'<ul class="list-unstyled mb-2 map-krs" aria-label="Key results of {title}">')
        for kr in krs:
            kr_title = escape(kr["title"])
            bar = progress_html(kr["progress"], kr_title)
            out.append(
                f'<li class="map-kr"><span>{kr_title}</span>'
                f'<span class="text-secondary">{kr_value(kr)}</span>{bar}</li>'
            )
        out.append("</ul>")

    def _hidden(self, goal: dict) -> str:
        n = goal["hidden"]
        if goal["team_id"]:
            href = f"{self.map_url}?cycle={goal['cycle_id']}&amp;team={goal['team_id']}"
            link = f'<a href="{href}">open the map of {escape(goal["team__name"])}</a>'
        else:
            link = f'<a href="{self.goal_url.format(goal["id"])}">open the goal</a>'
        goals = "goal" if n == 1 else "goals"
        return f'<p class="small text-secondary mb-2 map-hidden">{n} {goals} below: {link}.</p>'


def _goals(roots: list[dict]):
    stack = list(roots)
    while stack:
        node = stack.pop()
        yield node["goal"]
        stack.extend(node["children"])
