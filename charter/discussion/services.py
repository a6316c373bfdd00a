"""Every write on comments: add, edit, delete; mentions of members are stored and notified."""

from django.db import transaction
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.audit import audit
from charter.core.errors import NotFound, PermissionDenied, ValidationError
from charter.core.markdown import mentioned_ids, plain
from charter.notifications.services import notify
from charter.organizations.models import Membership
from charter.organizations.permissions import ROLES_THAT_EDIT_EVERYTHING

from . import registry
from .models import Comment, Mention

MAX_BODY = 10_000


def may_change_comment(actor: Actor, comment: Comment) -> bool:
    """The author changes their own comments; leaders and admins moderate every comment."""
    if not actor.can("comment.create") or comment.deleted:
        return False
    return comment.author_id == actor.user_id or actor.role in ROLES_THAT_EDIT_EVERYTHING


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError("A comment needs some text.", field="body")
    if len(body) > MAX_BODY:
        raise ValidationError(f"A comment holds at most {MAX_BODY:,} characters.", field="body")
    return body


def _locked_comment(actor: Actor, comment_id: int) -> Comment:
    comment = Comment.objects.for_org(actor.organization).select_for_update().filter(pk=comment_id).first()
    if comment is None:
        raise NotFound("No such comment.")
    if not may_change_comment(actor, comment):
        raise PermissionDenied("Only its author (or a leader or admin) may change a comment.")
    return comment


def _mention(actor: Actor, comment: Comment, already: set[int]) -> set[int]:
    """Store mentions of active members of this organization only; notify those not mentioned before."""
    wanted = mentioned_ids(comment.body)
    members = set(
        Membership.objects.for_org(actor.organization)
        .filter(user_id__in=wanted, is_active=True)
        .values_list("user_id", flat=True)
    )
    comment.mentions.exclude(user_id__in=members).delete()
    new = members - already
    Mention.objects.bulk_create(
        Mention(organization_id=actor.organization_id, comment=comment, user_id=u) for u in sorted(new)
    )
    target = registry.get_target(comment.target_type)
    notify(
        actor=actor,
        event="mention",
        recipient_ids=new,
        title=f"{actor.user.get_full_name() or actor.user.email} mentioned you in a comment",
        url=f"{target.url(comment.target_id)}#comment-{comment.pk}",
        body=plain(comment.body)[:500],
        object_type="comment",
        object_id=comment.pk,
    )
    return members


def comment_add(*, actor: Actor, target_type: str, target_id: int, body: str) -> Comment:
    actor.require("comment.create")
    registry.target_object(actor, target_type, target_id)  # 404 before anything else
    body = _clean_body(body)
    with transaction.atomic():
        comment = Comment.objects.create(
            organization_id=actor.organization_id,
            target_type=target_type,
            target_id=target_id,
            author=actor.user,
            body=body,
        )
        mentioned = _mention(actor, comment, set())
        audit(
            actor,
            "comment.create",
            comment,
            {"target": f"{target_type}:{target_id}", "mentions": sorted(mentioned)},
        )
    return comment


def comment_edit(*, actor: Actor, comment_id: int, body: str) -> Comment:
    actor.require("comment.create")
    with transaction.atomic():
        comment = _locked_comment(actor, comment_id)
        body = _clean_body(body)
        if body != comment.body:
            before = set(comment.mentions.values_list("user_id", flat=True))
            comment.body, comment.edited_at = body, timezone.now()
            comment.save(update_fields=["body", "edited_at"])
            _mention(actor, comment, before)
            audit(actor, "comment.edit", comment, {"body": "changed"})
    return comment


def comment_delete(*, actor: Actor, comment_id: int) -> Comment:
    """Blank the comment but keep its place in the thread, so replies after it still make sense."""
    actor.require("comment.create")
    with transaction.atomic():
        comment = _locked_comment(actor, comment_id)
        comment.body, comment.deleted, comment.edited_at = "", True, timezone.now()
        comment.save(update_fields=["body", "deleted", "edited_at"])
        comment.mentions.all().delete()
        audit(actor, "comment.delete", comment)
    return comment
