"""Every write of pulse surveys: schedule a survey, open and seal rounds, answer a round anonymously."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.audit import audit, changed_fields
from charter.core.errors import Conflict, NotFound, ValidationError
from charter.organizations.models import Team

from . import audience, rules
from .models import Question, Survey, SurveyRound

RECURRENCES = set(Survey.Recurrence.values)
AUDIENCES = set(Survey.Audience.values)


def _check_survey(title: str, recurrence: str, audience_kind: str, team_ids: list[int]) -> None:
    if not title.strip():
        raise ValidationError("A survey needs a title, such as “Team pulse”.", field="title")
    if recurrence not in RECURRENCES:
        raise ValidationError("Recurrence is weekly, biweekly or monthly.", field="recurrence")
    if audience_kind not in AUDIENCES:
        raise ValidationError("Audience is the organization or chosen teams.", field="audience")
    if audience_kind == Survey.Audience.TEAMS and not team_ids:
        raise ValidationError("Choose at least one team to ask.", field="team_ids")


def _teams(actor: Actor, team_ids: list[int]) -> list[Team]:
    ids = sorted(set(team_ids))
    teams = list(Team.objects.for_org(actor.organization).filter(pk__in=ids))
    if len(teams) != len(ids):
        raise ValidationError("One of the chosen teams does not exist.", field="team_ids")
    return teams


def _questions(questions: list[dict]) -> list[dict]:
    """Checked questions: text, kind, and the code of a default question (kept only for its own kind)."""
    if not questions:
        raise ValidationError("A survey needs at least one question.", field="questions")
    if len(questions) > rules.MAX_QUESTIONS:
        raise ValidationError(f"Keep it short: at most {rules.MAX_QUESTIONS} questions.", field="questions")
    defaults = {q["code"]: q["kind"] for q in rules.DEFAULT_QUESTIONS}
    checked, seen = [], set()
    for n, q in enumerate(questions, start=1):
        text, kind, code = q.get("text", "").strip(), q.get("kind", ""), q.get("code") or ""
        if not text:
            raise ValidationError(f"Question {n} has no text.", field="questions")
        if kind not in rules.RANGES and kind != rules.TEXT:
            raise ValidationError(f"Question {n}: the kind is scale5, scale10 or text.", field="questions")
        code = code if defaults.get(code) == kind and code not in seen else ""
        seen.add(code)
        checked.append({"text": text[:200], "kind": kind, "code": code})
    return checked


def survey_create(
    *,
    actor: Actor,
    title: str,
    recurrence: str = "biweekly",
    audience: str = "organization",
    team_ids: list[int] | None = None,
    questions: list[dict] | None = None,
    active: bool = True,
    first_opens_on: date | None = None,
) -> Survey:
    """Schedule a survey; without questions it gets the five default ones."""
    actor.require("pulse.manage")
    team_ids = team_ids or []
    _check_survey(title, recurrence, audience, team_ids)
    checked = _questions(rules.DEFAULT_QUESTIONS if questions is None else questions)
    with transaction.atomic():
        survey = Survey.objects.create(
            organization_id=actor.organization_id,
            title=title.strip(),
            recurrence=recurrence,
            audience=audience,
            active=active,
            next_opens_on=(first_opens_on or timezone.localdate()) if active else None,
        )
        survey.teams.set(_teams(actor, team_ids) if audience == Survey.Audience.TEAMS else [])
        Question.objects.bulk_create(
            Question(organization_id=actor.organization_id, survey=survey, position=i, **q)
            for i, q in enumerate(checked)
        )
        audit(actor, "pulse.survey_create", survey, {"title": survey.title, "questions": len(checked)})
    return survey


def _locked_survey(actor: Actor, survey_id: int) -> Survey:
    survey = Survey.objects.for_org(actor.organization).select_for_update().filter(pk=survey_id).first()
    if survey is None:
        raise NotFound("No such survey.")
    return survey


def survey_update(
    *,
    actor: Actor,
    survey_id: int,
    title: str,
    recurrence: str,
    audience: str,
    team_ids: list[int] | None = None,
    active: bool = True,
) -> Survey:
    """Change a survey's schedule and audience; its questions stay, so trends stay comparable."""
    actor.require("pulse.manage")
    team_ids = team_ids or []
    with transaction.atomic():
        survey = _locked_survey(actor, survey_id)
        _check_survey(title, recurrence, audience, team_ids)
        was_active = survey.active
        values = {"title": title.strip(), "recurrence": recurrence, "audience": audience, "active": active}
        changes = changed_fields(survey, values)
        if active and not was_active:
            survey.next_opens_on = timezone.localdate()
        elif not active:
            survey.next_opens_on = None
        survey.save()
        survey.teams.set(_teams(actor, team_ids) if audience == Survey.Audience.TEAMS else [])
        audit(actor, "pulse.survey_update", survey, {**changes, "team_ids": sorted(team_ids)})
    return survey


def _current_round(survey: Survey, today: date) -> SurveyRound | None:
    return (
        SurveyRound.objects.for_org(survey.organization_id)
        .filter(survey=survey, opens_on__lte=today, closes_on__gte=today)
        .first()
    )


def _open(survey: Survey, opens_on: date) -> SurveyRound:
    last = (
        SurveyRound.objects.for_org(survey.organization_id).filter(survey=survey).order_by("-number").first()
    )
    rnd = SurveyRound.objects.create(
        organization_id=survey.organization_id,
        survey=survey,
        number=(last.number + 1) if last else 1,
        opens_on=opens_on,
        closes_on=rules.closes_on(opens_on, survey.recurrence),
        audience_size=len(audience.audience_user_ids(survey)),
    )
    survey.next_opens_on = rules.next_opening(opens_on, survey.recurrence) if survey.active else None
    survey.save(update_fields=["next_opens_on"])
    return rnd


def round_open(*, actor: Actor, survey_id: int) -> SurveyRound:
    """“Open a round now”: a round from today; refused while one is open."""
    actor.require("pulse.manage")
    today = timezone.localdate()
    with transaction.atomic():
        survey = _locked_survey(actor, survey_id)
        current = _current_round(survey, today)
        if current is not None:
            raise Conflict(f"Round {current.number} is open until {current.closes_on:%d %b %Y}.")
        rnd = _open(survey, today)
        audit(actor, "pulse.round_open", rnd, {"number": rnd.number, "opens_on": rnd.opens_on})
    return rnd


def round_open_due(*, survey_id: int, today: date | None = None) -> SurveyRound | None:
    """The scheduler's work for one survey: open its round when due. Safe to run twice."""
    today = today or timezone.localdate()
    with transaction.atomic():
        survey = Survey.objects.unscoped().select_for_update().filter(pk=survey_id).first()
        if survey is None or not survey.active or not survey.next_opens_on or survey.next_opens_on > today:
            return None
        if _current_round(survey, today) is not None:
            # An admin opened one by hand: the schedule continues after it.
            survey.next_opens_on = rules.next_opening(today, survey.recurrence)
            survey.save(update_fields=["next_opens_on"])
            return None
        return _open(survey, today)
