"""Issue 15, finding 14: while a round is open, no figure moves with one person's answer, and no copy of
the database taken at any moment links a person to their answers by the order rows are stored in."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from charter.pulse import answering
from charter.pulse.models import Answer, BallotBox, Response, RoundParticipation
from charter.pulse.selectors import pulse_summary

from .factories import answer, close, make_survey, respondents

pytestmark = pytest.mark.django_db
CUSTOM = [
    {"text": "How is it going?", "kind": "scale5", "code": "engagement"},
    {"text": "Anything else?", "kind": "text"},
]


def _snapshot(client, survey, owner):
    """Everything a viewer can read of the results: the API, the page, the insights' summary."""
    api = client.get(f"/api/v1/pulse/surveys/{survey.pk}/results").json()
    page = client.get(reverse("survey_results", args=[survey.pk])).content.decode()
    for r in api["rounds"]:  # how many answered may move (that someone answered is known anyway)
        r.pop("respondents"), r.pop("response_rate")
    return api, page, pulse_summary(organization=owner.organization)


def test_one_more_answer_changes_no_figure_while_the_round_is_open(owner, login):
    people = respondents(owner, 6)
    survey, rnd = make_survey(owner)
    for person in people[:5]:
        answer(person, rnd, engagement=4, enps=8, text="steady")
    client = login(owner)
    api_before, page_before, summary_before = _snapshot(client, survey, owner)
    answer(people[5], rnd, engagement=1, enps=0, text="the sixth person's words")
    api_after, page_after, summary_after = _snapshot(client, survey, owner)

    assert api_after == api_before and summary_after == summary_before
    first = api_after["rounds"][0]
    assert first["questions"] == [] and not first["enough"] and "closes on" in first["message"]
    assert (
        "sixth person" not in page_after and ">Mean<" not in page_after and "Results show when" in page_after
    )
    assert summary_after.respondents == 0 and summary_after.engagement is None

    close(rnd)  # closed: the figures of all six, under the same 5-respondent rule as before
    body = client.get(f"/api/v1/pulse/surveys/{survey.pk}/results").json()["rounds"][0]
    assert body["enough"] and body["respondents"] == 6
    engagement = next(q for q in body["questions"] if q["text"] == "I look forward to my work")
    assert {"value": 1, "count": 1} in engagement["distribution"]
    assert pulse_summary(organization=owner.organization).respondents == 6


def _storage_order(model, column):
    """The values of `column` in the order the database stores the rows (SQLite rowid, PostgreSQL ctid)."""
    table = connection.ops.quote_name(model._meta.db_table)
    order = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY {order}")
        return [row[0] for row in cursor.fetchall()]


def test_a_copy_of_the_database_never_pairs_people_with_their_answers(owner):
    people = respondents(owner, 8)
    survey, rnd = make_survey(owner, questions=CUSTOM)
    newest_last = []
    for n, person in enumerate(people):
        answer(person, rnd, text=f"words of person {n}")
        # A copy of the database now. Participations are stored in answer order: person n is the n-th…
        assert _storage_order(RoundParticipation, "user_id") == [p.user_id for p in people[: n + 1]]
        # …but no answer is a row of its own, whose place or transaction would pair with it,
        assert _storage_order(Response, "id") == _storage_order(Answer, "id") == []
        # and the one row that holds them lists them in an order that follows nothing.
        (stored,) = _storage_order(BallotBox, "entries")
        entries = json.loads(stored) if isinstance(stored, str) else stored
        texts = [t for _, given in entries for _, _, t in given if t]
        assert sorted(texts) == sorted(f"words of person {i}" for i in range(n + 1))
        newest_last.append(texts[-1] == f"words of person {n}")
    # Stored in answer order, the newest answer would be last every time (the finding); shuffled on
    # each answer it is last 1 time in n+1: all 8 times by chance has odds of 1 in 8! = 40,320.
    assert not all(newest_last)

    close(rnd)  # once closed, the answers become rows, in random order, with random keys
    assert answering.round_seal(round_id=rnd.pk)
    texts = [t for t in _storage_order(Answer, "text") if t]
    assert sorted(texts) == sorted(f"words of person {i}" for i in range(8))
    assert not BallotBox.objects.for_org(owner.organization).exists()


def test_the_migration_moves_open_rounds_answers_into_their_ballot_boxes(owner):
    import importlib
    import uuid

    from django.apps import apps

    migration = importlib.import_module("charter.pulse.migrations.0002_ballot_box")
    people = respondents(owner, 3)
    survey, rnd = make_survey(owner, questions=CUSTOM)
    for n, person in enumerate(people):
        answer(person, rnd, text=f"words of person {n}")
    org = owner.organization
    migration.out_of_boxes(apps, None)  # as rows, in answer order: what the migration finds
    BallotBox.objects.for_org(org).delete()
    assert Response.objects.for_org(org).count() == 3 and all(
        isinstance(pk, uuid.UUID) for pk in Response.objects.for_org(org).values_list("pk", flat=True)
    )
    migration.into_boxes(apps, None)
    assert not Response.objects.for_org(org).exists() and not Answer.objects.for_org(org).exists()
    (box,) = BallotBox.objects.for_org(org).filter(round=rnd)
    texts = sorted(t for _, given in box.entries for _, _, t in given if t)
    assert texts == [f"words of person {n}" for n in range(3)]
