"""The mission brief: what an agent (or a person) needs to act on a goal, in a constant number of queries."""

from django.urls import reverse
from django.utils import timezone

from charter.backbriefs.selectors import back_brief_of_goal
from charter.core.actor import Actor
from charter.delegation import rules as delegation_rules
from charter.delegation.models import Decision
from charter.delegation.selectors import agent_cap, delegation_board
from charter.goals import rules as goal_rules
from charter.goals import selectors as goal_selectors
from charter.goals.models import CheckIn, Goal, KeyResult
from charter.ideas.selectors import goal_ideas
from charter.lint.selectors import findings_of_goals
from charter.mission.selectors import mission_get
from charter.organizations.models import Membership, TeamMembership

from . import schemas as s
from .brief_markdown import brief_markdown

RECENT_CHECK_INS, RECENT_DECISIONS = 5, 10


def _is_agent(user) -> bool:
    return getattr(user, "kind", "person") == "agent"


def _actor_out(actor: Actor) -> s.BriefActor:
    kind = "agent" if _is_agent(actor.user) else "person"
    return s.BriefActor(id=actor.user_id, name=str(actor.user), kind=kind, role=actor.role)


def _mission_out(actor: Actor) -> s.BriefMission:
    mission = mission_get(actor=actor)
    values = [
        s.BriefValue(name=str(v.get("name", "")), meaning=str(v.get("meaning", "")))
        for v in mission.values or []
        if isinstance(v, dict)
    ]
    return s.BriefMission(statement=mission.statement, vision=mission.vision, values=values)


def _goal_out(goal: Goal) -> s.GoalBrief:
    return s.GoalBrief(
        id=goal.pk,
        title=goal.title,
        description=goal.description,
        team=goal.team.name if goal.team_id else None,
        team_id=goal.team_id,
        owner=str(goal.owner),
        cycle=goal.cycle.name,
        status=goal.status,
        progress=goal.progress,
        confidence=goal.confidence,
        url=reverse("goal_detail", kwargs={"goal_id": goal.pk}),
    )


def _intent(goal: Goal) -> s.BriefIntent:
    return s.BriefIntent(
        goal_id=goal.pk,
        title=goal.title,
        team=goal.team.name if goal.team_id else None,
        purpose=goal.purpose,
        end_state=goal.end_state,
        constraints=goal.constraints,
        freedoms=goal.freedoms,
    )


def _chain(goal: Goal, by_id: dict[int, Goal]) -> list[s.BriefIntent]:
    """The goal, then its parent, up to the top (a loop in the data stops the walk)."""
    chain, node, seen = [], goal, set()
    while node is not None and node.pk not in seen:
        chain.append(_intent(node))
        seen.add(node.pk)
        node = by_id.get(node.parent_id)
    return chain


def _org_goals(actor: Actor) -> dict[int, Goal]:
    goals = Goal.objects.for_org(actor.organization).select_related("team")
    return {g.pk: g for g in goals.only(*INTENT_FIELDS)}


INTENT_FIELDS = ("id", "title", "parent_id", "purpose", "end_state", "constraints", "freedoms", "team__name")


def _check_ins(actor: Actor, goal_ids: list[int]) -> dict[int, list[s.CheckInBrief]]:
    """The last check-ins per key result of these goals, in one query."""
    rows = (
        CheckIn.objects.for_org(actor.organization)
        .filter(key_result__goal_id__in=goal_ids)
        .select_related("author")
        .order_by("-checked_at", "-id")
    )
    grouped: dict[int, list[s.CheckInBrief]] = {}
    for c in rows:
        items = grouped.setdefault(c.key_result_id, [])
        if len(items) < RECENT_CHECK_INS:
            author = c.author
            items.append(
                s.CheckInBrief(
                    value=c.value,
                    confidence=c.confidence,
                    note=c.note,
                    author=str(author) if author else "",
                    author_is_agent=_is_agent(author),
                    checked_at=c.checked_at,
                )
            )
    return grouped


def _kr_status(kr: KeyResult, goal: Goal) -> str:
    return goal_rules.status(
        goal_rules.StatusInputs(
            progress=kr.progress,
            starts_on=goal.cycle.starts_on,
            ends_on=goal.cycle.ends_on,
            confidence=kr.confidence,
            last_check_in_at=kr.last_check_in_at,
            now=timezone.now(),
            stale_days=goal.organization.stale_days,
        )
    )


