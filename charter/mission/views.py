"""The mission page (mission, vision, values, revision history) and its edit form."""

from django.contrib import messages
from django.shortcuts import redirect, render

from charter.core.http import call_with_form, requires

from . import selectors, services
from .forms import MissionForm, ValueFormSet


@requires("organization.view")
def mission(request):
    context = {
        "mission": selectors.mission_get(actor=request.actor),
        "history": selectors.mission_history(actor=request.actor),
    }
    return render(request, "mission/mission.html", context)


@requires("mission.edit")
def mission_edit(request):
    current = selectors.mission_get(actor=request.actor)
    form = MissionForm(
        request.POST or None,
        initial={"statement": current.statement, "vision": current.vision},
        first=not current.is_defined,
    )
    values = ValueFormSet(request.POST or None, initial=current.values, prefix="values")
    if request.method == "POST" and form.is_valid() and values.is_valid():
        rows = [
            {"name": row["name"], "meaning": row["meaning"]}
            for row in values.cleaned_data
            if row and not row.get("DELETE")
        ]
        saved = call_with_form(
            form, services.mission_update, actor=request.actor, values=rows, **form.cleaned_data
        )
        if saved:
            messages.success(request, _saved_message(saved, current))
            return redirect("mission")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "values": values, "first": not current.is_defined}
    return render(request, "mission/mission_form.html", context, status=status)


def _saved_message(saved, before) -> str:
    # The service keeps the revision number when nothing differs; say so rather than claim a save.
    return "Nothing changed." if saved.revision == before.revision else f"Saved as revision {saved.revision}."
