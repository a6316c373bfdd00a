"""Web pages of lessons: the list, a lesson with its exercise, start and check, everyone's progress."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from charter.core.http import requires

from . import selectors, services


@requires("organization.view")
def lesson_list(request):
    context = {
        "lessons": selectors.my_lessons(actor=request.actor),
        "may_see_progress": request.actor.can("people.manage"),
    }
    return render(request, "lessons/lesson_list.html", context)


@requires("organization.view")
def lesson_detail(request, key: str):
    lesson = selectors.lesson_get(key)
    context = {
        "lesson": lesson,
        "progress": selectors.progress_of(actor=request.actor, lesson=key).get(key),
        "check": selectors.exercise_check(actor=request.actor, key=key),
        "may_take": request.actor.can("lesson.take"),
        "text": f"lessons/text/{key}.html",
    }
    return render(request, "lessons/lesson_detail.html", context)


@require_POST
@requires("lesson.take")
def lesson_start(request, key: str):
    services.lesson_start(actor=request.actor, key=key)
    messages.success(request, "Exercise started: what you do from now on counts.")
    return redirect("lesson_detail", key=key)


@require_POST
@requires("lesson.take")
def lesson_check(request, key: str):
    progress, check = services.lesson_check(actor=request.actor, key=key)
    if progress.completed_at:
        messages.success(request, f"Exercise done. {progress.evidence}")
    else:
        messages.info(request, f"Not yet. {check.to_do}")
    return redirect("lesson_detail", key=key)


@requires("people.manage")
def lesson_progress(request):
    return render(request, "lessons/progress.html", selectors.people_progress(actor=request.actor))


def account_panel(request, obj=None) -> str | None:
    """The account page's "Your lessons": each lesson's state, with a link to it."""
    if request.actor is None:
        return None
    lessons = selectors.my_lessons(actor=request.actor)
    return render_to_string("lessons/_account_panel.html", {"lessons": lessons}, request=request)
