"""Aggregates of a survey's answers per round and group, in a constant number of queries."""

from collections import defaultdict

from django.db.models import Count
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.errors import NotFound
from charter.organizations.models import Team

from . import answering, audience, rules
from .models import Answer, Response, SurveyRound
from .selectors import RoundResult, SurveyResults, survey_get


def _team(actor: Actor, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = Team.objects.for_org(actor.organization).filter(pk=team_id).first()
    if team is None:
        raise NotFound("No such team.")
    return team


def _counts(actor: Actor, rounds, team: Team | None):
    """Respondents per round, and answer counts per (round, question, value): two grouped queries."""
    responses = Response.objects.for_org(actor.organization).filter(round__in=rounds)
    answers = Answer.objects.for_org(actor.organization).filter(
        response__round__in=rounds, value__isnull=False
    )
    if team is not None:
        responses = responses.filter(team=team)
        answers = answers.filter(response__team=team)
    respondents = dict(responses.values("round_id").annotate(n=Count("id")).values_list("round_id", "n"))
    # An open round's answers wait in its ballot box: how many there are is all that is read of them.
    respondents |= answering.box_counts([r for r in rounds if not r.sealed], team.pk if team else None)
    counts: dict = defaultdict(lambda: defaultdict(dict))
    rows = answers.values("response__round_id", "question_id", "value").annotate(n=Count("id")).order_by()
    for row in rows:
        counts[row["response__round_id"]][row["question_id"]][row["value"]] = row["n"]
    return respondents, counts


def _comments(actor: Actor, round_ids: list[int], team: Team | None) -> dict:
    """Text answers of rounds with enough respondents, sorted alphabetically: never in answer order."""
    rows = Answer.objects.for_org(actor.organization).filter(
        response__round_id__in=round_ids, question__kind=rules.TEXT
    )
    if team is not None:
        rows = rows.filter(response__team=team)
    comments: dict = defaultdict(lambda: defaultdict(list))
    for round_id, question_id, text in rows.order_by("text").values_list(
        "response__round_id", "question_id", "text"
    ):
        comments[round_id][question_id].append(text)
    return comments


def survey_results(*, actor: Actor, survey_id: int, team_id: int | None = None) -> SurveyResults:
    survey = survey_get(actor=actor, survey_id=survey_id)
    team = _team(actor, team_id)
    answering.seal_closed(actor.organization_id)  # unless the worker has already
    rounds = list(SurveyRound.objects.for_org(actor.organization).filter(survey=survey))
    respondents, counts = _counts(actor, rounds, team)
    size = audience.team_sizes(actor.organization_id, [team.pk]).get(team.pk, 0) if team else None
    questions = list(survey.questions.all())
    results = []
    today = timezone.localdate()
    for rnd in rounds:
        n = respondents.get(rnd.pk, 0)
        asked = size if team else rnd.audience_size
        still_open = rnd.closes_on >= today  # figures would move with each answer: none until it closes
        result = RoundResult(
            round=rnd,
            respondents=n,
            audience=asked,
            response_rate=rules.response_rate(n, asked),
            enough=rules.enough(n) and not still_open,
            open=still_open,
        )
        if result.enough:
            result.questions = [(q, rules.figures(q.kind, counts[rnd.pk][q.pk])) for q in questions]
        results.append(result)
    texts = (
        _comments(actor, [r.round.pk for r in results if r.enough], team)
        if any(q.kind == rules.TEXT for q in questions)
        else {}
    )
    for result in results:
        result.comments = {qid: list(t) for qid, t in texts.get(result.round.pk, {}).items()}
    return SurveyResults(survey=survey, team=team, rounds=results, trend=_trend(questions, results))


def _trend(questions, results: list[RoundResult]) -> dict:
    """Chart data, oldest round first; a round with too few respondents is a gap, never a value."""
    ordered = list(reversed(results))
    series = []
    for q in questions:
        if q.kind == rules.TEXT:
            continue
        figures = [dict(r.questions).get(q) if r.enough else None for r in ordered]
        values = [f and (f.enps if q.kind == rules.SCALE10 else f.mean) for f in figures]
        series.append(
            {"name": q.text + (" (eNPS)" if q.kind == rules.SCALE10 else ""), "kind": q.kind, "data": values}
        )
    return {
        "rounds": [f"#{r.round.number} {r.round.opens_on:%d %b}" for r in ordered],
        "response_rate": [None if r.response_rate is None else round(100 * r.response_rate) for r in ordered],
        "series": series,
    }
