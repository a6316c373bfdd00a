"""Web pages of search: the results page, and the likely parents beside the goal form (htmx)."""

import html

from django.shortcuts import render
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from charter.core.errors import ValidationError
from charter.core.http import requires
from charter.organizations.selectors import team_picker

from . import registry, selectors


def _int(params, name) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isdigit() else None


def _options(pairs, selected) -> SafeString:
    """`<option>`s of the cycle filter from (id, name) pairs, as the template loop wrote them (the team
    filter is `organizations.selectors.team_picker`'s)."""
    return SafeString(
        "".join(
            f'<option value="{pk}"{" selected" if pk == selected else ""}>{html.escape(name)}</option>'
            for pk, name in pairs
        )
    )


# What found a hit, as the page says it (`rules.found_by`; the API answers the key).
FOUND_BY = {"words": "found by words", "meaning": "found by meaning", "both": "found by words and meaning"}


def _hits(hits) -> SafeString:
    """The results' `<li>`s, as the template loop drew them (20 hits: ~1 ms of template nodes a request).
    The title and snippet are HTML already (escaped, the words in <mark>); the rest is escaped here."""
    labels, items = registry.labels(), []
    for hit in hits:
        doc, title = hit.doc, hit.title_html
        label = html.escape(capfirst(labels.get(doc.type, doc.type)))
        if doc.url:
            title = f'<a class="fw-bold" href="{html.escape(doc.url)}">{title}</a>'
        else:
            title = f'<span class="fw-bold">{title}</span>'
        how = FOUND_BY.get(hit.found_by, "")
        snippet = f'<p class="mb-0 small">{hit.snippet_html}</p>' if hit.snippet_html else ""
        items.append(
            '\n    <li class="card mb-2"><div class="card-body py-2">\n'
            '      <div class="d-flex align-items-center gap-2">\n'
            f'        <span class="badge bg-secondary-lt">{label}</span>\n'
            f"        {title}\n"
            f'        <span class="ms-auto small text-secondary" data-found-by="{hit.found_by}">'
            f"{how}</span>\n"
            f"      </div>\n      {snippet}\n    </div></li>"
        )
    return SafeString("".join(items))


def _filters(params) -> dict:
    types = [t for t in params.getlist("type") if t]
    return {"types": types or None, "team_id": _int(params, "team"), "cycle_id": _int(params, "cycle")}


@requires("organization.view")
def search_page(request):
    params, actor = request.GET, request.actor
    q, filters, error = params.get("q", "").strip()[:300], _filters(params), ""
    try:
        results = selectors.search(actor=actor, q=q, **filters) if q else None
    except ValidationError as exc:
        results, error = None, str(exc)
    meaning = selectors.meaning_status()
    context = {
        "q": q,
        "results": results,
        "hits_html": _hits(results.hits) if results else "",
        "error": error,
        "meaning": meaning,
        "type_choices": registry.labels().items(),
        "team_picker": team_picker(actor=actor, selected=filters["team_id"], q=params.get("team_q", "")),
        "cycle_options": _options(registry.choices("cycle", actor), filters["cycle_id"]),
        **filters,
    }
    return render(request, "search/search.html", context)


@requires("organization.view")
def align_suggestions(request):
    params = request.GET
    suggestions = selectors.likely_parents(
        actor=request.actor,
        title=params.get("title", "")[:300],
        purpose=params.get("purpose", "")[:2000],
        cycle_id=_int(params, "cycle_id"),
        exclude_id=_int(params, "goal"),
    )
    context = {"suggestions": suggestions, "meaning": selectors.meaning_status()}
    return render(request, "search/_align.html", context)
