"""API of pulse surveys: parse, one call, schema out. Nothing here returns a single response."""

from ninja import Router

from charter.core.api import action

from . import answering, results, rules, selectors, services
from .schemas import AnsweredOut, ResultsOut, RoundAnswerIn, RoundOut, SurveyIn, SurveyOut

router = Router(tags=["pulse"])
READ = action("organization.view")
MANAGE = action("pulse.manage")


@router.get("/pulse/surveys", response=list[SurveyOut], operation_id="pulse_survey_list", openapi_extra=READ)
def survey_list(request):
    return selectors.survey_list(actor=request.auth)


@router.post(
    "/pulse/surveys", response={201: SurveyOut}, operation_id="pulse_survey_create", openapi_extra=MANAGE
)
def survey_create(request, payload: SurveyIn):
    """Schedule a survey; without questions it gets the five default ones."""
    data = payload.model_dump()
    survey = services.survey_create(actor=request.auth, **data)
    return 201, selectors.survey_get(actor=request.auth, survey_id=survey.pk)


@router.get(
    "/pulse/surveys/{survey_id}", response=SurveyOut, operation_id="pulse_survey_get", openapi_extra=READ
)
def survey_get(request, survey_id: int):
    return selectors.survey_get(actor=request.auth, survey_id=survey_id)


@router.get(
    "/pulse/surveys/{survey_id}/rounds",
    response=list[RoundOut],
    operation_id="pulse_round_list",
    openapi_extra=READ,
)
def round_list(request, survey_id: int):
    """Rounds, newest first, with how many answered (never who)."""
    return selectors.round_list(actor=request.auth, survey_id=survey_id)


@router.post(
    "/pulse/surveys/{survey_id}/rounds",
    response={201: RoundOut},
    operation_id="pulse_round_open",
    openapi_extra=MANAGE,
)
def round_open(request, survey_id: int):
    """Open a round now (409 while one is open)."""
    return 201, services.round_open(actor=request.auth, survey_id=survey_id)


@router.post(
    "/pulse/rounds/{round_id}/answers",
    response={201: AnsweredOut},
    operation_id="pulse_round_answer",
    openapi_extra=action("pulse.answer"),
)
def round_answer(request, round_id: int, payload: RoundAnswerIn):
    """Answer a round, once (409 the second time). The answers are stored with no link to you."""
    answers = {a.question_id: a.text if a.value is None and a.text else a.value for a in payload.answers}
    answering.round_answer(actor=request.auth, round_id=round_id, answers=answers, team_id=payload.team_id)
    return 201, AnsweredOut(round_id=round_id)


@router.get(
    "/pulse/surveys/{survey_id}/results",
    response=ResultsOut,
    operation_id="pulse_results",
    openapi_extra=READ,
)
def survey_results(request, survey_id: int, team_id: int | None = None):
    """Aggregates per round (means, eNPS, distributions, response rate); figures only for closed rounds
    of 5+ respondents (an open round shows how many answered)."""
    outcome = results.survey_results(actor=request.auth, survey_id=survey_id, team_id=team_id)
    return {
        "survey_id": outcome.survey.pk,
        "team_id": outcome.team.pk if outcome.team else None,
        "min_group": rules.MIN_GROUP,
        "rounds": [_round(r) for r in outcome.rounds],
    }


def _round(r) -> dict:
    return {
        "round_id": r.round.pk,
        "number": r.round.number,
        "opens_on": r.round.opens_on,
        "closes_on": r.round.closes_on,
        "respondents": r.respondents,
        "audience_size": r.audience,
        "response_rate": r.response_rate,
        "enough": r.enough,
        "message": "" if r.enough else r.not_enough_message,
        "questions": [
            {
                "question_id": q.pk,
                "text": q.text,
                "kind": q.kind,
                "mean": f.mean,
                "enps": f.enps,
                "distribution": [{"value": v, "count": n} for v, n in f.distribution],
                "comments": r.comments.get(q.pk, []),
            }
            for q, f in r.questions
        ],
    }
