"""The MCP tools as plain functions of an actor: one service or selector call, the REST API's Out schema out.

Each returns the data (`model_dump()` of the same schema the REST API answers with), so
the same action gives the same result through MCP and REST.
"""

from typing import Literal

from charter.backbriefs import selectors as backbrief_selectors
from charter.backbriefs import services as backbrief_services
from charter.backbriefs.schemas import BackBriefDetailOut
from charter.core.errors import NotFound, ValidationError
from charter.delegation import rules as delegation_rules
from charter.delegation import selectors as delegation_selectors
from charter.delegation import services as delegation_services
from charter.delegation.schemas import (
    AdviceAnswerOut,
    AdviceOut,
    DecisionOut,
    DecisionResultOut,
    PokerOut,
    poker_out,
    poker_summary_out,
)
from charter.discussion import selectors as discussion_selectors
from charter.discussion import services as discussion_services
from charter.discussion.schemas import CommentOut
from charter.goals import selectors as goal_selectors
from charter.goals import services as goal_services
from charter.goals.schemas import CheckInOut, GoalDetailOut, GoalOut
from charter.ideas import selectors as idea_selectors
from charter.ideas import services as idea_services
from charter.ideas.schemas import IdeaDetailOut
from charter.insights import selectors as insights_selectors
from charter.insights.schemas import TransitionOut, transition_out
from charter.search import schemas as search_schemas
from charter.search import selectors as search_selectors

from ..schemas import TeamBoardOut
from . import briefs

SEARCH_LIMIT = 20


def _dump(schema, obj) -> dict:
    # Python values; the server encodes them as the REST API does (NinjaJSONEncoder), for equal JSON.
    return schema.from_orm(obj).model_dump()


def get_mission_brief(actor, *, goal_id: int | None, format: Literal["markdown", "json"], full: bool):
    """The mission brief of a goal, or the actor's own brief (all its goals) without one."""
    return briefs.brief(actor, goal_id=goal_id, format=format, full=full)


def list_my_goals(actor) -> list[dict]:
    """Goals the actor owns or that belong to one of its teams."""
    goals = goal_selectors.goal_list(actor=actor)
    mine = [g for g in goals if g.owner_id == actor.user_id or g.team_id in actor.team_ids]
    return [_dump(GoalOut, g) for g in mine]


def get_goal(actor, *, goal_id: int) -> dict:
    return _dump(GoalDetailOut, goal_selectors.goal_get(actor=actor, goal_id=goal_id))


def get_team_board(actor, *, team_id: int | None) -> dict:
    """A team's row of the delegation board and its goals of the current cycle (the actor's team by
    default): what it may decide, and what it works on."""
    if team_id is None:
        if not actor.team_ids:
            raise ValidationError("You are in no team: name one (team_id).", field="team_id")
        team_id = min(actor.team_ids)
    row = delegation_selectors.team_authority(actor=actor, team_id=team_id)  # NotFound for a foreign team
    cycle = goal_selectors.cycle_current(actor=actor)
    goals = goal_selectors.goal_list(actor=actor, team_id=team_id, cycle_id=cycle.pk) if cycle else []
    board = {
        "team": row["team"],
        "levels": [
            {"number": n, "code": lv.code, "summary": lv.summary} for n, lv in delegation_rules.LEVELS.items()
        ],
        "domains": [domain for domain, _ in row["items"]],
        "cells": [cell for _, cell in row["items"]],
        "cycle": cycle.name if cycle else None,
        "goals": goals,
    }
    return TeamBoardOut.model_validate(board).model_dump()


def start_work(actor, *, goal_id: int | None) -> str:
    """The `start_work` prompt: how to work under mission command, then the brief itself."""
    brief = briefs.brief(actor, goal_id=goal_id, format="markdown", full=False)
    return (
        "You work for this organization under mission command. Below is your brief: the mission, the "
        "intent of your goals up to it, and what your team may decide. Act within the intent and within "
        "your authority: decide what you may decide (record_decision), propose what you may not (the "
        "result says whom it waits for), check in on the key results you move (record_check_in), and "
        "say what you need (add_comment). Read the board of your team with get_team_board.\n\n" + brief
    )


def record_check_in(actor, *, key_result_id: int, **values) -> dict:
    check_in = goal_services.check_in_record(actor=actor, key_result_id=key_result_id, **values)
    return _dump(CheckInOut, check_in)


def submit_back_brief(actor, *, back_brief_id: int | None, goal_id: int | None, texts: dict) -> dict:
    """Submit the back-brief named, or the one the goal's team owes."""
    if back_brief_id is None:
        if goal_id is None:
            raise ValidationError(
                "Name the back-brief (back_brief_id) or its goal (goal_id).", field="goal_id"
            )
        goal = goal_selectors.goal_get(actor=actor, goal_id=goal_id)
        found = backbrief_selectors.back_brief_of_goal(actor=actor, goal=goal)
        if found is None:
            raise NotFound("No back-brief was requested for this goal.")
        back_brief_id = found.pk
    back_brief = backbrief_services.back_brief_submit(actor=actor, back_brief_id=back_brief_id, **texts)
    detail = backbrief_selectors.back_brief_get(actor=actor, back_brief_id=back_brief.pk)
    return _dump(BackBriefDetailOut, detail)


