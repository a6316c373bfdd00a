"""Every write on ideas: submit, vote, move through the pipeline (adopting links what it became)."""

from django.db import transaction
from django.urls import reverse

from charter.core.actor import Actor
from charter.core.audit import audit, changed_fields
from charter.core.errors import NotFound, PermissionDenied, ValidationError
from charter.goals.models import Goal, KeyResult
from charter.notifications.services import notify
from charter.organizations.permissions import ROLES_THAT_EDIT_EVERYTHING

from . import rules
from .models import Idea, IdeaTransition, IdeaVote


def _goals(actor: Actor, goal_ids: list[int]) -> list[Goal]:
    ids = sorted(set(goal_ids))
    goals = list(Goal.objects.for_org(actor.organization).filter(pk__in=ids))
    if len(goals) != len(ids):
        raise ValidationError("One of the linked goals does not exist.", field="goal_ids")
    return goals


def may_move_idea(actor: Actor, idea: Idea) -> bool:
    return actor.can("idea.move") and bool(rules.TRANSITIONS.get(idea.status))


def idea_create(
    *, actor: Actor, title: str, description: str = "", goal_ids: list[int] | None = None
) -> Idea:
    actor.require("idea.create")
    if not title.strip():
        raise ValidationError("An idea needs a title: the proposal, in a few words.", field="title")
    goals = _goals(actor, goal_ids or [])
    with transaction.atomic():
        idea = Idea.objects.create(
            organization_id=actor.organization_id,
            title=title.strip(),
            description=description.strip(),
            author=actor.user,
        )
        idea.goals.set(goals)
        audit(actor, "idea.create", idea, {"title": idea.title, "goal_ids": [g.pk for g in goals]})
    return idea


def may_edit_idea(actor: Actor, idea: Idea) -> bool:
    """Its author edits an idea; leaders and admins too. Adopted ideas stay as they were adopted."""
    if not actor.can("idea.create") or idea.status == rules.ADOPTED:
        return False
    return idea.author_id == actor.user_id or actor.role in ROLES_THAT_EDIT_EVERYTHING


def idea_update(
    *, actor: Actor, idea_id: int, title: str, description: str = "", goal_ids: list[int] | None = None
) -> Idea:
    actor.require("idea.create")
    if not title.strip():
        raise ValidationError("An idea needs a title: the proposal, in a few words.", field="title")
    with transaction.atomic():
        idea = _locked_idea(actor, idea_id)
        if not may_edit_idea(actor, idea):
            raise PermissionDenied(
                "Only its author (or a leader or admin) may change an idea, until adopted."
            )
        goals = _goals(actor, goal_ids or [])
        changes = changed_fields(idea, {"title": title.strip(), "description": description.strip()})
        idea.save()
        idea.goals.set(goals)
        audit(actor, "idea.update", idea, {**changes, "goal_ids": [g.pk for g in goals]})
    return idea


def _locked_idea(actor: Actor, idea_id: int) -> Idea:
    idea = Idea.objects.for_org(actor.organization).select_for_update().filter(pk=idea_id).first()
    if idea is None:
        raise NotFound("No such idea.")
    return idea


def idea_vote(*, actor: Actor, idea_id: int, vote: bool | None = None) -> bool:
    """Vote (True), unvote (False) or toggle (None); returns whether the actor now votes for it.

    The idea row is locked first, so two clicks in a row never make two votes (the unique
    constraint is the last guard).
    """
    actor.require("idea.vote")
    with transaction.atomic():
        idea = _locked_idea(actor, idea_id)
        votes = IdeaVote.objects.for_org(actor.organization).filter(idea=idea, user_id=actor.user_id)
        has = votes.exists()
        want = (not has) if vote is None else vote
        if want and not has:
            IdeaVote.objects.create(organization_id=actor.organization_id, idea=idea, user_id=actor.user_id)
            audit(actor, "idea.vote", idea)
        elif has and not want:
            votes.delete()
            audit(actor, "idea.unvote", idea)
    return want


def _adoption(
    actor: Actor, goal_id: int | None, key_result_id: int | None
) -> tuple[Goal | None, KeyResult | None]:
    """The goal or key result an adopted idea became, checked to be in the organization."""
    org = actor.organization
    if key_result_id:
        kr = KeyResult.objects.for_org(org).select_related("goal").filter(pk=key_result_id).first()
        if kr is None:
            raise ValidationError("No such key result.", field="adopted_key_result_id")
        return kr.goal, kr
    if goal_id:
        goal = Goal.objects.for_org(org).filter(pk=goal_id).first()
        if goal is None:
            raise ValidationError("No such goal.", field="adopted_goal_id")
        return goal, None
    raise ValidationError(
        "Say which goal or key result the idea became (or create the goal first).", field="adopted_goal_id"
    )


def idea_move(
    *,
    actor: Actor,
    idea_id: int,
    to_status: str,
    reason: str,
    adopted_goal_id: int | None = None,
    adopted_key_result_id: int | None = None,
) -> Idea:
    actor.require("idea.move")
    with transaction.atomic():
        idea = _locked_idea(actor, idea_id)
        error = rules.move_error(idea.status, to_status)
        if error:
            raise ValidationError(error, field="to_status")
        if not reason.strip():
            raise ValidationError("Say why the idea moves: the reason is kept with it.", field="reason")
        if to_status == rules.ADOPTED:
            idea.adopted_goal, idea.adopted_key_result = _adoption(
                actor, adopted_goal_id, adopted_key_result_id
            )
        before, idea.status = idea.status, to_status
        idea.save()
        IdeaTransition.objects.create(
            organization_id=actor.organization_id,
            idea=idea,
            from_status=before,
            to_status=to_status,
            actor=actor.user,
            reason=reason.strip(),
        )
        audit(actor, "idea.move", idea, {"status": [before, to_status], "reason": reason.strip()})
        if to_status == rules.ADOPTED:
            _announce_adoption(actor, idea)
    return idea


def _announce_adoption(actor: Actor, idea: Idea) -> None:
    voters = IdeaVote.objects.for_org(actor.organization).filter(idea=idea).values_list("user_id", flat=True)
    became = idea.adopted_key_result or idea.adopted_goal
    notify(
        actor=actor,
        event="idea.adopted",
        recipient_ids=[idea.author_id, *voters],
        title=f"Idea adopted: “{idea.title}” became “{became}”",
        url=reverse("idea_detail", kwargs={"idea_id": idea.pk}),
        object_type="idea",
        object_id=idea.pk,
    )
