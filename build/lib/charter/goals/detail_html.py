"""The goal page's check-in history rows, drawn in Python: a goal's history runs to hundreds of check-ins,
and the template's loop (a date, a number, a note and a name a row) was the page's largest cost. The markup
is the one the template drew (`test_detail_html.py` compares them)."""

from html import escape

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString
from django.utils.text import normalize_newlines

from charter.core.templatetags.charter import AGENT_BADGE

from .map_html import number


def check_in_rows(check_ins) -> SafeString:
    """The history table's rows, as `{% for c in check_ins %}<tr>…</tr>{% endfor %}` drew them."""
    months = [""] + [str(MONTHS_3[m]).title() for m in range(1, 13)]
    rows = []
    for c in check_ins:
        local = timezone.localtime(c.checked_at)
        late = ' <span class="badge bg-orange-lt">late</span>' if c.is_late else ""
        note = escape(normalize_newlines(c.note)).replace("\n", "<br>")
        author = c.author
        name = escape((author.full_name or author.email) if author is not None else "") or "—"
        badge = AGENT_BADGE if getattr(author, "kind", "person") == "agent" else ""
        rows.append(
            "\n        <tr>\n"
            f'          <td class="text-nowrap"><time datetime="{c.checked_at.isoformat()}">'
            f"{local.day} {months[local.month]} {local.year}</time>{late}</td>\n"
            f"          <td>{escape(c.key_result.title)}</td>\n"
            f'          <td class="text-end">{number(c.value)}</td>\n'
            f'          <td class="text-end">{c.confidence}/10</td>\n'
            f"          <td>{note}</td>\n"
            f"          <td>{name}{badge}</td>\n"
            "        </tr>\n        "
        )
    return SafeString("".join(rows))
