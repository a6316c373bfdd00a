"""Reads of the indicators, the leadership profile and their trends, scoped to the actor's organization."""

from dataclasses import dataclass, field

from django.utils import timezone

from charter.core.actor import Actor
from charter.core.errors import NotFound
from charter.goals import rules as goal_rules
from charter.goals.models import Cycle
from charter.goals.selectors import cycle_current, cycle_get
from charter.organizations.models import Team

from . import figures, inputs, rules, store

TREND_CYCLES = 6


@dataclass
class Insights:
    """Indicators and profile factors of one scope (organization or team) and cycle."""

    cycle: object
    team: object
    indicators: list = field(default_factory=list)
    factors: list = field(default_factory=list)

    def figure(self, code: str):
        return next(f for f in self.indicators + self.factors if f.code == code)

    @property
    def profile(self) -> dict:
        return {f.code: f.value for f in self.factors}


def resolve(*, actor: Actor, cycle_id: int | None = None, team_id: int | None = None):
    """(cycle, team): the cycle asked for (else the current one) and the team (None: the organization).
    NotFound for a foreign or missing id."""
    cycle = cycle_get(actor=actor, cycle_id=cycle_id) if cycle_id else cycle_current(actor=actor)
    team = team_scope(actor=actor, team_id=team_id) if team_id else None
    return cycle, team


def team_scope(*, actor: Actor, team_id: int) -> Team:
    """The team the figures are for, alone (`team_get` also loads members and children); NotFound when
    foreign or missing."""
    team = Team.objects.for_org(actor.organization).filter(pk=team_id).first()
    if team is None:
        raise NotFound("No such team.")
    return team


def insights_for(*, actor: Actor, cycle_id: int | None = None, team_id: int | None = None) -> Insights:
    cycle, team = resolve(actor=actor, cycle_id=cycle_id, team_id=team_id)
    return figures_for(actor, [cycle], team)[0] if cycle else Insights(cycle=None, team=team)


def figures_for(actor: Actor, cycles: list, team, shared: dict | None = None) -> list[Insights]:
    """The figures of each cycle (in the order given) for the scope: stored ones while they hold (one
    query), the others computed and stored. `shared`: one dict for several calls in a row (the CSV's
    teams) keeps the organization-wide reads."""
    org = actor.organization
    found = store.load(org, team, [c.pk for c in cycles])
    missing = {c.pk: c for c in cycles if c.pk not in found}
    if missing:
        shared = {} if shared is None else shared
        if "stamp" not in shared:  # read before any input, shared ones included
            shared["stamp"] = store.stamp(org)
        current = shared["stamp"]
        for cycle in missing.values():
            result, until = _compute(actor, cycle, team, shared)
            store.save(org, team, cycle, current, result, until)
            found[cycle.pk] = (result.indicators, result.factors)
    return [Insights(cycle=c, team=team, indicators=found[c.pk][0], factors=found[c.pk][1]) for c in cycles]


def compute(actor: Actor, cycle, team) -> Insights:
    """The figures computed from the inputs, without the store."""
    return _compute(actor, cycle, team)[0]


def _compute(actor: Actor, cycle, team, shared: dict | None = None) -> tuple[Insights, object]:
    """The figures and until when time leaves them as they are (None: for good, see `store.valid_until`)."""
    now = timezone.now()
    scope = inputs.make_scope(actor, cycle, team, shared)
    raw = _gather(scope, now)
    indicators = _indicators(raw, actor.organization.attainment_mark, min(now, scope.until))
    result = Insights(cycle=cycle, team=team, indicators=indicators, factors=_factors(raw, scope, indicators))
    waiting = any(inputs.wait_of(d).waiting for d in raw.decisions)
    return result, store.valid_until(cycle, raw.goals, actor.organization.stale_days, now, waiting=waiting)


@dataclass
class _Raw:
    """What one scope's figures are computed from."""

    goals: list  # plain rows, `inputs.goal_rows`
    key_results: list  # (title, kind), `inputs.key_result_kinds`
    statuses: list[str]
    check_ins: tuple[int, int]  # (key-result weeks with a check-in, expected)
    decisions: list
    briefs: list
    members: set
    ideas: tuple[int, int]
    pulse: figures.Pulse
    grades: list


