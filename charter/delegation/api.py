"""API of decision domains, the delegation board and decision records: parse, one call, schema out."""

from ninja import Query, Router
from ninja.pagination import paginate

from charter.core.api import Paginated, action

from . import rules, selectors, services
from .schemas import (
    AdviceAnswerOut,
    AdviceDismissIn,
    AdviceFilters,
    AdviceOut,
    AdviceThresholdsIn,
    AdviceThresholdsOut,
    BoardOut,
    CellAdviceOut,
    DecisionFilters,
    DecisionIn,
    DecisionOut,
    DecisionResultOut,
    DomainIn,
    DomainOut,
    LevelChangeOut,
    LevelIn,
    PokerIn,
    PokerLevelIn,
    PokerOut,
    PokerPickIn,
    PokerSummaryOut,
    RespondIn,
    poker_out,
    poker_summary_out,
)

router = Router(tags=["delegation"])
READ = action("organization.view")
CELL = "/delegation-board/teams/{team_id}/domains/{domain_id}"


@router.get(
    "/decision-domains", response=list[DomainOut], operation_id="decision_domain_list", openapi_extra=READ
)
@paginate(Paginated)
def decision_domain_list(request):
    return selectors.domain_list(actor=request.auth)


@router.post(
    "/decision-domains",
    response={201: DomainOut},
    operation_id="decision_domain_create",
    openapi_extra=action("decision_domain.manage"),
)
def decision_domain_create(request, payload: DomainIn):
    return 201, services.domain_create(actor=request.auth, **payload.model_dump())


@router.get("/delegation-board", response=BoardOut, operation_id="delegation_board", openapi_extra=READ)
def delegation_board(request):
    """Teams × domains with each cell's effective level, whether it is inherited and from which team."""
    board = selectors.delegation_board(actor=request.auth)
    return {
        "levels": [{"number": n, "code": lv.code, "summary": lv.summary} for n, lv in rules.LEVELS.items()],
        "domains": board["domains"],
        "teams": board["teams"],
        "cells": [cell for row in board["rows"] for cell in row["cells"]],
    }


@router.put(
    CELL, response=LevelChangeOut, operation_id="delegation_set", openapi_extra=action("delegation.set")
)
def delegation_set(request, team_id: int, domain_id: int, payload: LevelIn):
    """Set the team's level in the domain, or clear it (`level` null) so the team inherits again, with a
    reason; answers the change kept in the history. Clearing a level the team does not have: 409."""
    services.delegation_set(actor=request.auth, team_id=team_id, domain_id=domain_id, **payload.model_dump())
    return selectors.delegation_cell(actor=request.auth, team_id=team_id, domain_id=domain_id)["changes"][0]


@router.get(
    CELL + "/history", response=list[LevelChangeOut], operation_id="delegation_history", openapi_extra=READ
)
def delegation_history(request, team_id: int, domain_id: int):
    return selectors.delegation_cell(actor=request.auth, team_id=team_id, domain_id=domain_id)["changes"]


@router.get("/decisions", response=list[DecisionOut], operation_id="decision_list", openapi_extra=READ)
@paginate(Paginated)
def decision_list(request, filters: Query[DecisionFilters]):
    """Decisions, newest first; `waiting_for_me=true`: the open records waiting for your answer."""
    return selectors.decision_list(actor=request.auth, **filters.model_dump())


@router.post(
    "/decisions",
    response={201: DecisionResultOut},
    operation_id="decision_create",
    openapi_extra=action("decision.record"),
)
def decision_create(request, payload: DecisionIn):
    """Record a decision: the team's level and your relation to the team decide what it becomes."""
    return 201, services.decision_record(actor=request.auth, **payload.model_dump())


@router.get("/decisions/{decision_id}", response=DecisionOut, operation_id="decision_get", openapi_extra=READ)
def decision_get(request, decision_id: int):
    return selectors.decision_get(actor=request.auth, decision_id=decision_id)


@router.post(
    "/decisions/{decision_id}/respond",
    response=DecisionResultOut,
    operation_id="decision_respond",
    openapi_extra=action("decision.respond"),
)
def decision_respond(request, decision_id: int, payload: RespondIn):
    """Agree, advise, decide, escalate, or withdraw your own proposal; 409 when the record does not wait
    for you or an agent would decide above its cap (with why). Owners and admins may act for a leader of
    the team's chain (`acting_for_id`)."""
    return services.decision_respond(actor=request.auth, decision_id=decision_id, **payload.model_dump())


# ---- delegation advice ----------------------------------------------------------------------------


@router.get(
    "/delegation-advice", response=list[AdviceOut], operation_id="delegation_advice_list", openapi_extra=READ
)
def delegation_advice_list(request, filters: Query[AdviceFilters]):
    """The advice the decision history gives now: raise a level, clarify intent or lower it, a bottleneck.
    `for_me=true`: the advice for you as the team's leader."""
    return selectors.advice_list(actor=request.auth, **filters.model_dump())


