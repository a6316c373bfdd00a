"""Reads of ideas, scoped to the actor's organization; counts come in the same query as the ideas."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from charter.core.actor import Actor
from charter.core.errors import NotFound
from charter.core.jsonrows import JSONRows
from charter.discussion.models import Comment
from charter.goals.models import Goal

from . import rules
from .models import Idea, IdeaTransition, IdeaVote

SORTS = {"votes": ("-vote_count", "-created_at", "-id"), "newest": ("-created_at", "-id")}


def _ideas(actor: Actor):
    comments = (
        Comment.objects.for_org(actor.organization)
        .filter(target_type="idea", target_id=OuterRef("pk"), deleted=False)
        .order_by()
        .values("target_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    my_vote = IdeaVote.objects.for_org(actor.organization).filter(idea=OuterRef("pk"), user_id=actor.user_id)
    return (
        Idea.objects.for_org(actor.organization)
        .select_related("author", "adopted_goal", "adopted_key_result")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.only("id", "title", "organization_id")))
        .annotate(
            vote_count=Count("votes", distinct=True),
            comment_count=Coalesce(Subquery(comments, output_field=IntegerField()), Value(0)),
            voted=Exists(my_vote),
        )
    )


def idea_list(
    *, actor: Actor, status: str | None = None, goal_id: int | None = None, sort: str = "votes"
) -> list[Idea]:
    ideas = _ideas(actor)
    if status:
        ideas = ideas.filter(status=status)
    if goal_id:
        ideas = ideas.filter(goals__id=goal_id)
    return list(ideas.order_by(*SORTS.get(sort, SORTS["votes"])))


def idea_board(*, actor: Actor, goal_id: int | None = None) -> list[dict]:
    """One column per status (pipeline order), each with its ideas by votes."""
    ideas = idea_list(actor=actor, goal_id=goal_id)
    labels = dict(Idea.Status.choices)
    return [
        {"status": s, "label": labels[s], "ideas": [i for i in ideas if i.status == s]}
        for s in rules.STATUSES
    ]


def idea_get(*, actor: Actor, idea_id: int) -> Idea:
    idea = (
        _ideas(actor)
        .select_related("adopted_key_result__goal")
        .prefetch_related(
            Prefetch("transitions", queryset=IdeaTransition.objects.select_related("actor")),
        )
        .filter(pk=idea_id)
        .first()
    )
    if idea is None:
        raise NotFound("No such idea.")
    return idea


def goal_ideas(*, actor: Actor, goal_id: int) -> list[Idea]:
    """Ideas linked to one goal or adopted into it, by votes, with their counts (for the goal page panel
    and the mission brief: their author, goals and adopted objects are not read). The links are a
    subquery, so the query needs no join with them and no DISTINCT."""
    linked = Idea.goals.through.objects.filter(goal_id=goal_id).values("idea_id")
    ideas = _ideas(actor).select_related(None).prefetch_related(None)
    ideas = ideas.filter(Q(pk__in=linked) | Q(adopted_goal_id=goal_id))
    return list(ideas.order_by(*SORTS["votes"]))


def goal_ideas_rows(*, actor: Actor) -> JSONRows:
    """`goal_ideas` as plain rows (id, title, status, vote and comment counts) of the goal of the outer
    query (`OuterRef("pk")`): the goal page reads them with the goal."""
    linked = Idea.goals.through.objects.filter(goal_id=OuterRef(OuterRef("pk"))).values("idea_id")
    ideas = _ideas(actor).select_related(None).prefetch_related(None)
    ideas = ideas.filter(Q(pk__in=linked) | Q(adopted_goal_id=OuterRef("pk"))).order_by(*SORTS["votes"])
    return JSONRows(ideas, "id", "title", "status", "vote_count", "comment_count")
