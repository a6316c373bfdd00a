"""The lessons' exercises checked on hand-built data: nothing before the start counts, each exercise is
done only by its own evidence, and the record is the person's own."""

from datetime import timedelta

import pytest
from django.utils import timezone

from charter.backbriefs.services import back_brief_confirm
from charter.backbriefs.tests.factories import make_given, submit
from charter.core.errors import NotFound, PermissionDenied
from charter.core.models import AuditEvent
from charter.delegation import services as delegation_services
from charter.delegation.tests.factories import make_cast
from charter.goals.services import goal_update
from charter.goals.tests.factories import make_goal, make_key_result
from charter.ideas.services import idea_move
from charter.ideas.tests.factories import make_idea
from charter.lessons import rules, selectors, services
from charter.lessons.models import LessonProgress
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person

CLEAN_INTENT = {
    "purpose": "New customers in Spain give up during sign-up because we ask for a tax number first.",
    "end_state": "A new Spanish customer finishes sign-up on a phone in under five minutes.",
    "constraints": "No change to how invoices are issued.",
    "freedoms": "The team chooses which sign-up steps to drop and in what order.",
}


def _check(actor, key):
    return selectors.exercise_check(actor=actor, key=key)


def test_not_started_counts_nothing_and_unknown_lessons_are_not_found(owner):
    assert not _check(owner, "delegation").done
    assert "Start the exercise" in _check(owner, "delegation").to_do
    with pytest.raises(NotFound):
        services.lesson_start(actor=owner, key="juggling")


def test_start_is_kept_once_and_audited(owner):
    first = services.lesson_start(actor=owner, key="delegation")
    again = services.lesson_start(actor=owner, key="delegation")
    assert first.pk == again.pk and first.started_at == again.started_at
    assert AuditEvent.objects.for_org(owner.organization).filter(action="lesson.start").count() == 1


