"""Reads of comments, scoped to the actor's organization."""

from collections import Counter

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from charter.core.actor import Actor
from charter.core.errors import NotFound
from charter.core.jsonrows import JSONRows
from charter.goals.models import KeyResult
from charter.organizations.models import User
from charter.organizations.selectors import member_users

from . import registry
from .models import Comment
from .services import may_change_comment


def _comments(actor: Actor):
    return Comment.objects.for_org(actor.organization).select_related("author")


def comment_list(
    *, actor: Actor, target_type: str | None = None, target_id: int | None = None
) -> list[Comment]:
    """Comments oldest first, each marked with whether the actor may change it (one query)."""
    comments = _comments(actor)
    if target_type:
        comments = comments.filter(target_type=target_type)
    if target_id:
        comments = comments.filter(target_id=target_id)
    result = list(comments.order_by("created_at", "id"))
    for comment in result:
        comment.may_change = may_change_comment(actor, comment)
    return result


def thread(*, actor: Actor, target_type: str, target_id: int) -> list[Comment]:
    """One target's comments; NotFound when the target is not in the actor's organization."""
    registry.target_object(actor, target_type, target_id)
    return comment_list(actor=actor, target_type=target_type, target_id=target_id)


def comment_get(*, actor: Actor, comment_id: int) -> Comment:
    comment = _comments(actor).filter(pk=comment_id).first()
    if comment is None:
        raise NotFound("No such comment.")
    comment.may_change = may_change_comment(actor, comment)
    return comment


def comment_counts(*, actor: Actor, target_type: str, target_ids) -> dict[int, int]:
    """Comments (not deleted) per target id, in one query."""
    rows = (
        Comment.objects.for_org(actor.organization)
        .filter(target_type=target_type, target_id__in=list(target_ids))
        .values("target_id")
        .annotate(n=Count("id", filter=Q(deleted=False)))
    )
    return {row["target_id"]: row["n"] for row in rows}


def goal_threads(*, actor: Actor, goal_id: int, key_result_ids) -> tuple[list[Comment], dict[int, int]]:
    """The goal's comments (as `comment_list`) and the comment count of each of its key results, in one
    query: the goal page shows both."""
    key_result_ids = list(key_result_ids)
    rows = list(
        _comments(actor)
        .filter(
            Q(target_type="goal", target_id=goal_id)
            | Q(target_type="key_result", target_id__in=key_result_ids, deleted=False)
        )
        .order_by("created_at", "id")
    )
    thread = [c for c in rows if c.target_type == "goal"]
    for comment in thread:
        comment.may_change = may_change_comment(actor, comment)
    counts = Counter(c.target_id for c in rows if c.target_type == "key_result")
    return thread, dict(counts)


def goal_thread_columns(*, actor: Actor) -> dict:
    """`goal_threads` as columns of the query of the goal (`OuterRef("pk")`), read with it by the goal page:
    the goal's comments as plain rows with their authors, and each key result's comment count."""
    comments = Comment.objects.for_org(actor.organization)
    thread = comments.filter(target_type="goal", target_id=OuterRef("pk")).order_by("created_at", "id")
    per_key_result = (
        comments.filter(target_type="key_result", target_id=OuterRef("pk"), deleted=False)
        .order_by()
        .values("target_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    key_results = KeyResult.objects.for_org(actor.organization).filter(goal_id=OuterRef("pk")).order_by()
    return {
        "comment_rows": JSONRows(
            thread, "id", "body", "created_at", "edited_at", "deleted", "author_id",
            author_name="author__full_name", author_email="author__email", author_kind="author__kind",
        ),
        "kr_comment_counts": JSONRows(
            key_results, "id", n=Coalesce(Subquery(per_key_result, output_field=IntegerField()), Value(0))
        ),
    }  # fmt: skip


def goal_thread_of(*, actor: Actor, goal_id: int, columns: dict) -> tuple[list[Comment], dict[int, int]]:
    """`goal_threads` from `goal_thread_columns`' values: unsaved comments with their authors."""
    thread = []
    for row in columns["comment_rows"]:
        author = User(
            pk=row["author_id"],
            full_name=row["author_name"],
            email=row["author_email"],
            kind=row["author_kind"],
        )
        comment = Comment(
            pk=row["id"], organization_id=actor.organization.pk, target_type="goal", target_id=goal_id,
            author=author, body=row["body"], created_at=row["created_at"], edited_at=row["edited_at"],
            deleted=row["deleted"],
        )  # fmt: skip
        comment.may_change = may_change_comment(actor, comment)
        thread.append(comment)
    return thread, {row["id"]: row["n"] for row in columns["kr_comment_counts"] if row["n"]}


def mention_candidates(*, actor: Actor, query: str, limit: int = 8) -> list:
    """Members whose name or email starts with (or contains) `query`, for the mention autocomplete."""
    query = query.strip()
    people = member_users(actor=actor)
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(email__istartswith=query))
    return list(people.order_by("full_name", "email")[:limit])
