"""The goal list page's rows, drawn in Python: the template's row (two includes, a dozen lookups per goal)
was most of the page's time. The markup is the one the template drew (`test_list_html.py` compares them)."""

import math
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.safestring import SafeString

from .map_html import STATUS_BADGE
from .rules import STALE


def _status(status: str) -> str:
    """`goals/_status.html`, as included."""
    colour, label = STATUS_BADGE.get(status, STATUS_BADGE[STALE])
    return (
        f'\n<span class="badge status-{status} bg-{colour}-lt text-nowrap">'
        f'<span class="status-dot me-1" aria-hidden="true"></span>{label}</span>\n'
    )


_MILLI = Decimal("0.001")


def three_places(value: float) -> str:
    """`floatformat(value, "3u")` without its generality (a tenth of its time): three decimals, rounded
    half up from the float's shortest decimal form, no sign on zero."""
    if not math.isfinite(value):
        return floatformat(value, "3u")
    rounded = Decimal(repr(value)).quantize(_MILLI, ROUND_HALF_UP)
    return str(rounded) if rounded else "0.000"


def _progress(value: float, label: str) -> str:
    """`goals/_progress.html`, as included (`label` escaped already)."""
    percent = round(value * 100)  # as `{% widthratio value 1 100 %}`
    exceeded = " progress-exceeded" if value > 1 else ""
    return (
        '\n<div class="d-flex align-items-center gap-2 progress-cell">\n'
        f'  <progress class="progress progress-sm flex-fill{exceeded}" value="{three_places(value)}"'
        f' max="1" aria-label="{label}">{percent}%</progress>\n'
        f'  <span class="text-secondary small text-nowrap progress-value">{percent}%</span>\n</div>\n'
    )


def goal_rows(goals: list[dict], all_cycles: bool) -> SafeString:
    """The table's rows: each goal (a row of `selectors.goal_list_page`) with its title linked, the goal
    it contributes to, team, accountable person, cycle (`all_cycles`), status, progress and number of key
    results; every text escaped."""
    link = reverse("goal_detail", args=[0]).removesuffix("0/")
    rows = []
    for goal in goals:
        title = escape(goal["title"])
        parent = goal["parent__title"]
        parent = f'<div class="small text-secondary">→ {escape(parent)}</div>' if parent is not None else ""
        team = goal["team__name"]
        team = escape(team) if team is not None else '<span class="text-secondary">Organization</span>'
        owner = escape(goal["owner__full_name"] or goal["owner__email"])
        cycle = f"<td>{escape(goal['cycle__name'])}</td>" if all_cycles else ""
        rows.append(
            "\n        <tr>\n          <td>\n"
            f'            <a href="{link}{goal["id"]}/" class="fw-bold">{title}</a>\n'
            f"            {parent}\n          </td>\n"
            f"          <td>{team}</td>\n"
            f"          <td>{owner}</td>\n"
            f"          {cycle}\n"
            f"          <td>{_status(goal['status'])}</td>\n"
            f"          <td>{_progress(goal['progress'], f'Progress of {title}')}</td>\n"
            f'          <td class="text-end">{goal["key_result_count"]}</td>\n'
            "        </tr>\n        "
        )
    return SafeString("".join(rows))
