"""The Jinja2 engine of the widget partials: one partial per widget (status badge, progress bar, map card,
goal-list row, check-in row, decision row), in `<app>/jinja2/<app>/*.jinja`.

Pages are Django templates; a widget drawn hundreds of times a page is a Jinja2 partial, compiled once and
rendered for a whole list of rows in one call (a Django include costs ~25 µs a row). The Django tags
`{% status_badge %}`, `{% progress_bar %}` and `{% decision_status %}` render the same partials, so each
widget's markup exists once. Autoescaping is on (Django's backend sets it); Django's safe strings pass
unescaped (they have `__html__`)."""

from decimal import ROUND_HALF_UP, Decimal

from django.template import engines
from django.template.defaultfilters import linebreaksbr
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString
from jinja2 import Environment, Template, nodes
from jinja2.ext import Extension

_CENT = Decimal("0.01")


def number(value: float | None) -> str:
    """As Django's `floatformat:"-2"`: whole numbers without decimals, others with two (half up)."""
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


def percent(value: float) -> int:
    """Raw progress (1 = target) as a whole percent."""
    return round(value * 100)


def progress_value(value: float) -> str:
    """Raw progress with three decimals, as a `<progress value>` (never "-0.000")."""
    shown = f"{value:.3f}"
    return "0.000" if shown == "-0.000" else shown


def escape_text(value) -> str:
    """`|h`: a person's text escaped for a partial that turns autoescaping off (the map's cards, the decision
    log's rows, the check-in history), as `|e` escapes it (the same five entities) but as a plain `str`:
    `|e` makes a Markup object of each of the thousand values of a map, twice the cost. Only for those
    partials: where autoescaping is on, a plain `str` would be escaped again."""
    text = str(value)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


PROGRESS_BAR = "core/_progress.jinja"


class ProgressBar(Extension):
    """`{% progress_bar value, label %}`: the progress bar partial's markup put in place when a partial is
    compiled, with `bar_value` and `bar_label` set, instead of a macro call per bar. A map of a few hundred
    goals draws a thousand bars, and a Jinja2 macro call costs more than the bar's markup (~4.5 µs each).
    In a partial that turns autoescaping off (the strategy map's cards) the label must come escaped (`|e`)."""

    tags = {"progress_bar"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        value = parser.parse_expression()
        parser.stream.expect("comma")
        label = parser.parse_expression()
        source, _, _ = self.environment.loader.get_source(self.environment, PROGRESS_BAR)
        markup = self.environment.parse(source, PROGRESS_BAR).body  # nodes made anew for each use
        assigns = [
            nodes.Assign(nodes.Name("bar_value", "store"), value),
            nodes.Assign(nodes.Name("bar_label", "store"), label),
        ]
        for node in (*assigns, *markup):
            node.set_lineno(lineno)
        return [*assigns, *markup]


def progress_bar(value: float, label: str) -> SafeString:
    """The progress bar partial rendered for one bar (Django templates' `{% progress_bar %}`)."""
    return render(PROGRESS_BAR, bar_value=value, bar_label=label)


def environment(**options) -> Environment:
    """The environment Django's Jinja2 backend builds (settings `TEMPLATES`, `OPTIONS["environment"]`)."""
    options["extensions"] = [*options.get("extensions", ()), ProgressBar]
    env = Environment(**options)
    env.globals.update(url=_url, static=static)
    env.filters.update(
        h=escape_text,
        number=number,
        percent=percent,
        progress_value=progress_value,
        linebreaksbr=linebreaksbr,
    )
    return env


def partial(name: str) -> Template:
    """The compiled partial `name` (the environment caches it; `auto_reload` is off outside DEBUG)."""
    return engines["jinja2"].env.get_template(name)


def render(name: str, **context) -> SafeString:
    """Partial `name` rendered with `context` (no request context processors: partials get what they
    show), as a safe string for a Django template."""
    return SafeString(partial(name).render(context))
