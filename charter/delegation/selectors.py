"""Reads of decision domains, the delegation board, level history and decision records, scoped to the
actor's organization."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.errors import NotFound
from charter.goals.models import Goal
from charter.organizations.models import Membership, Team, TeamMembership

from . import queries, rules
from .authority import agent_cap_of, authority_for, may_act_for, parent_map
from .models import (
    AdviceAnswer,
    AdviceSettings,
    Decision,
    DecisionDomain,
    DecisionEvent,
    DelegationChange,
    DelegationLevel,
    PokerItem,
)
from .poker_reads import poker_get, poker_links, poker_list, poker_people, poker_version  # noqa: F401

# ---- domains --------------------------------------------------------------------------------------


def agent_cap(*, actor: Actor) -> int | None:
    """The level up to which the actor, an agent, decides alone (never above the organization's cap);
    None for a person. One query."""
    return agent_cap_of(actor)


def domain_list(*, actor: Actor):
    return DecisionDomain.objects.for_org(actor.organization).order_by("name", "id")


def domain_get(*, actor: Actor, domain_id: int) -> DecisionDomain:
    domain = domain_list(actor=actor).filter(pk=domain_id).first()
    if domain is None:
        raise NotFound("No such decision domain.")
    return domain


# ---- the board ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A team's effective level in a domain; `source` is the team it was set on (None: the default)."""

    team_id: int
    domain_id: int
    level: int
    source: Team | None
    inherited: bool

    @property
    def info(self) -> rules.Level:
        return rules.LEVELS[self.level]


def _tree_order(teams: list[Team]) -> list[tuple[Team, int]]:
    """Teams parents first, each with its depth (for indentation)."""
    children: dict[int | None, list[Team]] = {}
    known = {t.pk for t in teams}
    for t in teams:
        children.setdefault(t.parent_id if t.parent_id in known else None, []).append(t)
    ordered, stack = [], [(t, 0) for t in reversed(children.get(None, []))]
    while stack:
        team, depth = stack.pop()
        ordered.append((team, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(team.pk, [])))
    return ordered


def delegation_board(*, actor: Actor) -> dict:
    """Teams × domains with effective levels, in three queries (inheritance is computed here)."""
    org = actor.organization
    teams = list(Team.objects.for_org(org).order_by("name", "id"))
    domains = list(domain_list(actor=actor))
    set_levels = {
        (t, d): lvl
        for t, d, lvl in DelegationLevel.objects.for_org(org).values_list("team_id", "domain_id", "level")
    }
    by_id = {t.pk: t for t in teams}
    parent_of = {t.pk: t.parent_id for t in teams}
    rows = []
    for team, depth in _tree_order(teams):
        cells = []
        for d in domains:
            level, source = rules.effective_level(team.pk, d.pk, parent_of, set_levels)
            cells.append(Cell(team.pk, d.pk, level, by_id.get(source), source != team.pk))
        rows.append({"team": team, "depth": depth, "cells": cells})
    return {"domains": domains, "rows": rows, "teams": teams}


def delegation_cell(*, actor: Actor, team_id: int, domain_id: int) -> dict:
    """One cell of the board with its history, newest first."""
    team = Team.objects.for_org(actor.organization).filter(pk=team_id).first()
    if team is None:
        raise NotFound("No such team.")
    domain = domain_get(actor=actor, domain_id=domain_id)
    auth = authority_for(actor, team, domain)
    changes = (
        DelegationChange.objects.for_org(actor.organization)
        .filter(team=team, domain=domain)
        .select_related("author")
        # A change set from a delegation poker session links to it.
        .prefetch_related(Prefetch("poker_items", queryset=PokerItem.objects.select_related("session")))
    )
    source = Team.objects.for_org(actor.organization).filter(pk=auth.source_team_id).first()
    cell = Cell(team.pk, domain.pk, auth.level, source, auth.source_team_id != team.pk)
    return {"team": team, "domain": domain, "cell": cell, "changes": list(changes)}


def team_authority(*, actor: Actor, team_id: int) -> dict:
    """What a team may decide: per domain its effective level in words, and where it comes from."""
    board = delegation_board(actor=actor)
    row = next((r for r in board["rows"] if r["team"].pk == team_id), None)
    if row is None:
        raise NotFound("No such team.")
    return {"team": row["team"], "items": list(zip(board["domains"], row["cells"], strict=True))}


# ---- decisions ------------------------------------------------------------------------------------


def _decisions(actor: Actor):
    return Decision.objects.for_org(actor.organization).select_related(
        "team", "domain", "recorded_by", "decided_by", "addressed_to"
    )


def decision_list(
    *,
    actor: Actor,
    team_id: int | None = None,
    domain_id: int | None = None,
    status: str | None = None,
    goal_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    addressed_to_id: int | None = None,
    waiting_for_me: bool = False,
):
    """Decisions matching the filters, newest first; the dates bound when they were proposed.
    `waiting_for_me`: only the open records addressed to the actor (REST, MCP and home ask the same)."""
    qs = _decisions(actor).prefetch_related(Prefetch("goals", queryset=Goal.objects.only("id", "title")))
    if waiting_for_me:
        qs = waiting_for(qs, actor.user_id)
    filters = {"team_id": team_id, "domain_id": domain_id, "status": status, "goal_id": goal_id}
    filters |= {"date_from": date_from, "date_to": date_to, "addressed_to_id": addressed_to_id}
    return decision_filters(qs, **filters).order_by("-proposed_at", "-id")


def waiting_for(decisions, user_id: int):
    """The open records among `decisions` that wait for this person's answer: the one "waiting for me"."""
    return decisions.filter(addressed_to_id=user_id, status__in=[rules.PROPOSED, rules.ESCALATED]).exclude(
        awaiting=""
    )


def decision_filters(
    decisions,
    *,
    team_id: int | None = None,
    domain_id: int | None = None,
    status: str | None = None,
    goal_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    addressed_to_id: int | None = None,
):
    """`decisions` narrowed by the filters of `decision_list` (an empty value filters nothing)."""
    filters = {
        "team_id": team_id,
        "domain_id": domain_id,
        "status": status,
        "goals__id": goal_id,
        "proposed_at__date__gte": date_from,
        "proposed_at__date__lte": date_to,
        "addressed_to_id": addressed_to_id,
    }
    return decisions.filter(**{k: v for k, v in filters.items() if v not in (None, "")})


def decision_get(*, actor: Actor, decision_id: int) -> Decision:
    record = (
        _decisions(actor)
        .select_related("advised_by", "supersedes")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.only("id", "title")),
            Prefetch("events", queryset=DecisionEvent.objects.select_related("actor", "acting_for")),
            Prefetch(
                "superseded_by",
                queryset=Decision.objects.only("id", "title", "supersedes_id"),
            ),
        )
        .filter(pk=decision_id)
        .first()
    )
    if record is None:
        raise NotFound("No such decision.")
    return record


