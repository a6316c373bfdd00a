"""Surveys, rounds and answers through the services: once per person, audience, teams of 5+, schedule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from charter.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team
from charter.pulse import answering, services, tasks
from charter.pulse.models import RoundParticipation, Survey, SurveyRound
from charter.pulse.results import survey_results

from .factories import answer, close, make_survey, respondents, stored_teams

pytestmark = pytest.mark.django_db


def test_a_new_survey_offers_the_five_default_questions(owner):
    survey, rnd = make_survey(owner)
    assert [q.code for q in survey.questions.all()] == [
        "engagement",
        "satisfaction",
        "clarity",
        "autonomy",
        "safety",
    ]
    assert rnd.number == 1 and rnd.opens_on == timezone.localdate()
    survey.refresh_from_db()
    assert survey.next_opens_on == rnd.opens_on + timedelta(days=14)


def test_custom_questions_are_checked(owner):
    with pytest.raises(ValidationError, match="Question 1 has no text"):
        services.survey_create(actor=owner, title="P", questions=[{"text": " ", "kind": "scale5"}])
    with pytest.raises(ValidationError, match="scale5, scale10 or text"):
        services.survey_create(actor=owner, title="P", questions=[{"text": "Q", "kind": "stars"}])
    with pytest.raises(ValidationError, match="at least one team"):
        services.survey_create(actor=owner, title="P", audience="teams")


def test_only_admins_manage_surveys(owner):
    leader = make_person(owner, Role.LEADER)
    with pytest.raises(PermissionDenied):
        services.survey_create(actor=leader, title="P")


def test_one_answer_per_person_per_round(owner):
    member = make_person(owner, Role.MEMBER)
    _, rnd = make_survey(owner)
    answer(member, rnd)
    with pytest.raises(Conflict, match="already answered this round"):
        answer(member, rnd)
    assert len(stored_teams(owner.organization)) == 1
    assert RoundParticipation.objects.for_org(owner.organization).count() == 1


def test_answers_must_cover_every_question_within_range(owner):
    _, rnd = make_survey(owner)
    with pytest.raises(ValidationError) as exc:
        answering.round_answer(actor=owner, round_id=rnd.pk, answers={})
    assert len(exc.value.errors) == 5
    assert not RoundParticipation.objects.for_org(owner.organization).exists()


def test_a_closed_round_takes_no_answers(owner):
    _, rnd = make_survey(owner)
    SurveyRound.objects.for_org(owner.organization).filter(pk=rnd.pk).update(
        opens_on="2020-01-01", closes_on="2020-01-07"
    )
    with pytest.raises(Conflict, match="closed"):
        answer(owner, rnd)


def test_a_team_survey_asks_only_its_teams(owner):
    team = make_team(owner, "Platform")
    inside, outside = make_person(owner, team=team), make_person(owner)
    _, rnd = make_survey(owner, audience="teams", team_ids=[team.pk])
    assert rnd.audience_size == 1
    answer(inside, rnd)
    with pytest.raises(PermissionDenied):
        answer(outside, rnd)


def test_an_answer_keeps_its_team_only_when_the_team_has_5_people(owner):
    big, small = make_team(owner, "Big"), make_team(owner, "Small")
    in_big, in_small = respondents(owner, 5, team=big), respondents(owner, 2, team=small)
    _, rnd = make_survey(owner)
    answer(in_big[0], rnd)
    answer(in_small[0], rnd)
    assert stored_teams(owner.organization) == sorted([big.pk, None], key=str)


def test_response_rate_is_participations_over_audience(owner):
    people = respondents(owner, 9)  # audience: the owner and 9 people
    _, rnd = make_survey(owner)
    for person in people[:6]:
        answer(person, rnd)
    latest = survey_results(actor=owner, survey_id=rnd.survey_id).latest
    assert (latest.respondents, latest.audience, latest.response_rate) == (6, 10, 0.6)


def test_team_results_need_5_respondents_of_that_team(owner):
    team = make_team(owner, "Big")
    people = respondents(owner, 5, team=team)
    _, rnd = make_survey(owner)
    for person in people[:4]:
        answer(person, rnd)
    answer(owner, rnd)  # five in the organization, four of them in the team
    close(rnd)
    assert survey_results(actor=owner, survey_id=rnd.survey_id).latest.enough
    result = survey_results(actor=owner, survey_id=rnd.survey_id, team_id=team.pk).latest
    assert not result.enough and (result.respondents, result.response_rate) == (4, 0.8)


def test_open_a_round_now_is_refused_while_one_is_open(owner):
    survey, _ = make_survey(owner)
    with pytest.raises(Conflict, match="is open until"):
        services.round_open(actor=owner, survey_id=survey.pk)


def test_the_scheduler_opens_due_rounds_once(owner):
    survey = services.survey_create(actor=owner, title="P", recurrence="weekly")
    tasks.pulse_rounds_enqueue("2026-01-01T00:00")  # ImmediateBackend: the tasks run now
    tasks.pulse_rounds_enqueue("2026-01-01T00:01")
    rounds = SurveyRound.objects.for_org(owner.organization).filter(survey=survey)
    assert rounds.count() == 1
    survey.refresh_from_db()
    assert survey.next_opens_on == timezone.localdate() + timedelta(days=7)


def test_an_inactive_survey_opens_no_rounds(owner):
    survey = services.survey_create(actor=owner, title="P", active=False)
    assert survey.next_opens_on is None
    tasks.pulse_rounds_enqueue("2026-01-01T00:00")
    assert not SurveyRound.objects.for_org(owner.organization).exists()


def test_another_organizations_survey_is_not_found(owner, other_owner):
    survey, rnd = make_survey(other_owner)
    with pytest.raises(NotFound):
        survey_results(actor=owner, survey_id=survey.pk)
    with pytest.raises(NotFound):
        answer(owner, rnd)
    with pytest.raises(NotFound):
        services.round_open(actor=owner, survey_id=survey.pk)
    assert Survey.objects.for_org(owner.organization).count() == 0
