"""The comment thread of one target as HTML, shared by the template tag and the goal page panel."""

from django.template.loader import render_to_string
from django.urls import reverse

from . import selectors
from .forms import CommentForm


def dom_id(target_type: str, target_id: int) -> str:
    """The id suffix of a target's thread elements (the thread, its list, its count)."""
    return f"{target_type}-{target_id}".replace("_", "-")


def thread_html(request, target_type: str, target_id: int, comments=None) -> str:
    """The thread with its add form; pass `comments` when the caller already checked the target."""
    actor = request.actor
    if comments is None:
        comments = selectors.thread(actor=actor, target_type=target_type, target_id=target_id)
    thread_id = dom_id(target_type, target_id)
    form = CommentForm(
        initial={"target_type": target_type, "target_id": target_id}, auto_id=f"c-{thread_id}-%s"
    )
    context = {
        "comments": comments,
        "count": sum(1 for c in comments if not c.deleted),
        "form": form,
        "dom_id": thread_id,
        "may_comment": actor.can("comment.create"),
        "people_url": reverse("mention_people"),
    }
    return render_to_string("discussion/_thread.html", context, request=request)
