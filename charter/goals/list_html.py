"""The goal list page's rows, drawn in Python: the template's row (two includes, a dozen lookups per goal)
was most of the page's time. The status badge and progress bar are the shared widgets (`goal_widgets`,
`charter` template tags), as on every other page."""

from html import escape

from django.utils.safestring import SafeString

from charter.core.links import id_url_template
from charter.core.templatetags.charter import progress_html

from .templatetags.goal_widgets import badge_html


def goal_rows(goals: list[dict], all_cycles: bool) -> SafeString:
    """The table's rows: each goal (a row of `selectors.goal_list_page`) with its title linked, the goal
    it contributes to, team, accountable person, cycle (`all_cycles`), status, progress and number of key
    results; every text escaped."""
    link = id_url_template("goal_detail")
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
            f'            <a href="{link.format(goal["id"])}" class="fw-bold">{title}</a>\n'
            f"            {parent}\n          </td>\n"
            f"          <td>{team}</td>\n"
            f"          <td>{owner}</td>\n"
            f"          {cycle}\n"
            f"          <td>{badge_html(goal['status'])}</td>\n"
            f"          <td>{progress_html(goal['progress'], 'Progress of ' + title)}</td>\n"
            f'          <td class="text-end">{goal["key_result_count"]}</td>\n'
            "        </tr>\n        "
        )
    return SafeString("".join(rows))
