"""Reads of the indicators, the leadership profile and their trends, scoped to the actor's organization."""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.utils import timezone

from charter.core.actor import Actor
from charter.core.errors import NotFound, ValidationError
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


# ---- the transition over time ----------------------------------------------------------------------

MAX_TRANSITION_CYCLES = 12


def figures_for_scopes(actor: Actor, cycles: list, teams: list) -> dict[tuple[int, int], Insights]:
    """(team key, cycle id) -> the figures of each scope (a team with its sub-teams, None for the
    organization) in each cycle: the stored ones in one query, whatever the number of scopes and cycles;
    the missing or outdated ones computed and stored (as the profile page does on its first view)."""
    org = actor.organization
    found = store.load_many(org, [store.team_key(t) for t in teams], [c.pk for c in cycles])
    shared: dict = {}
    for team in teams:
        for cycle in cycles:
            key = (store.team_key(team), cycle.pk)
            if key in found:
                continue
            if "stamp" not in shared:  # read before any input
                shared["stamp"] = store.stamp(org)
            result, until = _compute(actor, cycle, team, shared)
            store.save(org, team, cycle, shared["stamp"], result, until)
            found[key] = (result.indicators, result.factors)
    by_pk = {c.pk: c for c in cycles}
    teams_by_key = {store.team_key(t): t for t in teams}
    return {
        (key, cycle_id): Insights(by_pk[cycle_id], teams_by_key[key], indicators, factors)
        for (key, cycle_id), (indicators, factors) in found.items()
    }


@dataclass
class TransitionCell:
    """One team's transition in one cycle: each figure and factor with its trend since the cycle before."""

    cycle: object
    counts: rules.TransitionCounts
    figures: list  # [(Figure, Trend)]
    factors: list  # [(Figure, Trend)]


@dataclass
class TransitionRow:
    team: object  # None: the whole organization
    depth: int  # 0 for a top team (and the organization), 1 below it ...
    people: int
    sub_teams: int  # how many teams below it its figures include
    cells: list = field(default_factory=list)

    @property
    def hidden(self) -> str:
        return rules.hidden_reason(self.people)


@dataclass
class Transition:
    cycles: list  # oldest first
    rows: list
    team: object  # the team filtered on, None for all
    teams: list  # every team of the organization, in tree order (for the filter)
    min_people: int = rules.TRANSITION_MIN_PEOPLE


def _tree_order(teams: list, parent_of: dict) -> list[tuple[object, int]]:
    """(team, depth), each team followed by its sub-teams, siblings by name."""
    children: dict = {}
    for team in sorted(teams, key=lambda t: (t.name.lower(), t.pk)):
        children.setdefault(team.parent_id if team.parent_id in parent_of else None, []).append(team)
    ordered, stack = [], [(t, 0) for t in reversed(children.get(None, []))]
    while stack:
        team, depth = stack.pop()
        ordered.append((team, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(team.pk, [])))
    return ordered


def _in_cycle(moment, cycle) -> bool:
    return cycle.starts_on <= timezone.localdate(moment) <= cycle.ends_on


def _counts(people: int, insights: Insights, advice: list) -> rules.TransitionCounts:
    """The plain counts of one scope and cycle, from its stored figures' parts and its advice answers."""
    parts = {f.code: f.parts for f in insights.indicators + insights.factors}
    return rules.TransitionCounts(
        people=people,
        decisions=parts["escalation_rate"]["decisions"],
        team_level=parts["decision_making"]["within_authority"],
        escalated=parts["escalation_rate"]["escalated"],
        advice_accepted=sum(1 for answer in advice if answer == "accepted"),
        advice_dismissed=sum(1 for answer in advice if answer == "dismissed"),
        briefs=parts["back_brief_confirmed_share"]["total"],
        briefs_confirmed=parts["back_brief_confirmed_share"]["confirmed"],
        check_in_hits=parts["check_in_participation"]["hits"],
        check_in_expected=parts["check_in_participation"]["expected"],
        ideas_submitted=parts["ideas_submitted_per_member"]["count"],
        ideas_adopted=parts["ideas_adopted_per_member"]["count"],
    )


