"""Reads of lessons: each exercise checked against the person's real data since they started it, a person's
lessons, and everyone's progress for admins."""

from dataclasses import dataclass

from django.urls import reverse

from charter.backbriefs.models import BackBrief
from charter.core.actor import Actor
from charter.core.errors import NotFound
from charter.delegation.models import PokerItem, PokerSession
from charter.goals.models import Goal, GoalRevision
from charter.ideas.models import Idea, IdeaTransition
from charter.lint import selectors as lint_selectors
from charter.organizations.models import Membership

from . import rules
from .models import LessonProgress

REVISED_GOALS_CHECKED = 5  # the latest goals whose intent the person revised, linted one by one


@dataclass(frozen=True)
class Check:
    """An exercise checked: `done` with the evidence (words and a link), or what is still to do."""

    done: bool
    evidence: str = ""
    url: str = ""
    to_do: str = ""


def lesson_get(key: str) -> rules.Lesson:
    try:
        return rules.LESSONS[key]
    except KeyError:
        raise NotFound(f"There is no lesson {key!r}.") from None


def progress_of(*, actor: Actor, lesson: str | None = None) -> dict[str, LessonProgress]:
    """The actor's own progress rows by lesson key."""
    rows = LessonProgress.objects.for_org(actor.organization).filter(person_id=actor.user_id)
    if lesson:
        rows = rows.filter(lesson=lesson)
    return {row.lesson: row for row in rows}


def my_lessons(*, actor: Actor) -> list[dict]:
    """Every lesson with the actor's state: not started, started (since when) or done (when, evidence)."""
    progress = progress_of(actor=actor)
    return [{"lesson": lesson, "progress": progress.get(key)} for key, lesson in rules.LESSONS.items()]


def exercise_check(*, actor: Actor, key: str) -> Check:
    """The lesson's exercise checked on the actor's data since they started it (a lesson not started is
    checked from now on: nothing yet)."""
    lesson_get(key)
    progress = progress_of(actor=actor, lesson=key).get(key)
    if progress is None:
        return Check(done=False, to_do="Start the exercise first: it counts what you do from then on.")
    if progress.completed_at:
        return Check(done=True, evidence=progress.evidence, url=progress.evidence_url)
    return CHECKS[key](actor, progress.started_at)


def _intent_rewritten(actor: Actor, since) -> Check:
    org = actor.organization
    revised = (
        GoalRevision.objects.for_org(org)
        .filter(
            actor_id=actor.user_id, created_at__gte=since, changes__has_any_keys=list(rules.INTENT_FIELDS)
        )
        .order_by("-created_at", "-id")
        .values_list("goal_id", flat=True)
    )
    goal_ids = list(dict.fromkeys(revised[: REVISED_GOALS_CHECKED * 4]))[:REVISED_GOALS_CHECKED]
    if not goal_ids:
        return Check(
            done=False,
            to_do="Open one of your goals, choose Edit, and rewrite its purpose and end state: why it "
            "matters and what is true when it succeeds. Then check again.",
        )
    goals = {g.pk: g for g in Goal.objects.for_org(org).filter(pk__in=goal_ids).select_related("cycle")}
    still = []
    for goal_id in goal_ids:
        goal = goals.get(goal_id)
        if goal is None:
            continue
        findings = lint_selectors.findings_of_goal(actor=actor, goal=goal)
        url = reverse("goal_detail", args=[goal.pk])
        if not findings:
            return Check(
                done=True,
                evidence=f"You rewrote the intent of “{goal.title}”, and lint finds nothing on it.",
                url=url,
            )
        still.append((goal, findings))
    if not still:
        return Check(done=False, to_do="The goals you revised are gone: rewrite the intent of another one.")
    goal, findings = still[0]
    listed = "; ".join(f.message for f in findings[:3])
    return Check(
        done=False,
        to_do=f"Lint still finds {len(findings)} thing{'s' if len(findings) != 1 else ''} on “{goal.title}”: "
        f"{listed}. Fix them (the goal page's Lint tab says how), then check again.",
        url=reverse("goal_detail", args=[goal.pk]),
    )


def _poker_run(actor: Actor, since) -> Check:
    org = actor.organization
    sessions = PokerSession.objects.for_org(org).filter(facilitator_id=actor.user_id, created_at__gte=since)
    item = (
        PokerItem.objects.for_org(org)
        .filter(session__in=sessions, set_by_id=actor.user_id, level_set__isnull=False)
        .select_related("session", "domain")
        .order_by("-set_at")
        .first()
    )
    if item:
        return Check(
            done=True,
            evidence=f"You ran “{item.session.title}” and set {item.domain.name} to level {item.level_set} "
            "from the team's cards.",
            url=reverse("poker_detail", args=[item.session_id]),
        )
    latest = sessions.order_by("-created_at").first()
    if latest is None:
        return Check(
            done=False,
            to_do="Open a delegation poker for your team on two or three domains where decisions wait or are "
            "overturned, and invite the team.",
            url=reverse("poker_create"),
        )
    if latest.state == PokerSession.State.PICKING:
        to_do = f"“{latest.title}” is still picking: the cards turn when everyone has picked, when you turn "
        to_do += "them, or at the deadline."
    else:
        to_do = f"The cards of “{latest.title}” have turned: discuss the spread, then set a level from it."
    return Check(done=False, to_do=to_do, url=reverse("poker_detail", args=[latest.pk]))


