"""API of the mission brief (JSON, or Markdown for a language model's context) and of agents."""

from typing import Literal

from django.http import HttpResponse
from ninja import Router
from ninja.pagination import paginate

from charter.core.api import Paginated, action

from . import selectors, services
from .brief import brief_markdown, mission_brief, my_brief
from .schemas import (
    AgentIn,
    AgentOut,
    AgentPatch,
    AgentTokenCreated,
    AgentTokenIn,
    AgentTokenOut,
    MissionBrief,
    MyBrief,
)

router = Router(tags=["agents"])
READ = action("organization.view")
MARKDOWN = {"responses": {200: {"content": {"text/markdown": {"schema": {"type": "string"}}}}}}


def _answer(brief, format: str, full: bool):
    if format == "markdown":
        return HttpResponse(brief_markdown(brief, full=full), content_type="text/markdown; charset=utf-8")
    return brief


@router.get(
    "/goals/{goal_id}/brief",
    response=MissionBrief,
    operation_id="goal_brief",
    openapi_extra=READ | MARKDOWN,
    summary="The mission brief of a goal (JSON, or Markdown with format=markdown)",
)
def goal_brief(request, goal_id: int, format: Literal["json", "markdown"] = "json", full: bool = False):
    return _answer(mission_brief(actor=request.auth, goal_id=goal_id), format, full)


@router.get(
    "/me/brief",
    response=MyBrief,
    operation_id="my_brief",
    openapi_extra=READ | MARKDOWN,
    summary="All my goals of the current cycle with their intent and my authority",
)
def me_brief(request, format: Literal["json", "markdown"] = "json", full: bool = False):
    return _answer(my_brief(actor=request.auth), format, full)


MANAGE = action("agent.manage")
TOKENS = action("token.manage")


def _agent_out(request, p) -> AgentOut:
    return AgentOut(
        id=p.user_id, name=str(p.user), email=p.user.email, sponsor_id=p.sponsor_id, sponsor=str(p.sponsor),
        team_id=p.team_id, team=p.team.name, purpose=p.purpose, is_active=p.user.is_active,
        decision_cap=p.decision_cap, effective_decision_cap=selectors.effective_cap(request.auth, p),
    )  # fmt: skip


@router.get("/agents", response=list[AgentOut], operation_id="agent_list", openapi_extra=READ)
def agent_list(request):
    return [_agent_out(request, p) for p in selectors.agent_list(actor=request.auth)]


@router.post("/agents", response={201: AgentOut}, operation_id="agent_create", openapi_extra=MANAGE)
def agent_create(request, payload: AgentIn):
    """An agent member of a team, with the person who answers for it (its sponsor) and its own cap."""
    return 201, _agent_out(request, services.agent_create(actor=request.auth, **payload.model_dump()))


@router.get("/agents/{agent_id}", response=AgentOut, operation_id="agent_get", openapi_extra=READ)
def agent_get(request, agent_id: int):
    return _agent_out(request, selectors.agent_get(actor=request.auth, agent_id=agent_id))


@router.patch("/agents/{agent_id}", response=AgentOut, operation_id="agent_update", openapi_extra=MANAGE)
def agent_update(request, agent_id: int, payload: AgentPatch):
    """Change the fields given: name, sponsor, team, purpose, cap (the sponsor or an admin)."""
    values = payload.model_dump(exclude_unset=True)
    return _agent_out(request, services.agent_update(actor=request.auth, agent_id=agent_id, **values))


@router.post(
    "/agents/{agent_id}/deactivate", response=AgentOut, operation_id="agent_deactivate", openapi_extra=MANAGE
)
def agent_deactivate(request, agent_id: int):
    """The agent stops acting: it is deactivated and every token of it revoked."""
    return _agent_out(request, services.agent_deactivate(actor=request.auth, agent_id=agent_id))


@router.get(
    "/agents/{agent_id}/tokens",
    response=list[AgentTokenOut],
    operation_id="agent_token_list",
    openapi_extra=READ,
)
@paginate(Paginated)
def agent_token_list(request, agent_id: int):
    selectors.agent_get(actor=request.auth, agent_id=agent_id)  # 404 for a foreign or missing agent
    return selectors.agent_tokens(actor=request.auth, agent_id=agent_id)


@router.post(
    "/agents/{agent_id}/tokens",
    response={201: AgentTokenCreated},
    operation_id="agent_token_create",
    openapi_extra=TOKENS,
)
def agent_token_create(request, agent_id: int, payload: AgentTokenIn):
    """A token for the agent with the scopes given (the sponsor or an admin); its raw value is in this
    answer only."""
    token, raw = services.agent_token_create(actor=request.auth, agent_id=agent_id, **payload.model_dump())
    token.token = raw
    return 201, token


@router.delete(
    "/agents/{agent_id}/tokens/{agent_token_id}",
    response={204: None},
    operation_id="agent_token_revoke",
    openapi_extra=TOKENS,
)
def agent_token_revoke(request, agent_id: int, agent_token_id: int):
    services.agent_token_revoke(actor=request.auth, agent_id=agent_id, token_id=agent_token_id)
    return 204, None
