"""Template tags shared by every app."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from charter.core import jinja
from charter.core import panels as panel_registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot: str, obj=None):
    """Render the panels that other apps registered for `slot` (their HTML is already escaped)."""
    return mark_safe("\n".join(panel_registry.render(slot, context["request"], obj)))


@register.simple_tag(takes_context=True)
def panel_tabs(context, slot: str, obj=None) -> dict:
    """`{% panel_tabs "slot" obj as tabs %}`: the slot's panels by tab ({tab or None: [html, ...]})."""
    return {
        tab: mark_safe("\n".join(htmls))
        for tab, htmls in panel_registry.render_tabs(slot, context["request"], obj).items()
    }


@register.simple_tag(takes_context=True)
def prepare_panels(context, slot: str, objs) -> str:
    """Before a loop that renders `slot` per object: let its panels read data for all `objs` at once."""
    panel_registry.prepare(slot, context["request"], objs)
    return ""


@register.simple_tag
def options(pairs, selected) -> str:
    """`<option>`s of a filter from (id, name) pairs, `selected` marked, every name escaped: built in Python
    because filters offer hundreds of teams, goals or people (a template loop costs ~30 µs an option)."""
    return mark_safe(
        "".join(
            f'<option value="{pk}" {"selected" if pk == selected else ""}>{escape(name)}</option>'
            for pk, name in pairs
        )
    )


AGENT_BADGE = mark_safe(
    '<span class="badge bg-purple-lt ms-1" title="An AI agent: it acts through its tokens, within its '
    'team&#x27;s authority">Agent</span>'
)


@register.simple_tag
def agent_badge(user):
    """Marks an AI agent wherever a person is named (users of kind "agent")."""
    return AGENT_BADGE if getattr(user, "kind", "person") == "agent" else ""


@register.simple_tag
def progress_bar(value: float, label: str = "Progress") -> SafeString:
    """The one progress bar, the partial `core/_progress.jinja`: `{% progress_bar goal.progress "Overall
    progress" %}`; `value` is raw progress (1 = target), `label` (text) names it for screen readers."""
    return jinja.progress_bar(value, label)