def _back_brief_confirmed(actor: Actor, since) -> Check:
    briefs = BackBrief.objects.for_org(actor.organization).select_related("goal", "team")
    confirmed = (
        briefs.filter(state=BackBrief.State.CONFIRMED, reviewed_by_id=actor.user_id, confirmed_at__gte=since)
        .order_by("-confirmed_at")
        .first()
    )
    if confirmed:
        return Check(
            done=True,
            evidence=f"You confirmed {confirmed.team.name}'s back-brief on “{confirmed.goal.title}”.",
            url=reverse("goal_detail", args=[confirmed.goal_id]),
        )
    waiting = (
        briefs.filter(state=BackBrief.State.SUBMITTED, goal__owner_id=actor.user_id)
        .order_by("submitted_at")
        .first()
    )
    if waiting:
        return Check(
            done=False,
            to_do=f"{waiting.team.name} sent its back-brief on “{waiting.goal.title}”: read it, and confirm "
            "it if it shows the team understood the intent (or ask what is unclear).",
            url=reverse("goal_detail", args=[waiting.goal_id]),
        )
    return Check(
        done=False,
        to_do="Give a goal of yours to a team (a new goal with that team, or choose the team on an existing "
        "one): the team is asked for a back-brief. Confirm it once it arrives.",
        url=reverse("back_brief_list"),
    )


def _ideas_decided(actor: Actor, since) -> Check:
    ideas = list(
        Idea.objects.for_org(actor.organization)
        .filter(goals__owner_id=actor.user_id, created_at__gte=since)
        .exclude(author_id=actor.user_id)
        .distinct()
        .order_by("created_at", "id")
        .values("id", "title", "status")
    )
    first_goal = (
        Goal.objects.for_org(actor.organization)
        .filter(owner_id=actor.user_id)
        .order_by("-created_at")
        .first()
    )
    ask = reverse("idea_create") + (f"?goal={first_goal.pk}" if first_goal else "")
    if not ideas:
        return Check(
            done=False,
            to_do="Ask your team for ideas on one of your goals: share the link to a new idea for that goal "
            "(below), or say so at your next meeting. Ideas others propose for your goals from now on count.",
            url=ask,
        )
    open_ideas = [i for i in ideas if i["status"] not in rules.DECIDED_IDEA_STATUSES]
    if open_ideas:
        return Check(
            done=False,
            to_do=f"{len(open_ideas)} of the {len(ideas)} ideas that came in wait for your decision, first "
            f"“{open_ideas[0]['title']}”: adopt or park each one, with a reason.",
            url=reverse("idea_detail", args=[open_ideas[0]["id"]]),
        )
    decided_by_you = IdeaTransition.objects.for_org(actor.organization).filter(
        idea_id__in=[i["id"] for i in ideas],
        actor_id=actor.user_id,
        to_status__in=rules.DECIDED_IDEA_STATUSES,
    )
    if not decided_by_you.exists():
        return Check(
            done=False, to_do="Someone else decided these ideas: ask for more, and decide them yourself."
        )
    return Check(
        done=True,
        evidence=f"{len(ideas)} idea{'s' if len(ideas) != 1 else ''} came in for your goals, and each has a "
        "decision.",
        url=reverse("idea_board"),
    )


CHECKS = {
    "delegation": _intent_rewritten,
    "team-dynamics": _poker_run,
    "communication": _back_brief_confirmed,
    "innovation": _ideas_decided,
}


def people_progress(*, actor: Actor) -> dict:
    """Every active person of the organization with their progress per lesson (admins): two queries."""
    actor.require("people.manage", "Only owners and admins see everyone's lessons.")
    org = actor.organization
    people = list(
        Membership.objects.for_org(org)
        .filter(is_active=True, user__is_active=True, user__kind="person")
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    rows = LessonProgress.objects.for_org(org).filter(person_id__in=[m.user_id for m in people])
    by_person: dict[int, dict[str, LessonProgress]] = {}
    for row in rows:
        by_person.setdefault(row.person_id, {})[row.lesson] = row
    lessons = list(rules.LESSONS.values())
    table = []
    for membership in people:
        mine = by_person.get(membership.user_id, {})
        cells = [mine.get(lesson.key) for lesson in lessons]
        table.append(
            {
                "person": membership.user,
                "role": membership.role,
                "cells": cells,
                "done": sum(1 for c in cells if c and c.completed_at),
            }
        )
    return {"lessons": lessons, "people": table}
