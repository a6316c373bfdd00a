"""Web pages of comments: add (htmx), edit, delete, a key result's thread, the mention autocomplete."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from charter.core.http import call_with_form, requires
from charter.goals.selectors import key_result_get

from . import registry, selectors, services
from .forms import CommentEditForm, CommentForm
from .rendering import dom_id, thread_html


def _comment_url(comment) -> str:
    return f"{registry.get_target(comment.target_type).url(comment.target_id)}#comment-{comment.pk}"


def _form_errors(form) -> str:
    return " ".join(" ".join(errors) for errors in form.errors.values())


def _htmx_comment(request, comment_id: int, just_added: bool = False):
    """One comment, plus the thread's new count swapped in out of band."""
    comment = selectors.comment_get(actor=request.actor, comment_id=comment_id)
    count = selectors.comment_counts(
        actor=request.actor, target_type=comment.target_type, target_ids=[comment.target_id]
    ).get(comment.target_id, 0)
    context = {
        "c": comment,
        "just_added": just_added,
        "count": count,
        "oob": True,
        "dom_id": dom_id(comment.target_type, comment.target_id),
    }
    return render(request, "discussion/_comment.html#with_count", context)


@requires("comment.create")
@require_POST
def comment_create(request):
    form = CommentForm(request.POST)
    comment = form.is_valid() and call_with_form(
        form, services.comment_add, actor=request.actor, **form.cleaned_data
    )
    if request.htmx:
        if not comment:  # the message goes beside the form, the thread stays as it is
            response = render(request, "discussion/_errors.html", {"errors": _form_errors(form)})
            return reswap(retarget(response, "find .comment-errors"), "innerHTML")
        return _htmx_comment(request, comment.pk, just_added=True)
    if not comment:
        messages.error(request, f"The comment was not saved. {_form_errors(form)}")
        target = form.cleaned_data if form.is_valid() else None
        if target:
            return redirect(registry.get_target(target["target_type"]).url(target["target_id"]))
        return render(request, "discussion/comment_form.html", {"form": form}, status=422)
    messages.success(request, "Comment added.")
    return redirect(_comment_url(comment))


@requires("comment.create")
def comment_edit(request, comment_id: int):
    comment = selectors.comment_get(actor=request.actor, comment_id=comment_id)
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        saved = call_with_form(
            form, services.comment_edit, actor=request.actor, comment_id=comment.pk, **form.cleaned_data
        )
        if saved:
            messages.success(request, "Comment saved.")
            return redirect(_comment_url(saved))
    context = {"form": form, "comment": comment, "cancel_url": _comment_url(comment)}
    return render(request, "discussion/comment_form.html", context)


@requires("comment.create")
@require_POST
def comment_delete(request, comment_id: int):
    comment = services.comment_delete(actor=request.actor, comment_id=comment_id)
    if request.htmx:
        return _htmx_comment(request, comment.pk)
    messages.success(request, "Comment deleted.")
    return redirect(_comment_url(comment))


@requires("organization.view")
def key_result_comments(request, key_result_id: int):
    kr = key_result_get(actor=request.actor, key_result_id=key_result_id)
    thread = thread_html(request, "key_result", kr.pk)
    return render(request, "discussion/key_result_comments.html", {"kr": kr, "thread": thread})


@requires("organization.view")
def mention_people(request):
    people = selectors.mention_candidates(actor=request.actor, query=request.GET.get("q", "")[:60])
    return render(request, "discussion/_mention_people.html", {"people": people})
