"""Reads of back-briefs, scoped to the actor's organization."""

from django.db.models import Prefetch, Q

from charter.core.actor import Actor
from charter.core.errors import NotFound
from charter.organizations.permissions import ROLES_THAT_EDIT_EVERYTHING

from .models import BackBrief, BackBriefEvent

PENDING = "pending"  # a filter value: every open state


def _back_briefs(actor: Actor):
    return BackBrief.objects.for_org(actor.organization).select_related(
        "goal", "goal__owner", "team", "requested_by", "submitted_by", "reviewed_by"
    )


def _with_history(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "events", queryset=BackBriefEvent.objects.select_related("actor").order_by("created_at", "id")
        )
    )


def back_brief_list(
    *, actor: Actor, state: str | None = None, team_id: int | None = None, goal_id: int | None = None
):
    """Back-briefs matching the filters, oldest wait first; `state="pending"` means every open one."""
    rows = _back_briefs(actor)
    if state == PENDING:
        rows = rows.filter(state__in=BackBrief.OPEN_STATES)
    elif state:
        rows = rows.filter(state=state)
    if team_id:
        rows = rows.filter(team_id=team_id)
    if goal_id:
        rows = rows.filter(goal_id=goal_id)
    return rows.order_by("requested_at", "id")


def back_brief_get(*, actor: Actor, back_brief_id: int) -> BackBrief:
    back_brief = _with_history(_back_briefs(actor)).filter(pk=back_brief_id).first()
    if back_brief is None:
        raise NotFound("No such back-brief.")
    return back_brief


def back_brief_of_goal(*, actor: Actor, goal) -> BackBrief | None:
    """The back-brief of the goal's team: the open one, else the latest."""
    if goal.team_id is None:
        return None
    rows = _with_history(_back_briefs(actor)).filter(goal_id=goal.pk, team_id=goal.team_id)
    return max(rows, key=lambda b: (b.is_open, b.requested_at, b.pk), default=None)


def back_briefs_to_write(*, actor: Actor):
    """Open back-briefs waiting for one of the actor's teams to write (or rewrite) them."""
    return _back_briefs(actor).filter(team_id__in=actor.team_ids, state__in=BackBrief.TO_WRITE_STATES)


def back_briefs_to_confirm(*, actor: Actor):
    """Submitted back-briefs the actor may confirm (mirrors `rules.may_review`)."""
    if not actor.can("back_brief.review"):
        return _back_briefs(actor).none()
    outside = ~Q(team_id__in=actor.team_ids)
    above = Q(team_id__in=actor.lead_team_ids)
    if actor.role in ROLES_THAT_EDIT_EVERYTHING:
        above = Q()
    mine = Q(goal__owner_id=actor.user_id) | (outside & above)
    return (
        _back_briefs(actor)
        .filter(state=BackBrief.State.SUBMITTED)
        .filter(mine)
        .exclude(submitted_by_id=actor.user_id)
    )
