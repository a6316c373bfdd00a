"""Review services: grading, adaptations, retrospectives, the lock after close, permissions, isolation."""

import pytest

from charter.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from charter.goals.models import Goal
from charter.goals.revisions import goal_history
from charter.goals.services import cycle_update
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team
from charter.reviews import selectors, services

pytestmark = pytest.mark.django_db


def _close(owner, cycle):
    cycle_update(
        actor=owner,
        cycle_id=cycle.pk,
        name=cycle.name,
        starts_on=cycle.starts_on,
        ends_on=cycle.ends_on,
        state="closed",
    )


def test_a_member_grades_their_teams_goal_with_the_suggestion_kept(rv):
    grade = services.goal_grade(actor=rv.member, goal_id=rv.goal.pk, grade=0.7)
    assert (grade.grade, grade.suggested_grade, grade.team_id) == (0.7, 0.8, rv.team.pk)  # progress 6/8
    again = services.goal_grade(actor=rv.member, goal_id=rv.goal.pk, grade=0.8)
    assert again.pk == grade.pk
    assert [
        g.grade for g in selectors.grades_for_cycle(organization=rv.member.organization, cycle_id=rv.cycle.pk)
    ] == [0.8]


def test_a_grade_outside_0_1_is_refused(rv):
    with pytest.raises(ValidationError) as exc:
        services.goal_grade(actor=rv.member, goal_id=rv.goal.pk, grade=1.5)
    assert "grade" in exc.value.errors


def test_carry_over_copies_intent_and_key_results_from_where_they_ended(rv):
    row = services.goal_adapt(
        actor=rv.member, goal_id=rv.goal.pk, adaptation="carry_over", to_cycle_id=rv.next_cycle.pk
    )
    copy = Goal.objects.for_org(rv.member.organization).get(pk=row.carried_to_id)
    assert copy.cycle_id == rv.next_cycle.pk and copy.team_id == rv.team.pk
    assert (copy.purpose, copy.end_state, copy.constraints) == (
        rv.goal.purpose,
        rv.goal.end_state,
        "No new headcount.",
    )
    kr = copy.key_results.get()
    assert (kr.title, kr.kind, kr.start, kr.current, kr.target, kr.unit) == (
        "Days to first use",
        "decrease",
        4,
        4,
        2,
        "days",
    )
    assert copy.carried_from.get().goal_id == rv.goal.pk  # linked back
    with pytest.raises(Conflict):
        services.goal_adapt(
            actor=rv.member, goal_id=rv.goal.pk, adaptation="carry_over", to_cycle_id=rv.next_cycle.pk
        )


def test_carry_over_needs_another_open_cycle(rv):
    with pytest.raises(ValidationError) as exc:
        services.goal_adapt(
            actor=rv.member, goal_id=rv.goal.pk, adaptation="carry_over", to_cycle_id=rv.cycle.pk
        )
    assert "to_cycle_id" in exc.value.errors


def test_revise_with_reason_shows_in_the_history_with_the_diff(rv):
    services.goal_adapt(
        actor=rv.member,
        goal_id=rv.goal.pk,
        adaptation="revise",
        reason="Two days was never realistic.",
        goal_changes={"end_state": "Customers notice a real difference."},
        key_result_changes=[{"id": rv.kr.pk, "target": 3}],
    )
    history = goal_history(actor=rv.member, goal_id=rv.goal.pk)
    assert {r.reason for r in history} == {"Two days was never realistic."}
    kr_rev = next(r for r in history if getattr(r, "key_result_id", None))
    goal_rev = next(r for r in history if not getattr(r, "key_result_id", None))
    assert kr_rev.changes["target"] == [2, 3]
    assert goal_rev.changes["end_state"] == [
        "Customers notice the difference.",
        "Customers notice a real difference.",
    ]
    grade = selectors.grades_for_cycle(organization=rv.member.organization, cycle_id=rv.cycle.pk)[0]
    assert (grade.adaptation, grade.adaptation_reason) == ("revise", "Two days was never realistic.")