def decisions_waiting_for(*, actor: Actor, limit: int = 20) -> list[Decision]:
    """Open proposals and escalations addressed to the actor, oldest first (longest waiting), each with its
    team: the home page's panel, in plain SQL (`queries.waiting_for_home`, the condition of `waiting_for`;
    a test compares them)."""
    return queries.waiting_for_home(
        organization_id=actor.organization_id,
        user_id=actor.user_id,
        statuses=(rules.PROPOSED, rules.ESCALATED),
        limit=limit,
    )


def decision_preview(*, actor: Actor, team_id: int | None, domain_id: int | None) -> dict | None:
    """What recording a decision for this team and domain would do for the actor; writes nothing."""
    team = Team.objects.for_org(actor.organization).filter(pk=team_id).first() if team_id else None
    domain = (
        DecisionDomain.objects.for_org(actor.organization).filter(pk=domain_id).first() if domain_id else None
    )
    if team is None or domain is None:
        return None
    auth = authority_for(actor, team, domain)
    outcome = auth.record_outcome()
    leader = auth.name(auth.leader_for(outcome.addressee))
    return {
        "level": auth.level_info,
        "relation": auth.relation,
        "outcome": outcome,
        "message": outcome.render(domain=domain.name, team=team.name, leader=leader),
    }


def act_for_choices(*, actor: Actor, team_id: int | None = None) -> list[tuple[int, str]]:
    """Whom an owner or admin may act for: the leads of the team and of the teams above it (without a
    team: every team's lead). Empty for anyone else, who acts only as themselves."""
    if not may_act_for(actor):
        return []
    leads = TeamMembership.objects.for_org(actor.organization).filter(is_lead=True)
    if team_id is not None:
        leads = leads.filter(team_id__in=rules.ancestors(team_id, parent_map(actor)))
    people = {m.user_id: str(m.user) for m in leads.select_related("user") if m.user_id != actor.user_id}
    return sorted(people.items(), key=lambda item: (item[1].lower(), item[0]))


# ---- delegation advice ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AdviceItem:
    """Advice with the names it speaks of: for the pages, the API and MCP alike."""

    advice: rules.Advice
    team_name: str
    domain_name: str
    leader_name: str
    evidence: str

    def __getattr__(self, name):  # kind, team_id, domain_id, level, suggested_level, figures, leader_id
        return getattr(self.advice, name)

    @property
    def name(self) -> str:
        return rules.ADVICE_NAMES[self.advice.kind]


def advice_thresholds(*, actor: Actor) -> rules.AdviceThresholds:
    """The organization's thresholds of the advice rules (the defaults with its overrides). One query."""
    overrides = (
        AdviceSettings.objects.for_org(actor.organization).values_list("thresholds", flat=True).first()
    )
    return rules.advice_thresholds(overrides)


def _dismissed(actor: Actor) -> dict[tuple[int, int, str], object]:
    """When advice of each kind was last dismissed, per cell."""
    rows = AdviceAnswer.objects.for_org(actor.organization).filter(answer=rules.DISMISSED)
    latest: dict[tuple[int, int, str], object] = {}
    for team_id, domain_id, kind, at in rows.values_list("team_id", "domain_id", "kind", "created_at"):
        key = (team_id, domain_id, kind)
        latest[key] = max(at, latest.get(key, at))
    return latest


