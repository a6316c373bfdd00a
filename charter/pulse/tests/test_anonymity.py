"""No answer can be traced to its person: by the models, by ids and order, by the API and the pages."""

import uuid

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from charter.core.models import AuditEvent
from charter.pulse import answering
from charter.pulse.models import Answer, BallotBox, Response, RoundParticipation
from charter.pulse.selectors import pulse_summary

from .factories import answer, close, make_survey, respondents

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Response, Answer])
def test_answers_have_no_link_to_a_person_and_no_time(model):
    for f in model._meta.get_fields():
        if f.is_relation and f.many_to_one:
            assert f.related_model._meta.label in {
                "organizations.Organization",
                "organizations.Team",
                "pulse.SurveyRound",
                "pulse.Response",
                "pulse.Question",
            }, f"{model.__name__}.{f.name} links to {f.related_model._meta.label}"
        assert not isinstance(f, models.DateField | models.DateTimeField), (
            f"{model.__name__}.{f.name} is a time"
        )
    assert isinstance(model._meta.pk, models.UUIDField)


def test_the_ballot_box_has_no_person_and_no_time():
    for f in BallotBox._meta.get_fields():
        assert not isinstance(f, models.DateField | models.DateTimeField), f.name
        if f.is_relation:
            assert f.related_model._meta.label in {"organizations.Organization", "pulse.SurveyRound"}, f.name


def test_participation_has_no_time_and_no_link_to_answers():
    fields = RoundParticipation._meta.get_fields()
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in fields)
    assert {f.related_model for f in fields if f.is_relation} & {Response, Answer} == set()
    assert isinstance(RoundParticipation._meta.pk, models.UUIDField)


def _answered_round(owner, n=6, *, sealed=False):
    people = respondents(owner, n)
    survey, rnd = make_survey(owner)
    for i, person in enumerate(people):
        answer(person, rnd, engagement=1 + i % 5, enps=i)
    if sealed:
        close(rnd)
        assert answering.round_seal(round_id=rnd.pk)
    return survey, rnd


def test_participation_and_answers_cannot_be_correlated(owner):
    _, rnd = _answered_round(owner, sealed=True)
    org = owner.organization
    participation_ids = {str(p) for p in RoundParticipation.objects.for_org(org).values_list("pk", flat=True)}
    responses = list(Response.objects.for_org(org).values_list("pk", flat=True))
    answer_ids = {str(a) for a in Answer.objects.for_org(org).values_list("pk", flat=True)}
    assert len(responses) == 6
    # Random keys: nothing in common, no sequence to line up with the order people answered in.
    assert all(isinstance(r, uuid.UUID) and r.version == 4 for r in responses)
    assert participation_ids.isdisjoint({str(r) for r in responses} | answer_ids)
    # The audit trail records no answer and no response.
    audited = set(AuditEvent.objects.for_org(org).values_list("object_type", flat=True))
    assert {"pulse.response", "pulse.answer", "pulse.roundparticipation"}.isdisjoint(audited)


def test_sealing_a_closed_round_turns_its_ballot_box_into_rows(owner):
    _, rnd = _answered_round(owner)
    org = owner.organization
    box = BallotBox.objects.for_org(org).get(round=rnd)
    values = sorted((q, v, t) for _, given in box.entries for q, v, t in given)
    assert not Response.objects.for_org(org).exists()  # while open, no row per answer
    assert not answering.round_seal(round_id=rnd.pk)  # not before it closes
    type(rnd).objects.for_org(org).filter(pk=rnd.pk).update(opens_on="2020-01-01", closes_on="2020-01-07")
    assert answering.round_seal(round_id=rnd.pk)
    assert not answering.round_seal(round_id=rnd.pk)  # safe twice
    assert Response.objects.for_org(org).count() == 6 and not BallotBox.objects.for_org(org).exists()
    assert sorted(Answer.objects.for_org(org).values_list("question_id", "value", "text")) == values