def transition(*, actor: Actor, team_id: int | None = None, cycles: int = TREND_CYCLES) -> Transition:
    """For owners and admins: per team (with its sub-teams, rolled up as the profile counts them) and each
    of the last `cycles` started cycles, the transition's figures and the profile's five factors, each with
    its trend since the cycle before; figures of what each member does hidden for a team of fewer people
    than the pulse's threshold. Without `team_id`: the whole organization, then every team; with it, that
    team and its sub-teams (NotFound for a foreign or missing id). Constant queries once the figures are
    stored: cycles, teams, memberships, advice answers, people and the stored figures, one query each."""
    actor.require("insights.transition")
    if not 1 <= cycles <= MAX_TRANSITION_CYCLES:
        raise ValidationError(
            f"cycles must be between 1 and {MAX_TRANSITION_CYCLES}; {cycles} was given.", field="cycles"
        )
    org = actor.organization
    today = timezone.localdate()
    chosen = list(Cycle.objects.for_org(org).filter(starts_on__lte=today).order_by("-starts_on")[:cycles])[
        ::-1
    ]
    teams = list(Team.objects.for_org(org).only("id", "name", "parent_id", "organization_id"))
    parent_of = {t.pk: t.parent_id for t in teams}
    ordered = _tree_order(teams, parent_of)
    team = None
    if team_id is not None:
        team = next((t for t in teams if t.pk == team_id), None)
        if team is None:
            raise NotFound("No such team.")
    result = Transition(cycles=chosen, rows=[], team=team, teams=[t for t, _ in ordered])
    if not chosen or not teams:
        return result
    below = {t.pk: inputs.descendants(t.pk, parent_of) for t in teams}
    if team is None:
        scopes = [(None, 0), *ordered]
    else:
        top = next(depth for t, depth in ordered if t.pk == team.pk)
        scopes = [(t, depth - top) for t, depth in ordered if t.pk in below[team.pk]]
    people_of: dict[int, set] = {}
    for t_id, user_id in inputs.team_people(actor):
        people_of.setdefault(t_id, set()).add(user_id)
    since = timezone.make_aware(datetime.combine(chosen[0].starts_on, time.min))
    until = timezone.make_aware(datetime.combine(max(c.ends_on for c in chosen), time.max))
    answers = inputs.advice_answers(actor, since, until)
    stored = figures_for_scopes(actor, chosen, [t for t, _ in scopes])
    org_people = inputs.active_people(actor) if team is None else 0
    for scope_team, depth in scopes:
        ids = below[scope_team.pk] if scope_team is not None else set(parent_of)
        people = len(set().union(*(people_of.get(i, set()) for i in ids))) if scope_team else org_people
        row = TransitionRow(scope_team, depth, people, len(ids) - 1 if scope_team else len(ids))
        previous = None
        for cycle in chosen:
            insights = stored[(store.team_key(scope_team), cycle.pk)]
            advice = [a for t_id, a, at in answers if t_id in ids and _in_cycle(at, cycle)]
            counts = _counts(people, insights, advice)
            figures = rules.transition_figures(counts)
            factors = rules.transition_factors(insights.factors, people)
            before = previous or TransitionCell(
                None, counts, [(None, None)] * len(figures), [(None, None)] * len(factors)
            )
            row.cells.append(
                TransitionCell(
                    cycle,
                    counts,
                    [(f, rules.trend(b, f)) for f, (b, _) in zip(figures, before.figures, strict=True)],
                    [(f, rules.trend(b, f)) for f, (b, _) in zip(factors, before.factors, strict=True)],
                )
            )
            previous = row.cells[-1]
        result.rows.append(row)
    return result