def _names(actor: Actor, user_ids: set[int]) -> dict[int, str]:
    members = Membership.objects.for_org(actor.organization).filter(user_id__in=user_ids)
    return {m.user_id: str(m.user) for m in members.select_related("user")}


def delegation_advice(*, actor: Actor, board: dict | None = None, now=None) -> dict:
    """Every piece of advice the decision history gives now, and per cell its verdict (its figures, or
    why there is no advice). A constant number of queries: the board's three (or none, given `board`),
    the thresholds, the dismissals, the records, the teams' leads and the leaders' names."""
    now = now or timezone.now()
    board = board or delegation_board(actor=actor)
    t = advice_thresholds(actor=actor)
    dismissed = _dismissed(actor)
    since = now - timedelta(days=t.bottleneck_days)
    rows = queries.advice_rows(
        organization_id=actor.organization_id,
        window=t.window,
        since=since,
        statuses=(rules.PROPOSED, rules.ESCALATED),
    )
    facts = [rules.record_fact(row) for row in rows]
    levels = {(c.team_id, c.domain_id): c.level for row in board["rows"] for c in row["cells"]}
    verdicts, found = {}, []
    for (team_id, domain_id), level in levels.items():
        cell = {"team_id": team_id, "domain_id": domain_id, "level": level}
        window = rules.window_of(facts, **cell, size=t.window)
        verdict = rules.cell_advice(window, **cell, now=now, t=t)
        kept = []
        for advice in verdict.advice:
            at = dismissed.get((team_id, domain_id, advice.kind))
            if at is not None:  # dismissed: only the records made since count for this kind
                newer = rules.window_of(facts, **cell, since=at, size=t.window)
                again = rules.cell_advice(newer, **cell, now=now, t=t).advice
                advice = next((a for a in again if a.kind == advice.kind), None)
            if advice is not None:
                kept.append(replace(advice, leader_id=rules.usual_leader(window)))
        verdicts[(team_id, domain_id)] = replace(verdict, advice=tuple(kept))
        found.extend(kept)
    for advice in rules.bottleneck_advice(
        rules.leader_loads(facts, now=now, since=since), levels=levels, t=t
    ):
        at = dismissed.get((advice.team_id, advice.domain_id, rules.BOTTLENECK))
        if at is not None:
            newer = [f for f in facts if f.proposed_at > at]
            again = rules.bottleneck_advice(
                rules.leader_loads(newer, now=now, since=max(at, since)), levels=levels, t=t
            )
            advice = next((a for a in again if a.leader_id == advice.leader_id), None)
        if advice is not None:
            found.append(advice)
    leads = TeamMembership.objects.for_org(actor.organization).filter(is_lead=True)
    lead_of = {}
    for team_id, user_id in leads.order_by("team_id", "id").values_list("team_id", "user_id"):
        lead_of.setdefault(team_id, user_id)
    found = [a if a.leader_id else replace(a, leader_id=lead_of.get(a.team_id)) for a in found]
    names = _names(actor, {a.leader_id for a in found if a.leader_id})
    team_names = {t.pk: t.name for t in board["teams"]}
    domain_names = {d.pk: d.name for d in board["domains"]}
    items = []
    for a in sorted(found, key=lambda a: (team_names[a.team_id], domain_names[a.domain_id], a.kind)):
        words = {"team": team_names[a.team_id], "domain": domain_names[a.domain_id]}
        leader = names.get(a.leader_id, "")
        items.append(AdviceItem(a, words["team"], words["domain"], leader, a.render(**words, leader=leader)))
    return {"advice": items, "verdicts": verdicts, "thresholds": t}


def advice_list(
    *, actor: Actor, team_id: int | None = None, domain_id: int | None = None, for_me: bool = False
) -> list[AdviceItem]:
    """The advice now, narrowed to a team, a domain, or the advice for the actor (as its leader)."""
    items = delegation_advice(actor=actor)["advice"]
    return [
        a for a in items
        if (team_id is None or a.team_id == team_id)
        and (domain_id is None or a.domain_id == domain_id)
        and (not for_me or a.leader_id == actor.user_id)
    ]  # fmt: skip


def cell_advice(*, actor: Actor, team_id: int, domain_id: int) -> dict:
    """One cell's advice, its verdict (figures, or why there is none) and the answers given before."""
    result = delegation_advice(actor=actor)
    key = (team_id, domain_id)
    if key not in result["verdicts"]:
        raise NotFound("No such team or decision domain.")
    answers = (
        AdviceAnswer.objects.for_org(actor.organization)
        .filter(team_id=team_id, domain_id=domain_id)
        .select_related("author")[:20]
    )
    return {
        "advice": [a for a in result["advice"] if (a.team_id, a.domain_id) == key],
        "verdict": result["verdicts"][key],
        "thresholds": result["thresholds"],
        "answers": list(answers),
    }


def advice_answers(*, actor: Actor, limit: int = 50):
    """The answers given to advice, newest first."""
    return (
        AdviceAnswer.objects.for_org(actor.organization)
        .select_related("team", "domain", "author")
        .order_by("-created_at", "-id")[:limit]
    )