def test_no_page_api_or_admin_lists_responses(owner, login):
    survey, _ = _answered_round(owner, sealed=True)
    ids = [str(r) for r in Response.objects.for_org(owner.organization).values_list("pk", flat=True)]
    ids += [str(a) for a in Answer.objects.for_org(owner.organization).values_list("pk", flat=True)]
    client = login(owner)
    pages = [reverse("survey_results", args=[survey.pk]), reverse("pulse_home")]
    api_paths = [f"/api/v1/pulse/surveys/{survey.pk}/results", f"/api/v1/pulse/surveys/{survey.pk}/rounds"]
    for url in pages + api_paths:
        text = client.get(url).content.decode()
        assert not any(i in text or i.replace("-", "") in text for i in ids), url
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/pulse/surveys/{survey_id}/results" in paths
    assert not [p for p in paths if p.startswith("/api/v1/pulse") and "response" in p]
    if apps.is_installed("django.contrib.admin"):  # no admin today; if one comes, it lists no answers
        from django.contrib import admin

        assert not {Response, Answer, RoundParticipation, BallotBox} & set(admin.site._registry)


def test_a_group_of_4_shows_nothing_anywhere(owner, login):
    people = respondents(owner, 4)
    survey, rnd = make_survey(owner)
    for person in people:
        answer(person, rnd)
    close(rnd)
    client = login(owner)
    page = client.get(reverse("survey_results", args=[survey.pk])).content.decode()
    assert "Not enough responses to show results (4 of at least 5)" in page
    assert ">Mean<" not in page
    body = client.get(f"/api/v1/pulse/surveys/{survey.pk}/results").json()
    assert body["rounds"][0]["enough"] is False and body["rounds"][0]["questions"] == []
    assert body["rounds"][0]["message"] == "Not enough responses to show results (4 of at least 5)."
    summary = pulse_summary(organization=owner.organization)
    assert summary.respondents == 4 and not summary.enough
    assert (
        summary.engagement
        is summary.satisfaction
        is summary.satisfaction_enps
        is summary.response_rate
        is None
    )


def test_a_group_of_5_shows_results(owner, login):
    people = respondents(owner, 5)
    survey, rnd = make_survey(owner)
    for i, person in enumerate(people):
        answer(person, rnd, engagement=5 if i < 3 else 1, enps=[10, 9, 8, 6, 0][i])
    close(rnd)
    client = login(owner)
    page = client.get(reverse("survey_results", args=[survey.pk])).content.decode()
    assert "Not enough responses" not in page and ">Mean<" in page
    body = client.get(f"/api/v1/pulse/surveys/{survey.pk}/results").json()
    first = body["rounds"][0]
    assert first["enough"] and first["respondents"] == 5
    by_code = {q["text"]: q for q in first["questions"]}
    assert by_code["I look forward to my work"]["mean"] == 3.4
    assert (
        by_code["How likely are you to recommend working here?"]["enps"] == 0.0
    )  # 2 promoters, 2 detractors
    summary = pulse_summary(organization=owner.organization)
    assert summary.enough and summary.respondents == 5
    assert summary.engagement == 60.0  # mean 3.4 on 1-5
    assert summary.satisfaction_enps == 0.0 and summary.satisfaction == 50.0
    assert summary.response_rate == round(5 / 6, 3)  # the owner was asked too


def test_pulse_summary_filters_by_team_and_period(owner):
    from datetime import timedelta

    from charter.organizations.tests.factories import make_team

    team = make_team(owner, "Big")
    people = respondents(owner, 5, team=team)
    _, rnd = make_survey(owner)
    for person in people:
        answer(person, rnd, engagement=5, enps=10)
    close(rnd, days_ago=1)
    today = rnd.opens_on
    mine = pulse_summary(organization=owner.organization, team_id=team.pk, since=today, until=today)
    assert mine.enough and mine.engagement == 100.0 and mine.satisfaction == 100.0
    assert mine.response_rate == 1.0
    later = pulse_summary(organization=owner.organization, since=today + timedelta(days=1))
    assert later.respondents == 0 and later.engagement is None