def record_decision(actor, **values) -> dict:
    """Record a decision; above the actor's authority the service makes it a proposal and says so."""
    return _dump(DecisionResultOut, delegation_services.decision_record(actor=actor, **values))


WAITING_LIMIT = 50


def list_waiting_decisions(actor) -> list[dict]:
    """The open records waiting for the actor's answer: REST's `GET /decisions?waiting_for_me=true`
    (the same selector, the same scope: read), newest first."""
    actor.require("organization.view")
    waiting = delegation_selectors.decision_list(actor=actor, waiting_for_me=True)[:WAITING_LIMIT]
    return [_dump(DecisionOut, d) for d in waiting]


def respond_to_decision(actor, *, decision_id: int, **values) -> dict:
    """Agree, advise, decide, escalate or withdraw: REST's `POST /decisions/{id}/respond` (scope: decide)."""
    result = delegation_services.decision_respond(actor=actor, decision_id=decision_id, **values)
    return _dump(DecisionResultOut, result)


def list_delegation_advice(actor, **filters) -> list[dict]:
    """The delegation advice the decision history gives now: REST's `GET /delegation-advice` (read)."""
    return [_dump(AdviceOut, a) for a in delegation_selectors.advice_list(actor=actor, **filters)]


def accept_delegation_advice(actor, *, team_id: int, domain_id: int, kind: str) -> dict:
    """Accept advice: the level changes, the evidence is the reason (REST's `POST …/advice/{kind}/accept`)."""
    answer = delegation_services.advice_accept(actor=actor, team_id=team_id, domain_id=domain_id, kind=kind)
    return _dump(AdviceAnswerOut, answer)


def dismiss_delegation_advice(actor, *, team_id: int, domain_id: int, kind: str, reason: str) -> dict:
    """Dismiss advice with a reason (REST's `POST …/advice/{kind}/dismiss`)."""
    answer = delegation_services.advice_dismiss(
        actor=actor, team_id=team_id, domain_id=domain_id, kind=kind, reason=reason
    )
    return _dump(AdviceAnswerOut, answer)


def propose_idea(actor, **values) -> dict:
    idea = idea_services.idea_create(actor=actor, **values)
    return _dump(IdeaDetailOut, idea_selectors.idea_get(actor=actor, idea_id=idea.pk))


def add_comment(actor, **values) -> dict:
    comment = discussion_services.comment_add(actor=actor, **values)
    return _dump(CommentOut, discussion_selectors.comment_get(actor=actor, comment_id=comment.pk))


def search(actor, *, query: str, types: list[str] | None) -> dict:
    """Keyword and meaning search over everything the actor may see (the REST API's `/search`)."""
    results = search_selectors.search(actor=actor, q=query, types=types or None, limit=SEARCH_LIMIT)
    return search_schemas.results_out(results)


def list_poker_sessions(actor) -> list[dict]:
    """REST's `GET /delegation-poker`: the organization's sessions, newest first."""
    return [poker_summary_out(row) for row in delegation_selectors.poker_list(actor=actor)]


def get_poker_session(actor, *, poker_id: int) -> dict:
    """REST's `GET /delegation-poker/{id}`: nobody's card but one's own before the cards turn."""
    view = delegation_selectors.poker_get(actor=actor, session_id=poker_id)
    return PokerOut(**poker_out(view)).model_dump()


def pick_in_poker(actor, *, poker_id: int, domain_id: int, level: int) -> dict:
    """REST's `PUT /delegation-poker/{id}/domains/{domain_id}/pick` (scope: propose)."""
    delegation_services.poker_pick(actor=actor, session_id=poker_id, domain_id=domain_id, level=level)
    return get_poker_session(actor, poker_id=poker_id)


def similar_goals(actor, *, goal_id: int, limit: int) -> dict:
    """A goal's similar goals (REST's `GET /goals/{id}/similar`, the goal page's panel)."""
    hits, threshold, meaning = search_selectors.goal_similar(actor=actor, goal_id=goal_id, limit=limit)
    return search_schemas.similar_out(goal_id, hits, threshold, meaning)


def likely_parents(actor, *, title: str, purpose: str, cycle_id, goal_id, limit: int) -> dict:
    """The goals a draft goal most likely contributes to (REST's `GET /search/likely-parents`)."""
    hits = search_selectors.likely_parents(
        actor=actor, title=title, purpose=purpose, cycle_id=cycle_id, exclude_id=goal_id, limit=limit
    )
    meaning = search_selectors.meaning_status()
    return search_schemas.parents_out(hits, search_selectors.parent_threshold(), meaning)


def transition(actor, *, team: int | None = None, cycles: int = insights_selectors.TREND_CYCLES) -> dict:
    """The transition per team and cycle: REST's `GET /insights/transition` (owners and admins)."""
    result = insights_selectors.transition(actor=actor, team_id=team, cycles=cycles)
    return TransitionOut.model_validate(transition_out(result)).model_dump()
