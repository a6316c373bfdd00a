"""Reads of cycle reviews, scoped to an organization; a constant number of queries per page."""

from collections import Counter

from django.db.models import OuterRef, Prefetch

from charter.core.actor import Actor
from charter.core.errors import NotFound
from charter.core.jsonrows import JSONRows
from charter.goals.models import Cycle, Goal, GoalRevision, KeyResult, KeyResultRevision
from charter.organizations.models import Team

from . import rules
from .models import CycleReview, GoalGrade


def grades_for_cycle(*, organization, cycle_id: int, team_ids=None) -> list[GoalGrade]:
    grades = GoalGrade.objects.for_org(organization).filter(cycle_id=cycle_id)
    if team_ids is not None:
        grades = grades.filter(team_id__in=team_ids)
    return list(grades.select_related("goal", "team", "graded_by", "carried_to", "carried_to__cycle"))


def reviews_for_cycle(*, organization, cycle_id: int, team_ids=None) -> list[CycleReview]:
    reviews = CycleReview.objects.for_org(organization).filter(cycle_id=cycle_id)
    if team_ids is not None:
        reviews = reviews.filter(team_id__in=team_ids)
    return list(reviews.select_related("team", "submitted_by"))


def _cycle(actor: Actor, cycle_id: int) -> Cycle:
    cycle = Cycle.objects.for_org(actor.organization).filter(pk=cycle_id).first()
    if cycle is None:
        raise NotFound("No such cycle.")
    return cycle


def review_get(*, actor: Actor, review_id: int) -> CycleReview:
    review = (
        CycleReview.objects.for_org(actor.organization)
        .select_related("cycle", "team", "submitted_by")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise NotFound("No such review.")
    return review


def cycle_overview(*, actor: Actor, cycle_id: int) -> dict:
    """Teams with goals in the cycle and their review progress: graded x of y, retrospective written."""
    cycle = _cycle(actor, cycle_id)
    org = actor.organization
    goals = Counter(
        Goal.objects.for_org(org).filter(cycle=cycle, team__isnull=False).values_list("team_id", flat=True)
    )
    graded = Counter(
        GoalGrade.objects.for_org(org)
        .filter(cycle=cycle, grade__isnull=False, goal__team_id__isnull=False)
        .values_list("goal__team_id", flat=True)
    )
    reviews = {r.team_id: r for r in reviews_for_cycle(organization=org, cycle_id=cycle.pk)}
    teams = Team.objects.for_org(org).filter(pk__in=goals).order_by("name")
    rows = [
        {"team": t, "goals": goals[t.pk], "graded": graded[t.pk], "review": reviews.get(t.pk)} for t in teams
    ]
    return {"cycle": cycle, "rows": rows}


def team_review(*, actor: Actor, cycle_id: int, team_id: int) -> dict:
    """One team's review page: its goals with key results, their grades, the retrospective."""
    cycle = _cycle(actor, cycle_id)
    org = actor.organization
    team = Team.objects.for_org(org).filter(pk=team_id).first()
    if team is None:
        raise NotFound("No such team.")
    goals = list(
        Goal.objects.for_org(org)
        .filter(cycle=cycle, team=team)
        .select_related("owner")
        .prefetch_related(Prefetch("key_results", queryset=KeyResult.objects.select_related("owner")))
        .order_by("title", "id")
    )
    grades = {g.goal_id: g for g in grades_for_cycle(organization=org, cycle_id=cycle.pk, team_ids=[team.pk])}
    mark = org.attainment_mark
    rows = []
    for goal in goals:
        grade = grades.get(goal.pk)
        value = grade.grade if grade else None
        rows.append(
            {
                "goal": goal,
                "grade": grade,
                "suggested": rules.suggested_grade(goal.progress),
                "attained": rules.attained(value, mark),
            }
        )
    review = CycleReview.objects.for_org(org).filter(cycle=cycle, team=team).first()
    return {
        "cycle": cycle,
        "team": team,
        "rows": rows,
        "review": review,
        "mark": mark,
        "graded": sum(1 for r in rows if r["grade"] and r["grade"].grade is not None),
        "lock_reason": rules.lock_reason(cycle.name, cycle.state),
        "other_cycles": [c for c in Cycle.objects.for_org(org) if c.pk != cycle.pk and c.state != "closed"],
    }


def goal_revision_columns(*, actor: Actor) -> dict:
    """The revisions of the goal of the outer query (`OuterRef("pk")`) and of its key results, as two lists
    of plain rows read with the goal (the goal page's panel); `revision_rows` merges them."""
    org = actor.organization
    columns = {"at": "created_at", "actor_name": "actor__full_name", "actor_email": "actor__email"}
    of_goal = GoalRevision.objects.for_org(org).filter(goal_id=OuterRef("pk")).order_by("-created_at", "-id")
    of_key_results = KeyResultRevision.objects.for_org(org).filter(goal_id=OuterRef("pk"))
    return {
        "goal_revision_rows": JSONRows(of_goal, "id", "reason", "changes", **columns),
        "kr_revision_rows": JSONRows(
            of_key_results.order_by("-created_at", "-id"), "id", "reason", "changes", **columns,
            kr_id="key_result_id", kr_title="key_result__title",
        ),
    }  # fmt: skip


def revision_rows(columns: dict) -> list[dict]:
    """The goal's and its key results' revisions, newest first, shaped like the revisions the panel's
    template reads."""
    rows = [*columns["goal_revision_rows"], *columns["kr_revision_rows"]]
    rows.sort(key=lambda r: (r["at"], r["id"]), reverse=True)
    return [_revision(r) for r in rows]


def goal_revision_rows(*, actor: Actor, goal: Goal) -> list[dict]:
    """`revision_rows` of a goal already read, in one query of its own."""
    goals = Goal.objects.for_org(actor.organization).filter(pk=goal.pk)
    return revision_rows(goals.values(**goal_revision_columns(actor=actor)).get())


def _revision(r: dict) -> dict:
    return {
        "created_at": r["at"],
        "reason": r["reason"],
        "changes": r["changes"],
        "actor": {"full_name": r["actor_name"], "email": r["actor_email"]},
        "key_result_id": r.get("kr_id"),
        "key_result": {"title": r.get("kr_title")},
    }
