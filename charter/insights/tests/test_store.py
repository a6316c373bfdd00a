"""Stored figures: read back in one query while their stamp holds, computed again after any input changes."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from charter.goals.services import check_in_record
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.insights import selectors, store
from charter.insights.models import StoredFigures
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person
from charter.pulse.tests.factories import answer, close, make_survey

pytestmark = pytest.mark.django_db


def _key_results(owner, cycle, n):
    return [make_key_result(owner, make_goal(owner, cycle, f"G{i}")) for i in range(n)]


def _plain(result):
    return [(f.code, f.value, f.detail, f.parts) for f in result.indicators + result.factors]


def test_stored_figures_are_read_back_in_one_query(owner, cycle, django_assert_num_queries):
    _key_results(owner, cycle, 3)
    first = selectors.figures_for(owner, [cycle], None)[0]
    assert StoredFigures.objects.for_org(owner.organization).count() == 1
    with django_assert_num_queries(1):
        again = selectors.figures_for(owner, [cycle], None)[0]
    assert _plain(again) == _plain(first) == _plain(selectors.compute(owner, cycle, None))


def test_a_write_outdates_the_stored_figures(owner, cycle):
    krs = _key_results(owner, cycle, 2)
    before = selectors.insights_for(actor=owner, cycle_id=cycle.pk)
    assert before.figure("check_in_participation").value == 0.0
    check_in_record(actor=owner, key_result_id=krs[0].pk, value=50, confidence=7)
    after = selectors.insights_for(actor=owner, cycle_id=cycle.pk)
    assert after.figure("check_in_participation").value > 0.0
    assert _plain(after) == _plain(selectors.compute(owner, cycle, None))


def test_pulse_answers_outdate_the_stored_figures(owner, cycle):
    """Answers are not audited: their participations are counted in the stamp."""
    people = [make_person(owner, Role.MEMBER) for _ in range(5)]
    _, rnd = make_survey(owner)
    for person in people[:4]:
        answer(person, rnd, engagement=4)
    assert selectors.insights_for(actor=owner, cycle_id=cycle.pk).figure("pulse_engagement").value is None
    answer(people[4], rnd, engagement=4)
    close(rnd)  # pulse figures count closed rounds only; the new participation outdated the stored ones
    assert selectors.insights_for(actor=owner, cycle_id=cycle.pk).figure("pulse_engagement").value == 75.0


def test_the_attainment_mark_is_part_of_the_stamp(owner, cycle):
    selectors.insights_for(actor=owner, cycle_id=cycle.pk)
    owner.organization.attainment_mark = 0.5  # as a settings change would leave it
    assert store.load(owner.organization, None, [cycle.pk]) == {}


def test_figures_past_their_time_are_computed_again(owner, cycle):
    selectors.insights_for(actor=owner, cycle_id=cycle.pk)
    rows = StoredFigures.objects.for_org(owner.organization)
    assert rows.get().valid_until > timezone.now()  # a running cycle moves with time
    rows.update(valid_until=timezone.now() - timedelta(seconds=1))
    assert store.load(owner.organization, None, [cycle.pk]) == {}
    selectors.insights_for(actor=owner, cycle_id=cycle.pk)
    assert rows.get().valid_until > timezone.now()


def test_stored_per_organization_and_team(owner, other_owner, cycle):
    theirs = make_cycle(other_owner, "Theirs")
    selectors.insights_for(actor=owner, cycle_id=cycle.pk)
    selectors.insights_for(actor=other_owner, cycle_id=theirs.pk)
    assert store.load(owner.organization, None, [theirs.pk]) == {}
    assert set(store.load(other_owner.organization, None, [cycle.pk, theirs.pk])) == {theirs.pk}


def _goal(progress=0.0, last=None, created=None):
    return SimpleNamespace(progress=progress, last_check_in_at=last, created_at=created)


def test_valid_until():
    now = datetime(2026, 5, 10, 12, tzinfo=UTC)
    past = SimpleNamespace(starts_on=datetime(2026, 1, 1).date(), ends_on=datetime(2026, 3, 31).date())
    assert store.valid_until(past, [_goal()], 14, now) is None
    running = SimpleNamespace(starts_on=datetime(2026, 4, 1).date(), ends_on=datetime(2026, 6, 30).date())
    checked = now - timedelta(days=13, hours=20)  # goes stale in 4 hours
    done = _goal(progress=1.0, last=now - timedelta(days=13, hours=23))  # complete: never stale
    until = store.valid_until(running, [_goal(last=checked), done], 14, now)
    assert until == checked + timedelta(days=14)
    stale = _goal(last=now - timedelta(days=20))  # stale already: the next midnight
    assert store.valid_until(running, [stale], 14, now) <= datetime(2026, 5, 11, tzinfo=UTC)
