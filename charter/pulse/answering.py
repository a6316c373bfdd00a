"""Answering a round anonymously, and sealing a closed round (re-inserting its responses in random order).

Participation (who) and the response (what) are written in one transaction but share nothing: no key,
no timestamp, no audit entry naming the response. Answering is deliberately not audited: an audit row
would time-stamp each person's answer and line up with the order in which responses were stored.

Storage order would still link them: SQLite appends rows in rowid order and PostgreSQL in heap order
(ctid), each row stamped with its transaction (xmin), so the n-th participation would line up with the
n-th response in a copy of the database. So each answer rewrites all of its round's responses with new
keys in random order (`_reshuffle`): at any moment the stored responses are in an order that follows
nothing, and all carry the same transaction, the latest. That costs one rewrite of the round's responses
per answer (a few thousand rows for a round of 500 people), paid by the person answering.
"""

import random
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.errors import Conflict, NotFound, PermissionDenied, ValidationError

from . import audience, rules
from .models import Answer, Response, RoundParticipation, SurveyRound

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
    """Add one response, rewriting the round's stored responses with it (see the module's note)."""
    _reshuffle(rnd, new=(team_id, [(q.pk, v, t) for q, v, t in checked]))


def round_seal(*, round_id: int) -> bool:
    """After a round closes, rewrite its responses with new keys in random order. Safe to run twice.

    Storage keeps insertion order (SQLite's rowid, PostgreSQL's heap order), which could be matched
    with the order people answered in; after sealing, it follows nothing.
    """
    with transaction.atomic():
        rnd = SurveyRound.objects.unscoped().select_for_update().filter(pk=round_id).first()
        if rnd is None or rnd.sealed or rnd.closes_on >= timezone.localdate():
            return False
        _reshuffle(rnd)
        rnd.sealed = True
        rnd.save(update_fields=["sealed"])
    return True


def _reshuffle(rnd: SurveyRound, new: tuple | None = None) -> None:
    """Rewrite the round's responses (and `new`, a (team id, answers) pair) with new keys, in random
    order, in the caller's transaction: three queries whatever the number of responses."""
    kept: dict = {}
    rows = (
        Answer.objects.unscoped()
        .filter(response__round=rnd)
        .values_list("response_id", "response__team_id", "question_id", "value", "text")
    )
    for response_id, team_id, question_id, value, text in rows:
        kept.setdefault(response_id, (team_id, []))[1].append((question_id, value, text))
    groups = list(kept.values()) + ([new] if new is not None else [])
    random.shuffle(groups)
    org = rnd.organization_id
    fresh, answers = [], []
    for team_id, given in groups:
        response = Response(id=uuid.uuid4(), organization_id=org, round=rnd, team_id=team_id)
        fresh.append(response)
        answers += [
            Answer(organization_id=org, response=response, question_id=q, value=v, text=t)
            for q, v, t in given
        ]
    Response.objects.unscoped().filter(round=rnd).delete()  # answers go with them (cascade)
    Response.objects.bulk_create(fresh)
    random.shuffle(answers)
    Answer.objects.bulk_create(answers)
