"""Answering a round anonymously, and sealing a closed round (its answers become rows in random order).

Participation (who) and the response (what) are written in one transaction but share nothing: no key,
no timestamp, no audit entry naming the response. Answering is deliberately not audited: an audit row
would time-stamp each person's answer and line up with the order in which responses were stored.

Storage would still link them if each answer were a row: SQLite appends rows in rowid order and
PostgreSQL in heap order (ctid), each row stamped with its transaction (xmin), so the n-th participation
would line up with the n-th response in a copy of the database. So an open round's answers wait in its
`BallotBox`: one row whose list of responses every answer rewrites in a new random order. At any moment
the box's order follows nothing and the box carries only the latest answer's transaction. When the round
has closed, `round_seal` turns the box into `Response` and `Answer` rows with random keys, in random
order, and deletes it.
"""

import random
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.errors import Conflict, NotFound, PermissionDenied, ValidationError

from . import audience, rules
from .models import Answer, BallotBox, Response, RoundParticipation, SurveyRound

ALREADY = "You already answered this round; each person answers once. Thank you!"


def _locked_round(actor: Actor, round_id: int) -> SurveyRound:
    rnd = (
        SurveyRound.objects.for_org(actor.organization)
        .select_for_update()
        .select_related("survey")
        .filter(pk=round_id)
        .first()
    )
    if rnd is None:
        raise NotFound("No such round.")
    return rnd


def _checked_answers(questions, answers: dict) -> list[tuple]:
    """(question, value, text) for every question; errors name the question."""
    errors, checked = {}, []
    for q in questions:
        given = answers.get(q.pk, answers.get(str(q.pk)))
        value = given if q.kind != rules.TEXT else None
        text = given.strip()[:500] if q.kind == rules.TEXT and isinstance(given, str) else ""
        error = rules.answer_error(q.kind, value, text)
        if error:
            errors[f"q{q.pk}"] = [f"“{q.text}”: {error}"]
        checked.append((q, value, text))
    if errors:
        raise ValidationError("Some answers are missing or out of range.", errors=errors)
    return checked


def _team_id(actor: Actor, rnd: SurveyRound, team_id: int | None) -> int | None:
    """The team an answer keeps: one of the respondent's audience teams, only when it has 5+ people."""
    options = audience.answer_team_ids(actor, rnd.survey)
    if team_id is not None and team_id not in options:
        raise ValidationError("Pick one of your teams in this survey's audience.", field="team_id")
    if team_id is None and len(options) == 1:
        team_id = options[0]
    if team_id is None:
        return None
    size = audience.team_sizes(actor.organization_id, [team_id]).get(team_id, 0)
    return team_id if size >= rules.MIN_TEAM_SIZE else None


def round_answer(*, actor: Actor, round_id: int, answers: dict, team_id: int | None = None) -> SurveyRound:
    """Answer a round once: records that the actor took part, and the answers with no link to them."""
    actor.require("pulse.answer")
    with transaction.atomic():
        rnd = _locked_round(actor, round_id)
        today = timezone.localdate()
        if not rnd.opens_on <= today <= rnd.closes_on:
            raise Conflict(
                f"This round is closed (it was open {rnd.opens_on:%d %b} to {rnd.closes_on:%d %b})."
            )
        if not audience.in_audience(actor, rnd.survey):
            raise PermissionDenied("This survey asks other teams than yours.")
        if RoundParticipation.objects.for_org(actor.organization).filter(round=rnd, user=actor.user).exists():
            raise Conflict(ALREADY)
        checked = _checked_answers(list(rnd.survey.questions.all()), answers)
        kept_team = _team_id(actor, rnd, team_id)
        try:
            with transaction.atomic():
                RoundParticipation.objects.create(
                    organization_id=actor.organization_id, round=rnd, user_id=actor.user_id
                )
        except IntegrityError:
            raise Conflict(ALREADY) from None
        _store(rnd, kept_team, checked)
    return rnd


def _store(rnd: SurveyRound, team_id: int | None, checked: list[tuple]) -> None:
    """Put one response in the round's ballot box, whose order is then shuffled (the round is locked)."""
    box = BallotBox.objects.for_org(rnd.organization_id).filter(round=rnd).first()
    if box is None:
        box = BallotBox(organization_id=rnd.organization_id, round=rnd, entries=[])
    box.entries.append([team_id, [[q.pk, v, t] for q, v, t in checked]])
    random.shuffle(box.entries)
    box.save()


def round_seal(*, round_id: int) -> bool:
    """After a round closes, its ballot box becomes rows with new keys in random order. Safe to run twice."""
    with transaction.atomic():
        rnd = SurveyRound.objects.unscoped().select_for_update().filter(pk=round_id).first()
        if rnd is None or rnd.sealed or rnd.closes_on >= timezone.localdate():
            return False
        box = BallotBox.objects.unscoped().filter(round=rnd).first()
        entries = list(box.entries) if box else []
        random.shuffle(entries)
        org = rnd.organization_id
        fresh, answers = [], []
        for team_id, given in entries:
            response = Response(id=uuid.uuid4(), organization_id=org, round=rnd, team_id=team_id)
            fresh.append(response)
            answers += [
                Answer(organization_id=org, response=response, question_id=q, value=v, text=t)
                for q, v, t in given
            ]
        Response.objects.bulk_create(fresh)
        random.shuffle(answers)
        Answer.objects.bulk_create(answers)
        if box:
            box.delete()
        rnd.sealed = True
        rnd.save(update_fields=["sealed"])
    return True


def seal_closed(organization_id: int) -> None:
    """Seal the organization's rounds that have closed but wait for the worker's minute job: results
    read rows, and a closed round's answers must not wait in its box for them (one query when none)."""
    due = SurveyRound.objects.for_org(organization_id).filter(
        sealed=False, closes_on__lt=timezone.localdate()
    )
    for round_id in due.values_list("pk", flat=True):
        round_seal(round_id=round_id)


def box_counts(rounds, team_id: int | None = None) -> dict[int, int]:
    """How many answered each open round (of one team, when given): its ballot box's entries."""
    boxes = BallotBox.objects.for_org(rounds[0].organization_id).filter(round__in=rounds) if rounds else []
    return {
        box.round_id: sum(1 for team, _ in box.entries if team_id is None or team == team_id) for box in boxes
    }