@router.get(
    CELL + "/advice", response=CellAdviceOut, operation_id="delegation_cell_advice", openapi_extra=READ
)
def delegation_cell_advice(request, team_id: int, domain_id: int):
    """One cell's advice, what its history says (or why there is not enough of it), and past answers."""
    cell = selectors.cell_advice(actor=request.auth, team_id=team_id, domain_id=domain_id)
    verdict = cell["verdict"]
    return {
        "advice": cell["advice"],
        "history": verdict.history.as_dict(),
        "not_enough_history": verdict.not_enough,
        "answers": cell["answers"],
    }


@router.post(
    CELL + "/advice/{kind}/accept",
    response=AdviceAnswerOut,
    operation_id="delegation_advice_accept",
    openapi_extra=action("delegation.set"),
)
def delegation_advice_accept(request, team_id: int, domain_id: int, kind: str):
    """Accept the advice (`kind`: raise, clarify or bottleneck; another: 404): the level changes to the
    suggested one, the evidence is the recorded reason. 409 when the advice no longer holds."""
    return services.advice_accept(actor=request.auth, team_id=team_id, domain_id=domain_id, kind=kind)


@router.post(
    CELL + "/advice/{kind}/dismiss",
    response=AdviceAnswerOut,
    operation_id="delegation_advice_dismiss",
    openapi_extra=action("delegation.set"),
)
def delegation_advice_dismiss(request, team_id: int, domain_id: int, kind: str, payload: AdviceDismissIn):
    """Dismiss the advice with a reason; the level stays. 409 when the advice no longer holds."""
    return services.advice_dismiss(
        actor=request.auth, team_id=team_id, domain_id=domain_id, kind=kind, reason=payload.reason
    )


@router.get(
    "/delegation-advice/settings",
    response=AdviceThresholdsOut,
    operation_id="delegation_advice_settings",
    openapi_extra=READ,
)
def delegation_advice_settings(request):
    """The thresholds of the advice rules in force (the defaults with the organization's overrides)."""
    return selectors.advice_thresholds(actor=request.auth).__dict__


@router.put(
    "/delegation-advice/settings",
    response=AdviceThresholdsOut,
    operation_id="delegation_advice_settings_update",
    openapi_extra=action("organization.manage"),
)
def delegation_advice_settings_update(request, payload: AdviceThresholdsIn):
    """Override thresholds of the advice rules (owners and admins); the ones not given keep their defaults."""
    services.advice_settings_update(actor=request.auth, thresholds=payload.thresholds)
    return selectors.advice_thresholds(actor=request.auth).__dict__


# ---- delegation poker -----------------------------------------------------------------------------

POKER = "/delegation-poker/{poker_id}"


def poker_detail(actor, poker_id: int) -> dict:
    return poker_out(selectors.poker_get(actor=actor, session_id=poker_id))


@router.get(
    "/delegation-poker", response=list[PokerSummaryOut], operation_id="poker_list", openapi_extra=READ
)
def poker_list(request):
    """The organization's delegation poker sessions, newest first (the latest 100)."""
    return [poker_summary_out(row) for row in selectors.poker_list(actor=request.auth)]


@router.post(
    "/delegation-poker",
    response={201: PokerOut},
    operation_id="poker_open",
    openapi_extra=action("delegation.set"),
)
def poker_open(request, payload: PokerIn):
    """Open a session for a team and chosen domains; without `participant_ids` the team's people pick
    (agents and viewers never do), and you play too."""
    session = services.poker_open(actor=request.auth, **payload.model_dump())
    return 201, poker_detail(request.auth, session.pk)


@router.get(POKER, response=PokerOut, operation_id="poker_get", openapi_extra=READ)
def poker_get(request, poker_id: int):
    """A session: who has picked, your own cards; everyone's cards and the spread once they turn."""
    return poker_detail(request.auth, poker_id)


@router.put(
    POKER + "/domains/{domain_id}/pick",
    response=PokerOut,
    operation_id="poker_pick",
    openapi_extra=action("delegation_poker.pick"),
)
def poker_pick(request, poker_id: int, domain_id: int, payload: PokerPickIn):
    """Lay (or change) your card for a domain; 403 when you are not invited, 409 once the cards turned.
    The last card of the last participant turns them all."""
    services.poker_pick(actor=request.auth, session_id=poker_id, domain_id=domain_id, level=payload.level)
    return poker_detail(request.auth, poker_id)


@router.post(
    POKER + "/reveal",
    response=PokerOut,
    operation_id="poker_reveal",
    openapi_extra=action("delegation.set"),
)
def poker_reveal(request, poker_id: int):
    """Turn all cards at once; 409 when they are already turned."""
    services.poker_reveal(actor=request.auth, session_id=poker_id)
    return poker_detail(request.auth, poker_id)


@router.put(
    POKER + "/domains/{domain_id}/level",
    response=PokerOut,
    operation_id="poker_set_level",
    openapi_extra=action("delegation.set"),
)
def poker_set_level(request, poker_id: int, domain_id: int, payload: PokerLevelIn):
    """Set the team's level on the board from the turned cards (409 before), through the board's own
    service: the history keeps a reason naming the session and its spread, and the row links the change."""
    services.poker_set_level(
        actor=request.auth, session_id=poker_id, domain_id=domain_id, **payload.model_dump()
    )
    return poker_detail(request.auth, poker_id)
