"""Pulse pages: answer from home (htmx) and from /pulse/, twice is refused with a message, create a
survey, and the results page keeps a constant number of queries."""

import pytest
from django.urls import reverse

from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person
from charter.pulse import answering
from charter.pulse.models import RoundParticipation, Survey
from charter.pulse.services import survey_update

from .factories import close, make_survey, stored_teams

pytestmark = pytest.mark.django_db


def _post_answers(rnd, **extra):
    data = {f"q{q.pk}": ("8" if q.kind == "scale10" else "4") for q in rnd.survey.questions.all()}
    return {**data, **extra}


def test_home_shows_the_pulse_panel_and_answers_inline(owner, login):
    member = make_person(owner, Role.MEMBER)
    _, rnd = make_survey(owner)
    client = login(member)
    home = client.get(reverse("home")).content.decode()
    assert "Pulse: 5 questions, under a minute" in home
    assert 'type="radio"' in home and f'for="r{rnd.pk}-q' in home
    response = client.post(reverse("round_answer", args=[rnd.pk]), _post_answers(rnd), HTTP_HX_REQUEST="true")
    assert "your answers are in" in response.content.decode()
    assert RoundParticipation.objects.for_org(owner.organization).filter(user=member.user).exists()
    assert "Pulse: 5 questions" not in client.get(reverse("home")).content.decode()


def test_answering_twice_is_refused_with_a_message(owner, login):
    member = make_person(owner, Role.MEMBER)
    _, rnd = make_survey(owner)
    client = login(member)
    client.post(reverse("round_answer", args=[rnd.pk]), _post_answers(rnd))
    again = client.post(reverse("round_answer", args=[rnd.pk]), _post_answers(rnd), HTTP_HX_REQUEST="true")
    assert answering.ALREADY in again.content.decode()
    page = client.get(reverse("round_answer", args=[rnd.pk])).content.decode()
    assert answering.ALREADY in page
    assert len(stored_teams(owner.organization)) == 1


def test_a_missing_answer_is_shown_beside_its_question(owner, login):
    _, rnd = make_survey(owner)
    client = login(owner)
    data = _post_answers(rnd)
    data.pop(next(iter(data)))
    response = client.post(reverse("round_answer", args=[rnd.pk]), data)
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert not RoundParticipation.objects.for_org(owner.organization).exists()


def test_an_admin_schedules_a_survey_with_edited_and_custom_questions(owner, login):
    client = login(owner)
    form = client.get(reverse("survey_create")).content.decode()
    assert "I look forward to my work" in form
    data = {"title": "Team pulse", "recurrence": "monthly", "audience": "organization", "active": "on"}
    for i in range(8):
        data |= {f"q{i}_text": "", f"q{i}_kind": "scale5", f"q{i}_code": ""}
    data |= {"q0_text": "I enjoy my work", "q0_kind": "scale5", "q0_code": "engagement"}
    data |= {"q1_text": "What would you change?", "q1_kind": "text"}
    response = client.post(reverse("survey_create"), data)
    survey = Survey.objects.for_org(owner.organization).get()
    assert response.status_code == 302
    assert [(q.code, q.text, q.kind) for q in survey.questions.all()] == [
        ("engagement", "I enjoy my work", "scale5"),
        ("", "What would you change?", "text"),
    ]


def test_open_a_round_now_twice_says_one_is_open(owner, login):
    survey, _ = make_survey(owner)
    client = login(owner)
    response = client.post(reverse("round_open", args=[survey.pk]), follow=True)
    assert "is open until" in response.content.decode()


def _fill(owner, rnd, n):
    questions = list(rnd.survey.questions.all())
    for i in range(n):
        answering._store(rnd, None, [(q, i % 5 + 1 if q.kind == "scale5" else i % 11, "") for q in questions])


@pytest.mark.parametrize("responses", [10, 100])
def test_results_page_queries_do_not_grow_with_responses(owner, login, django_assert_num_queries, responses):
    survey, rnd = make_survey(owner)
    _fill(owner, rnd, responses)
    close(rnd)
    client = login(owner)
    url = reverse("survey_results", args=[survey.pk])
    client.get(url)
    with django_assert_num_queries(10):  # one finds no closed round left to seal
        page = client.get(url)
    assert ">Mean<" in page.content.decode()


def test_home_leaves_out_the_open_round_of_a_paused_survey(owner, login):
    member = make_person(owner, Role.MEMBER)
    survey, rnd = make_survey(owner)
    client = login(member)
    assert "Pulse: 5 questions" in client.get(reverse("home")).content.decode()
    survey_update(
        actor=owner, survey_id=survey.pk, title=survey.title, recurrence=survey.recurrence,
        audience=survey.audience, active=False,
    )  # fmt: skip
    assert "Pulse: 5 questions" not in client.get(reverse("home")).content.decode()
