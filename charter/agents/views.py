"""Pages of agents (list, page, create, tokens) and the mission brief of a goal: parse, one call, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from charter.core.http import call_with_form, requires
from charter.core.markdown import render as render_markdown
from charter.organizations import selectors as org_selectors

from . import selectors, services
from .brief import brief_markdown, mission_brief
from .forms import AgentForm, AgentTokenForm


@requires("organization.view")
def agent_list(request):
    agents = list(selectors.agent_list(actor=request.actor))
    for agent in agents:
        agent.effective_cap = selectors.effective_cap(request.actor, agent)
    return render(request, "agents/agent_list.html", {"agents": agents})


def _agent_form(actor, data=None, initial=None) -> AgentForm:
    people = [u for u in org_selectors.member_users(actor=actor) if u.kind == "person"]
    teams = org_selectors.team_list(actor=actor)
    cap = actor.organization.agent_decision_cap
    return AgentForm(data, initial=initial, people=people, teams=teams, organization_cap=cap)


@requires("agent.manage")
def agent_create(request):
    form = _agent_form(request.actor, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        profile = call_with_form(form, services.agent_create, actor=request.actor, **form.cleaned_data)
        if profile:
            messages.success(request, f"{profile.user} joined {profile.team} as an agent. Give it a token.")
            return redirect("agent_detail", agent_id=profile.user_id)
    status = 422 if form.is_bound else 200
    return render(request, "agents/agent_form.html", {"form": form}, status=status)


@requires("agent.manage")
def agent_edit(request, agent_id):
    """Change the agent's name, team, sponsor, purpose and cap (its sponsor or an admin)."""
    profile = selectors.agent_get(actor=request.actor, agent_id=agent_id)
    initial = {
        "name": profile.user.full_name, "sponsor_id": profile.sponsor_id, "team_id": profile.team_id,
        "purpose": profile.purpose, "decision_cap": profile.decision_cap,
    }  # fmt: skip
    form = _agent_form(request.actor, request.POST if request.method == "POST" else None, initial)
    if request.method == "POST" and form.is_valid():
        changed = call_with_form(
            form, services.agent_update, actor=request.actor, agent_id=agent_id, **form.cleaned_data
        )
        if changed:
            messages.success(request, f"{changed.user} was updated.")
            return redirect("agent_detail", agent_id=agent_id)
    status = 422 if form.is_bound else 200
    return render(request, "agents/agent_form.html", {"form": form, "agent": profile}, status=status)


@require_POST
@requires("agent.manage")
def agent_deactivate(request, agent_id):
    profile = services.agent_deactivate(actor=request.actor, agent_id=agent_id)
    messages.success(request, f"{profile.user} was deactivated and its tokens revoked.")
    return redirect("agent_detail", agent_id=agent_id)


@requires("organization.view")
def agent_detail(request, agent_id):
    return _agent_page(request, agent_id, AgentTokenForm())


def _agent_page(request, agent_id, form, status=200, **extra):
    context = selectors.agent_page(actor=request.actor, agent_id=agent_id)
    return render(request, "agents/agent_detail.html", {**context, "form": form, **extra}, status=status)


@require_POST
@requires("token.manage")
def agent_token_create(request, agent_id):
    form = AgentTokenForm(request.POST)
    created = form.is_valid() and call_with_form(
        form, services.agent_token_create, actor=request.actor, agent_id=agent_id, **form.cleaned_data
    )
    if not created:
        return _agent_page(request, agent_id, form, status=422)
    token, raw = created
    # The raw value is shown in this one response only: it is not stored anywhere.
    return _agent_page(request, agent_id, AgentTokenForm(), new_token=token, raw_token=raw)


@require_POST
@requires("token.manage")
def agent_token_revoke(request, agent_id, token_id):
    token = services.agent_token_revoke(actor=request.actor, agent_id=agent_id, token_id=token_id)
    messages.success(request, f"The token {token.name} was revoked.")
    return redirect("agent_detail", agent_id=agent_id)


@requires("organization.view")
def goal_brief(request, goal_id):
    brief = mission_brief(actor=request.actor, goal_id=goal_id)
    text = brief_markdown(brief, full=True)
    # The page is for people: the rendered brief names things without ids; the copy keeps them for an agent.
    readable = brief_markdown(brief, full=True, ids=False)
    context = {"brief": brief, "markdown": text, "html": render_markdown(readable)}
    return render(request, "agents/goal_brief.html", context)