def _key_results(goal: Goal, check_ins: dict[int, list[s.CheckInBrief]]) -> list[s.KeyResultBrief]:
    return [
        s.KeyResultBrief(
            id=kr.pk,
            title=kr.title,
            kind=kr.kind,
            unit=kr.unit,
            start=kr.start,
            target=kr.target,
            target_max=kr.target_max,
            current=kr.current,
            progress=kr.progress,
            confidence=kr.confidence,
            status=_kr_status(kr, goal),
            last_check_in_at=kr.last_check_in_at,
            check_ins=check_ins.get(kr.pk, []),
        )
        for kr in goal.key_results.all()
    ]


# ---- authority --------------------------------------------------------------------------------------


def _authority_context(actor: Actor) -> dict:
    """The board (three queries), every team's leads and the owners (two), and an agent's own cap (one),
    to say what each record would become."""
    board = delegation_board(actor=actor)
    leads: dict[int, set[int]] = {}
    for team_id, user_id in (
        TeamMembership.objects.for_org(actor.organization)
        .filter(is_lead=True)
        .values_list("team_id", "user_id")
    ):
        leads.setdefault(team_id, set()).add(user_id)
    parent_of = {t.pk: t.parent_id for t in board["teams"]}
    top = list(
        Membership.objects.for_org(actor.organization)
        .filter(role=delegation_rules.TOP_ROLE, is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    return {"board": board, "leads": leads, "parent_of": parent_of, "top": top, "cap": agent_cap(actor=actor)}


def _you(level: int, relation: str, cap: int | None) -> tuple[str, str]:
    """What a record would become for this actor: the rules, then an agent's own cap (None: a person)."""
    outcome = delegation_rules.record_outcome(level, relation)
    if cap is not None:
        outcome = delegation_rules.agent_capped(outcome, level, cap)
    if outcome.status == delegation_rules.DECIDED:
        return "decide", "You may decide alone."
    if outcome.status == delegation_rules.ESCALATED:
        return "escalate", "You are not in this team: a record is an escalation to its leader."
    if cap is not None and not delegation_rules.agent_may_decide(level, cap):
        return "propose", f"Propose: you decide alone only up to level {cap} (your cap as an agent)."
    waits = delegation_rules.AWAITING_WORDS.get(outcome.awaiting, "a response")
    return "propose", f"Propose: your record waits for {waits}."


def _authority(actor: Actor, ctx: dict, team_id: int | None) -> list[s.BriefAuthority]:
    row = next((r for r in ctx["board"]["rows"] if r["team"].pk == team_id), None)
    if row is None:
        return []
    chain = delegation_rules.ancestors(team_id, ctx["parent_of"])
    relation = delegation_rules.relation_of(
        user_id=actor.user_id,
        is_member=team_id in actor.team_ids,
        lead_chain=[ctx["leads"].get(t, set()) for t in chain],
        top=ctx["top"],
    )
    items = []
    for domain, cell in zip(ctx["board"]["domains"], row["cells"], strict=True):
        you, words = _you(cell.level, relation, ctx["cap"])
        items.append(
            s.BriefAuthority(
                domain_id=domain.pk,
                domain=domain.name,
                level=cell.level,
                level_name=cell.info.name,
                meaning=cell.info.in_words,
                inherited_from=cell.source.name if cell.inherited and cell.source else None,
                you=you,
                you_in_words=words,
            )
        )
    return items


# ---- decisions, ideas, lint, back-brief -----------------------------------------------------------


def _decision_out(d: Decision) -> s.DecisionBrief:
    return s.DecisionBrief(
        id=d.pk,
        title=d.title,
        status=d.status,
        level=d.level,
        domain=d.domain.name,
        recorded_by=str(d.recorded_by),
        addressed_to=str(d.addressed_to) if d.addressed_to_id else None,
        awaiting=d.awaiting,
        proposed_at=d.proposed_at,
        decided_at=d.decided_at,
    )


def _decisions(actor: Actor, team_id: int | None) -> tuple[list, list]:
    """The team's recent decisions and its open proposals, in one query."""
    if team_id is None:
        return [], []
    open_statuses = [delegation_rules.PROPOSED, delegation_rules.ESCALATED]
    rows = list(
        Decision.objects.for_org(actor.organization)
        .filter(team_id=team_id)
        .select_related("domain", "recorded_by", "addressed_to")
        .order_by("-proposed_at", "-id")[:200]
    )
    recent = [_decision_out(d) for d in rows[:RECENT_DECISIONS]]
    return recent, [_decision_out(d) for d in rows if d.status in open_statuses]


def _lint(actor: Actor, goal: Goal) -> list[s.BriefLintWarning]:
    found = findings_of_goals(actor=actor, cycle_id=goal.cycle_id).get(goal.pk, [])
    return [
        s.BriefLintWarning(code=f.code, severity=f.severity, message=f.message, hint=f.hint) for f in found
    ]


def _back_brief(actor: Actor, goal: Goal) -> s.BriefBackBrief | None:
    bb = back_brief_of_goal(actor=actor, goal=goal)
    if bb is None:
        return None
    fields = ("state", "intent", "plan", "concerns", "needs", "clarification")
    return s.BriefBackBrief(**{f: getattr(bb, f) for f in fields})


# ---- the two briefs -------------------------------------------------------------------------------


def mission_brief(*, actor: Actor, goal_id: int) -> s.MissionBrief:
    """The brief of one goal; NotFound for a missing or foreign goal."""
    actor.require("organization.view")
    goal = goal_selectors.goal_get(actor=actor, goal_id=goal_id)
    recent, proposals = _decisions(actor, goal.team_id)
    ideas = goal_ideas(actor=actor, goal_id=goal.pk)
    ctx = _authority_context(actor)
    return s.MissionBrief(
        organization=actor.organization.name,
        actor=_actor_out(actor),
        mission=_mission_out(actor),
        goal=_goal_out(goal),
        intent_chain=_chain(goal, _org_goals(actor) if goal.parent_id else {}),
        key_results=_key_results(goal, _check_ins(actor, [goal.pk])),
        authority=_authority(actor, ctx, goal.team_id),
        agent_decision_cap=ctx["cap"],
        recent_decisions=recent,
        open_proposals=proposals,
        ideas=[s.IdeaBrief(id=i.pk, title=i.title, status=i.status, votes=i.vote_count) for i in ideas],
        lint=_lint(actor, goal),
        back_brief=_back_brief(actor, goal),
    )


def my_goals(*, actor: Actor) -> list[Goal]:
    """The actor's goals in the current cycle: owned by them or by one of their teams."""
    cycle = goal_selectors.cycle_current(actor=actor)
    if cycle is None:
        return []
    goals = goal_selectors.goal_list(actor=actor, cycle_id=cycle.pk, with_key_results=True)
    return [g for g in goals if g.owner_id == actor.user_id or g.team_id in actor.team_ids]


def my_brief(*, actor: Actor) -> s.MyBrief:
    """All the actor's goals of the current cycle with their intent chains, key results and authority."""
    actor.require("organization.view")
    cycle = goal_selectors.cycle_current(actor=actor)
    goals = my_goals(actor=actor)
    by_id = _org_goals(actor) if goals else {}
    check_ins = _check_ins(actor, [g.pk for g in goals]) if goals else {}
    ctx = _authority_context(actor)
    team_ids = sorted({g.team_id for g in goals if g.team_id} | set(actor.team_ids))
    names = {t.pk: t.name for t in ctx["board"]["teams"]}
    return s.MyBrief(
        organization=actor.organization.name,
        actor=_actor_out(actor),
        mission=_mission_out(actor),
        cycle=cycle.name if cycle else None,
        goals=[
            s.BriefGoalItem(
                goal=_goal_out(g), intent_chain=_chain(g, by_id), key_results=_key_results(g, check_ins)
            )
            for g in goals
        ],
        authority={names[t]: _authority(actor, ctx, t) for t in team_ids if t in names},
        agent_decision_cap=ctx["cap"],
    )


__all__ = ["brief_markdown", "mission_brief", "my_brief", "my_goals"]