def _gather(scope: inputs.Scope, now) -> _Raw:
    goals = inputs.goal_rows(scope)
    members = inputs.member_ids(scope)
    today = min(timezone.localdate(now), scope.cycle.ends_on)
    return _Raw(
        goals=goals,
        key_results=inputs.key_result_kinds(scope),
        statuses=[inputs.goal_status(g, scope, now) for g in goals],
        check_ins=inputs.check_in_weeks(scope, today),
        decisions=inputs.decisions(scope),
        briefs=inputs.back_briefs(scope),
        members=members,
        ideas=inputs.ideas(scope, members),
        pulse=figures.pulse(scope),
        grades=figures.grades(scope),
    )


def _indicators(raw: _Raw, mark: float, until) -> list:
    """`until`: the moment still-waiting decisions are aged to (now, or the cycle's end when it is over)."""
    waits = [inputs.wait_of(d) for d in raw.decisions]
    confirmed = [b for b in raw.briefs if b.confirmed_at]
    pulse, (submitted, adopted), members = raw.pulse, raw.ideas, len(raw.members)
    return [
        rules.attainment_rate(raw.grades, mark),
        rules.participation(*raw.check_ins),
        rules.status_distribution(raw.statuses),
        rules.decision_latency(
            rules.decision_waits(waits, until), sum(1 for w in waits if w.waiting and w.decided_at is None)
        ),
        rules.escalation_rate([d.escalated for d in raw.decisions]),
        rules.back_brief_confirmation_time(
            [rules.hours_between(b.requested_at, b.confirmed_at) for b in confirmed]
        ),
        rules.back_brief_confirmed_share(len(confirmed), len(raw.briefs)),
        rules.ideas_per_member(submitted, members),
        rules.ideas_per_member(adopted, members, adopted=True),
        rules.pulse_figure("pulse_engagement", "Pulse engagement", pulse.engagement, pulse.enough, pulse.n),
        rules.pulse_figure(
            "pulse_satisfaction", "Pulse satisfaction", pulse.satisfaction, pulse.enough, pulse.n
        ),
    ]


def _factors(raw: _Raw, scope: inputs.Scope, indicators: list) -> list:
    by_code = {f.code: f for f in indicators}
    chains = inputs.parent_chains(scope)
    aligned = sum(1 for g in raw.goals if _aligned(g.id, chains, scope.parent_of))
    within = sum(1 for d in raw.decisions if inputs.within_authority(d))
    pulse = raw.pulse
    return [
        rules.focus(
            aligned,
            sum(1 for g in raw.goals if inputs.has_intent(g)),
            len(raw.goals),
            sum(1 for title, kind in raw.key_results if not goal_rules.is_task_like(title, kind)),
            len(raw.key_results),
        ),
        rules.engagement(by_code["check_in_participation"].value, pulse.engagement if pulse.enough else None),
        rules.decision_making(
            within, len(raw.decisions), inputs.mean_level(scope), by_code["decision_latency"].value
        ),
        rules.innovation(*raw.ideas, len(raw.members)),
        rules.satisfaction(pulse.satisfaction, pulse.n),
    ]


def _aligned(goal_id: int, chains: dict, parent_of: dict) -> bool:
    """A strategic goal (of the organization or a top team) is aligned; so is one whose parents reach one."""
    node, seen = goal_id, set()
    while node is not None and node in chains and node not in seen:
        parent, team_id = chains[node]
        if team_id is None or parent_of.get(team_id) is None:
            return True
        seen.add(node)
        node = parent
    return False


def trends(*, actor: Actor, team_id: int | None = None, count: int = TREND_CYCLES) -> list[Insights]:
    """The same figures for each of the last `count` cycles that have started, oldest first."""
    team = team_scope(actor=actor, team_id=team_id) if team_id else None
    today = timezone.localdate()
    cycles = list(
        Cycle.objects.for_org(actor.organization).filter(starts_on__lte=today).order_by("-starts_on")[:count]
    )
    return figures_for(actor, cycles[::-1], team)


def trend_cycles(cycles: list, count: int = TREND_CYCLES) -> list:
    """Of the organization's cycles (newest first, as `cycle_list` gives them), the last `count` that have
    started, oldest first: the cycles of `trends`, without a query."""
    today = timezone.localdate()
    return [c for c in cycles if c.starts_on <= today][:count][::-1]


def current_cycle(cycles: list):
    """The same choice as `goals.selectors.cycle_current`, made on the list the page already has: the
    active cycle that contains today, else the latest active one, else the latest one."""
    today = timezone.localdate()
    active = [c for c in cycles if c.state == Cycle.State.ACTIVE]
    for cycle in active:
        if cycle.starts_on <= today <= cycle.ends_on:
            return cycle
    return (active or cycles or [None])[0]