def test_a_viewer_reads_but_does_not_take_the_exercises(owner):
    viewer = make_person(owner, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.lesson_start(actor=viewer, key="delegation")
    assert selectors.my_lessons(actor=viewer)[0]["progress"] is None


def test_intent_lesson_done_only_when_a_rewritten_goal_is_lint_clean(owner, cycle):
    goal = make_goal(owner, cycle, "Grow in Spain", purpose="Growth.", end_state="Done.")
    goal_update(actor=owner, goal_id=goal.pk, purpose="Growth matters.")  # before the start: not counted
    services.lesson_start(actor=owner, key="delegation")
    assert "rewrite its purpose" in _check(owner, "delegation").to_do

    goal_update(actor=owner, goal_id=goal.pk, purpose=CLEAN_INTENT["purpose"])
    check = _check(owner, "delegation")
    assert not check.done
    assert "Lint still finds" in check.to_do and "Grow in Spain" in check.to_do  # no key results, no limits

    goal_update(actor=owner, goal_id=goal.pk, **CLEAN_INTENT)
    make_key_result(owner, goal, "Sign-ups completed in Spain per week", start=40, target=120)
    progress, check = services.lesson_check(actor=owner, key="delegation")
    assert check.done and progress.completed_at
    assert "Grow in Spain" in progress.evidence and progress.evidence_url == f"/goals/{goal.pk}/"
    assert AuditEvent.objects.for_org(owner.organization).filter(action="lesson.complete").count() == 1
    services.lesson_check(actor=owner, key="delegation")  # done stays done, once
    assert AuditEvent.objects.for_org(owner.organization).filter(action="lesson.complete").count() == 1


def test_intent_lesson_counts_only_ones_own_revisions(owner, cycle):
    leader = make_person(owner, Role.LEADER)
    goal = make_goal(owner, cycle, "Grow in Spain")
    make_key_result(owner, goal, "Sign-ups completed in Spain per week", start=40, target=120)
    services.lesson_start(actor=leader, key="delegation")
    goal_update(actor=owner, goal_id=goal.pk, **CLEAN_INTENT)  # the owner's revision, not the leader's
    assert not _check(leader, "delegation").done


def test_back_brief_lesson_done_when_confirmed_after_the_start(owner, cycle):
    services.lesson_start(actor=owner, key="communication")
    given = make_given(owner, cycle)
    assert "Give a goal of yours to a team" in _check(owner, "communication").to_do
    submit(given.lead, given.back_brief)
    assert "sent its back-brief" in _check(owner, "communication").to_do
    back_brief_confirm(actor=owner, back_brief_id=given.back_brief.pk)
    progress, check = services.lesson_check(actor=owner, key="communication")
    assert check.done and "Onboarding team" in progress.evidence


def test_back_brief_confirmed_before_the_start_does_not_count(owner, cycle):
    given = make_given(owner, cycle)
    submit(given.lead, given.back_brief)
    back_brief_confirm(actor=owner, back_brief_id=given.back_brief.pk)
    services.lesson_start(actor=owner, key="communication")
    assert not _check(owner, "communication").done


def test_ideas_lesson_needs_ideas_from_others_each_decided(owner, cycle):
    member = make_person(owner, Role.MEMBER)
    goal = make_goal(owner, cycle, "Faster onboarding")
    services.lesson_start(actor=owner, key="innovation")
    make_idea(owner, "My own idea", goal_ids=[goal.pk])  # the leader's own ideas do not count
    check = _check(owner, "innovation")
    assert not check.done and check.url == f"/ideas/new/?goal={goal.pk}"

    first = make_idea(member, "Import their data for them", goal_ids=[goal.pk])
    second = make_idea(member, "A video instead of the manual", goal_ids=[goal.pk])
    assert "2 of the 2 ideas" in _check(owner, "innovation").to_do
    idea_move(
        actor=owner, idea_id=first.pk, to_status="adopted", reason="Saves steps.", adopted_goal_id=goal.pk
    )
    assert "1 of the 2 ideas" in _check(owner, "innovation").to_do
    idea_move(actor=owner, idea_id=second.pk, to_status="parked", reason="After the launch.")
    progress, check = services.lesson_check(actor=owner, key="innovation")
    assert check.done and progress.completed_at


def test_ideas_before_the_start_do_not_count(owner, cycle):
    member = make_person(owner, Role.MEMBER)
    goal = make_goal(owner, cycle, "Faster onboarding")
    idea = make_idea(member, "Import their data for them", goal_ids=[goal.pk])
    idea_move(actor=owner, idea_id=idea.pk, to_status="parked", reason="Later.")
    services.lesson_start(actor=owner, key="innovation")
    assert not _check(owner, "innovation").done


def test_progress_of_people_is_for_admins_and_stays_in_the_organization(owner, other_owner, cycle):
    member = make_person(owner, Role.MEMBER, full_name="Mia Member")
    services.lesson_start(actor=member, key="innovation")
    LessonProgress.objects.for_org(owner.organization).filter(person_id=member.user_id).update(
        completed_at=timezone.now(), evidence="Done."
    )
    services.lesson_start(actor=other_owner, key="innovation")
    table = selectors.people_progress(actor=owner)
    rows = {row["person"].full_name: row for row in table["people"]}
    assert rows["Mia Member"]["done"] == 1 and rows[owner.user.full_name]["done"] == 0
    assert other_owner.user.full_name not in rows
    with pytest.raises(PermissionDenied):
        selectors.people_progress(actor=member)


def test_started_at_bounds_the_evidence(owner, cycle):
    progress = services.lesson_start(actor=owner, key="delegation")
    LessonProgress.objects.for_org(owner.organization).filter(pk=progress.pk).update(
        started_at=timezone.now() + timedelta(days=1)
    )
    goal = make_goal(owner, cycle, "Grow in Spain")
    make_key_result(owner, goal, "Sign-ups completed in Spain per week", start=40, target=120)
    goal_update(actor=owner, goal_id=goal.pk, **CLEAN_INTENT)
    assert not _check(owner, "delegation").done


def test_every_lesson_has_its_exercise_check():
    assert set(selectors.CHECKS) == set(rules.LESSONS)


def test_poker_lesson_done_when_a_level_is_set_from_ones_own_session(owner):
    cast = make_cast(owner)
    services.lesson_start(actor=owner, key="team-dynamics")
    assert _check(owner, "team-dynamics").url == "/delegation/poker/new/"
    session = delegation_services.poker_open(
        actor=owner, team_id=cast.product.pk, domain_ids=[cast.domain.pk], title="Who prices?"
    )
    assert "still picking" in _check(owner, "team-dynamics").to_do
    delegation_services.poker_pick(actor=cast.ana, session_id=session.pk, domain_id=cast.domain.pk, level=5)
    delegation_services.poker_reveal(actor=owner, session_id=session.pk)
    assert "have turned" in _check(owner, "team-dynamics").to_do
    delegation_services.poker_set_level(actor=owner, session_id=session.pk, domain_id=cast.domain.pk, level=5)
    progress, check = services.lesson_check(actor=owner, key="team-dynamics")
    assert check.done and "Who prices?" in progress.evidence and "level 5" in progress.evidence