def test_revise_that_changes_nothing_or_has_no_reason_is_refused(rv):
    with pytest.raises(ValidationError):
        services.goal_adapt(actor=rv.member, goal_id=rv.goal.pk, adaptation="revise", reason="x")
    with pytest.raises(ValidationError) as exc:
        services.goal_adapt(
            actor=rv.member, goal_id=rv.goal.pk, adaptation="revise", goal_changes={"purpose": "New"}
        )
    assert "reason" in exc.value.errors


def test_drop_needs_a_reason(rv):
    with pytest.raises(ValidationError):
        services.goal_adapt(actor=rv.member, goal_id=rv.other.pk, adaptation="drop", reason=" ")
    row = services.goal_adapt(
        actor=rv.member, goal_id=rv.other.pk, adaptation="drop", reason="The docs moved to the product."
    )
    assert (row.adaptation, row.adaptation_reason) == ("drop", "The docs moved to the product.")


def test_retrospective_written_and_rewritten(rv):
    review = services.review_write(
        actor=rv.member,
        cycle_id=rv.cycle.pk,
        team_id=rv.team.pk,
        what_worked="Pairing",
        what_did_not="",
        what_we_change="Smaller goals",
    )
    assert review.has_retrospective and review.submitted_by_id == rv.member.user_id
    again = services.review_update(actor=rv.member, review_id=review.pk, what_worked="Pairing a lot")
    assert again.pk == review.pk and again.what_worked == "Pairing a lot"
    with pytest.raises(ValidationError):
        services.review_write(actor=rv.member, cycle_id=rv.cycle.pk, team_id=rv.team.pk)
    assert selectors.reviews_for_cycle(organization=rv.member.organization, cycle_id=rv.cycle.pk) == [again]


def test_closing_the_cycle_locks_every_write(owner, rv):
    services.goal_grade(actor=rv.member, goal_id=rv.goal.pk, grade=0.5)
    _close(owner, rv.cycle)
    writes = [
        lambda: services.goal_grade(actor=owner, goal_id=rv.goal.pk, grade=0.9),
        lambda: services.goal_adapt(actor=owner, goal_id=rv.goal.pk, adaptation="drop", reason="late"),
        lambda: services.goal_adapt(
            actor=owner, goal_id=rv.goal.pk, adaptation="carry_over", to_cycle_id=rv.next_cycle.pk
        ),
        lambda: services.review_write(actor=owner, cycle_id=rv.cycle.pk, team_id=rv.team.pk, what_worked="x"),
    ]
    for write in writes:
        with pytest.raises(Conflict, match="closed"):
            write()
    assert selectors.grades_for_cycle(organization=owner.organization, cycle_id=rv.cycle.pk)[0].grade == 0.5


def test_another_teams_member_and_a_viewer_may_not_write(owner, rv):
    outsider = make_person(owner, Role.MEMBER, team=make_team(owner, "Sales"))
    viewer = make_person(owner, Role.VIEWER, team=rv.team)
    for actor in (outsider, viewer):
        with pytest.raises(PermissionDenied):
            services.goal_grade(actor=actor, goal_id=rv.goal.pk, grade=0.5)
        with pytest.raises(PermissionDenied):
            services.review_write(actor=actor, cycle_id=rv.cycle.pk, team_id=rv.team.pk, what_worked="x")
    leader = make_person(owner, Role.LEADER)
    assert services.goal_grade(actor=leader, goal_id=rv.goal.pk, grade=0.4).grade == 0.4


def test_another_organizations_goal_is_not_found(rv, other_owner):
    with pytest.raises(NotFound):
        services.goal_grade(actor=other_owner, goal_id=rv.goal.pk, grade=0.5)
    with pytest.raises(NotFound):
        goal_history(actor=other_owner, goal_id=rv.goal.pk)
    assert selectors.grades_for_cycle(organization=other_owner.organization, cycle_id=rv.cycle.pk) == []
