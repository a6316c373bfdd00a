"""API of the mission brief (JSON, or Markdown for a language model's context) and of agents."""

from typing import Literal

from django.http import HttpResponse
from ninja import Router

from charter.core.api import action

from . import selectors
from .brief import brief_markdown, mission_brief, my_brief
from .schemas import AgentOut, MissionBrief, MyBrief

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


def _agent_out(p) -> AgentOut:
    return AgentOut(
        id=p.user_id, name=str(p.user), email=p.user.email, sponsor_id=p.sponsor_id, sponsor=str(p.sponsor),
        team_id=p.team_id, team=p.team.name, purpose=p.purpose, is_active=p.user.is_active,
    )  # fmt: skip


@router.get("/agents", response=list[AgentOut], operation_id="agent_list", openapi_extra=READ)
def agent_list(request):
    return [_agent_out(p) for p in selectors.agent_list(actor=request.auth)]


@router.get("/agents/{agent_id}", response=AgentOut, operation_id="agent_get", openapi_extra=READ)
def agent_get(request, agent_id: int):
    return _agent_out(selectors.agent_get(actor=request.auth, agent_id=agent_id))
