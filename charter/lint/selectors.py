"""Reads for lint: the plain data the rules need, in a constant number of queries, and the findings."""

from collections import Counter, defaultdict
from operator import itemgetter

from django.db.models import Count, JSONField, OuterRef, Subquery
from django.utils import timezone

from charter.backbriefs.models import BackBrief
from charter.core.actor import Actor
from charter.core.jsonrows import JSONRows
from charter.delegation import rules as delegation_rules
from charter.delegation.models import Decision, DecisionDomain, DelegationLevel
from charter.goals import selectors as goal_selectors
from charter.goals.models import Cycle, Goal, KeyResult
from charter.organizations.models import Team, TeamMembership
from charter.search import selectors as search_selectors

from . import queries, registry
from .models import LintSettings


def lint_settings(*, actor: Actor) -> LintSettings:
    """The organization's settings, or an unsaved default (every rule on)."""
    found = LintSettings.objects.for_org(actor.organization).first()
    return found or LintSettings(organization=actor.organization)


def rule_list(*, actor: Actor) -> list[dict]:
    """Every rule with whether it is on and its thresholds here (defaults overridden by the settings)."""
    settings = lint_settings(actor=actor)
    return [
        {
            "rule": r,
            "enabled": r.code not in settings.disabled,
            "thresholds": {**r.thresholds, **settings.thresholds.get(r.code, {})},
        }
        for r in registry.RULES.values()
    ]


GOAL_FIELDS = (
    "id", "title", "owner_id", "owner__full_name", "owner__email", "team_id", "team__name",
    "team__parent_id", "parent_id", "purpose", "end_state", "constraints", "freedoms",
    "last_check_in_at", "created_at", "progress",
)  # fmt: skip


def _goal_data(g: dict, key_results) -> registry.GoalData:
    return registry.GoalData(
        id=g["id"],
        title=g["title"],
        owner_id=g["owner_id"],
        owner=g["owner__full_name"] or g["owner__email"],
        team_id=g["team_id"],
        team=g["team__name"] or "",
        # As Goal.level: strategic for the whole organization or a top team.
        level="strategic" if g["team_id"] is None or g["team__parent_id"] is None else "team",
        has_parent=g["parent_id"] is not None,
        purpose=g["purpose"],
        end_state=g["end_state"],
        constraints=g["constraints"],
        freedoms=g["freedoms"],
        key_results=tuple(key_results),
        last_check_in_at=g["last_check_in_at"],
        created_at=g["created_at"],
        progress=g["progress"],
        parent_id=g["parent_id"],
    )


def _key_results_by_goal(actor: Actor, **where) -> dict[int, list[registry.KeyResultData]]:
    krs = defaultdict(list)
    for goal_id, *values in (
        KeyResult.objects.for_org(actor.organization)
        .filter(**where)
        .order_by("position", "id")
        .values_list("goal_id", "title", "kind", "start", "target", "weight", "owner_id")
    ):
        krs[goal_id].append(registry.KeyResultData(*values))
    return krs


def cycle_goal_data(*, actor: Actor, cycle: Cycle) -> list[registry.GoalData]:
    """The cycle's goals as the rules see them, in two queries of plain values (no models: the lint page
    lints a whole cycle)."""
    goals = (
        Goal.objects.for_org(actor.organization)
        .filter(cycle=cycle)
        .order_by("title", "id")
        .values(*GOAL_FIELDS)
    )
    krs = _key_results_by_goal(actor, goal__cycle=cycle)
    return [_goal_data(g, krs[g["id"]]) for g in goals]


def goal_data_of(goal: Goal) -> registry.GoalData:
    """A goal instance as the rules see it, from what the goal page already loaded (owner, team and its
    parent, key results in their order), so linting it costs no query of its own."""
    krs = [
        registry.KeyResultData(k.title, k.kind, k.start, k.target, k.weight, k.owner_id)
        for k in goal.key_results.all()
    ]
    team, owner = goal.team, goal.owner
    return _goal_data(
        {
            **{name: getattr(goal, name) for name in GOAL_FIELDS if "__" not in name},
            "owner__full_name": owner.full_name if owner else None,
            "owner__email": owner.email if owner else None,
            "team__name": team.name if team else None,
            "team__parent_id": team.parent_id if team else None,
        },
        krs,
    )


def _team_data(actor: Actor) -> list[registry.TeamData]:
    org = actor.organization
    teams = list(Team.objects.for_org(org).order_by("name", "id"))
    leads = defaultdict(list)
    for tm in TeamMembership.objects.for_org(org).filter(is_lead=True).select_related("user"):
        leads[tm.team_id].append((tm.user_id, tm.user.full_name or tm.user.email))
    domain_ids = list(DecisionDomain.objects.for_org(org).values_list("pk", flat=True))
    set_levels = {
        (t, d): lvl
        for t, d, lvl in DelegationLevel.objects.for_org(org).values_list("team_id", "domain_id", "level")
    }
    parent_of = {t.pk: t.parent_id for t in teams}
    decisions, escalated = Counter(), Counter()
    for team_id, was_escalated in Decision.objects.for_org(org).values_list("team_id", "escalated"):
        decisions[team_id] += 1
        escalated[team_id] += int(was_escalated)
    return [
        registry.TeamData(
            id=t.pk,
            name=t.name,
            parent_id=t.parent_id,
            leads=tuple(leads[t.pk]),
            levels=tuple(
                delegation_rules.effective_level(t.pk, d, parent_of, set_levels)[0] for d in domain_ids
            ),
            decisions=decisions[t.pk],
            escalated=escalated[t.pk],
        )
        for t in teams
    ]


def _waiting_back_briefs(actor: Actor, cycle: Cycle, goal_ids=None) -> tuple[registry.BackBriefData, ...]:
    waiting = BackBrief.objects.for_org(actor.organization).filter(
        state=BackBrief.State.SUBMITTED, goal__cycle=cycle
    )
    if goal_ids is not None:
        waiting = waiting.filter(goal_id__in=goal_ids)
    rows = waiting.values_list("goal_id", "goal__title", "team__name", "submitted_at")
    return tuple(registry.BackBriefData(*row) for row in rows)


MEANING_RULES = ("CH201", "CH202", "CH203")


def org_data(*, actor: Actor, cycle: Cycle, meaning: bool = True) -> registry.OrgData:
    """Teams, delegation and back-briefs for the micro-management rules, in six queries; the goals' and
    the mission's vectors for the meaning rules, in two more (none when those rules are off)."""
    teams = tuple(_team_data(actor))
    return registry.OrgData(
        teams=teams,
        back_briefs=_waiting_back_briefs(actor, cycle),
        meaning=meaning_data(actor=actor, cycle=cycle, team_parents={t.id: t.parent_id for t in teams})
        if meaning
        else None,
    )


def meaning_data(*, actor: Actor, cycle: Cycle, team_parents: dict) -> registry.MeaningData | None:
    """The cycle's goal vectors and the mission's, stored by the search index; None when it holds none
    (no embedder, or nothing indexed yet): then the meaning rules say nothing."""
    vectors = search_selectors.stored_vectors(actor=actor, type="goal", cycle_id=cycle.pk)
    if not vectors:
        return None
    mission = search_selectors.stored_vectors(actor=actor, type="mission")
    return registry.MeaningData(
        vectors=vectors, mission=next(iter(mission.values()), None), team_parents=team_parents
    )


def _with_supports(actor: Actor, cycle: Cycle, goals: list) -> list:
    """The goals with the goals each supports (the duplicate rule leaves linked goals alone), one query."""
    supports = defaultdict(list)
    through = Goal.supports.through.objects.filter(from_goal__organization=actor.organization)
    for from_id, to_id in through.filter(from_goal__cycle=cycle).values_list("from_goal_id", "to_goal_id"):
        supports[from_id].append(to_id)
    return [g._replace(supports=tuple(supports[g.id])) if g.id in supports else g for g in goals]


def context_for(*, actor: Actor, cycle: Cycle, settings: LintSettings) -> registry.Context:
    now = timezone.now()
    running = cycle.state != Cycle.State.CLOSED and cycle.starts_on <= now.date() <= cycle.ends_on
    return registry.Context(
        now=now,
        stale_days=actor.organization.stale_days,
        cycle=registry.CycleData(cycle.starts_on, cycle.ends_on, running),
        thresholds=settings.thresholds,
    )


def cycle_findings(*, actor: Actor, cycle_id: int) -> dict:
    """A cycle of the organization with its goals' and teams' findings; NotFound for a foreign cycle."""
    cycle = goal_selectors.cycle_get(actor=actor, cycle_id=cycle_id)
    settings = lint_settings(actor=actor)
    goals = _with_supports(actor, cycle, cycle_goal_data(actor=actor, cycle=cycle))
    findings = registry.run(
        goals,
        context_for(actor=actor, cycle=cycle, settings=settings),
        org_data(actor=actor, cycle=cycle, meaning=not set(MEANING_RULES) <= set(settings.disabled)),
        disabled=settings.disabled,
    )
    return {"cycle": cycle, "goals": goals, "findings": findings}


def current_cycle(*, actor: Actor, cycle_id: int | None = None) -> Cycle | None:
    """The cycle asked for (NotFound when foreign), else the organization's current one."""
    if cycle_id:
        return goal_selectors.cycle_get(actor=actor, cycle_id=cycle_id)
    return goal_selectors.cycle_current(actor=actor)


def findings_of_goals(*, actor: Actor, cycle_id: int, goal_ids=None) -> dict:
    """The findings grouped by goal id (the badges of the map and the goal page): of the whole cycle, or
    of only `goal_ids` (goals of the cycle) when given, which reads only those goals.

    The team rules (CH101-CH103) attach to no goal, so their data (teams, leads, levels, decisions) is
    not read here: only the waiting back-briefs, which CH104 attaches to their goals.
    """
    if goal_ids is not None:
        return _findings_of_some(actor, cycle_id, goal_ids)
    cycle = goal_selectors.cycle_get(actor=actor, cycle_id=cycle_id)
    return _lint_grouped(actor, cycle, cycle_goal_data(actor=actor, cycle=cycle))


def findings_of_goal(*, actor: Actor, goal: Goal, facts: dict | None = None) -> list:
    """The findings of one goal instance of the actor's organization (the goal page), linted alone: its
    owner's goal count in the cycle (CH009) is the only cycle-wide figure a goal rule reads. `facts`: the
    values of `goal_lint_columns` when the caller read them (with the goal), else read here in one query."""
    if facts is None:
        goals = Goal.objects.for_org(actor.organization).filter(pk=goal.pk)
        facts = goals.values(**goal_lint_columns(actor=actor)).get()
    settings = LintSettings(
        organization=actor.organization,
        disabled=facts["lint_disabled"] or [],
        thresholds=facts["lint_thresholds"] or {},
    )
    owners = facts["lint_owner_goals"]
    counts = Counter({goal.owner_id: owners}) if goal.owner_id and owners else Counter()
    back_briefs = tuple(registry.BackBriefData(**row) for row in facts["lint_waiting"])
    found = _lint_grouped(
        actor, goal.cycle, [goal_data_of(goal)], partial=True, facts=(settings, counts, back_briefs)
    )
    return found.get(goal.pk, [])


def goal_lint_columns(*, actor: Actor) -> dict:
    """What linting the goal of the outer query (`OuterRef`) alone needs besides the goal: the settings,
    its owner's goal count in its cycle and its waiting back-briefs, as columns of the goal's query."""
    org = actor.organization
    stored = LintSettings.objects.for_org(org)
    waiting = BackBrief.objects.for_org(org).filter(goal_id=OuterRef("pk"), state=BackBrief.State.SUBMITTED)
    return {
        "lint_disabled": Subquery(stored.values("disabled")[:1], output_field=JSONField()),
        "lint_thresholds": Subquery(stored.values("thresholds")[:1], output_field=JSONField()),
        "lint_owner_goals": Subquery(
            Goal.objects.for_org(org)
            .filter(cycle_id=OuterRef("cycle_id"), owner_id=OuterRef("owner_id"))
            .order_by()
            .values("owner_id")
            .annotate(n=Count("id"))
            .values("n")[:1]
        ),
        "lint_waiting": JSONRows(
            waiting.order_by("-requested_at", "-id"),
            "goal_id",
            goal_title="goal__title",
            team="team__name",
            submitted_at="submitted_at",
        ),
    }


def _cycle_of(cycle_id: int, row: dict) -> Cycle:
    """The cycle as a goal row of it carries it (its dates and state), for the rules."""
    return Cycle(
        pk=cycle_id,
        starts_on=row["cycle__starts_on"],
        ends_on=row["cycle__ends_on"],
        state=row["cycle__state"],
    )


def _findings_of_some(actor: Actor, cycle_id: int, goal_ids) -> dict:
    rows = list(
        Goal.objects.for_org(actor.organization)
        .filter(cycle_id=cycle_id, pk__in=list(goal_ids))
        .order_by("title", "id")
        .values(*GOAL_FIELDS, "cycle__starts_on", "cycle__ends_on", "cycle__state")
    )
    if not rows:
        return {}
    krs = _key_results_by_goal(actor, goal_id__in=[g["id"] for g in rows])
    cycle = _cycle_of(cycle_id, rows[0])
    return _lint_grouped(actor, cycle, [_goal_data(g, krs[g["id"]]) for g in rows], partial=True)


# What a page's goal rows and their "key_results" rows must hold for `findings_of_rows` to lint them
# without reading them again (the strategy map's rows do: `goals.trees.MAP_GOAL_FIELDS`).
ROW_FIELDS = (*GOAL_FIELDS, "cycle_id", "cycle__starts_on", "cycle__ends_on", "cycle__state", "key_results")
ROW_KR_FIELDS = ("title", "kind", "start", "target", "weight", "owner_id")


def lintable_rows(goals) -> bool:
    """Whether `goals` are rows that hold everything the goal rules read (`ROW_FIELDS`)."""
    return all(
        isinstance(g, dict)
        and g.keys() >= _ROW_FIELDS
        and all(kr.keys() >= _ROW_KR_FIELDS for kr in g["key_results"])
        for g in goals
    )


_ROW_FIELDS, _ROW_KR_FIELDS = frozenset(ROW_FIELDS), frozenset(ROW_KR_FIELDS)
_kr_row = itemgetter(*ROW_KR_FIELDS)


def findings_of_rows(*, actor: Actor, cycle_id: int, rows: list[dict]) -> dict:
    """The findings of goal rows of one cycle that a page has read already (`lintable_rows`), grouped by
    goal id, in one query: the settings, their owners' goal counts in the cycle and their waiting
    back-briefs together (`_row_facts`)."""
    if not rows:
        return {}
    cycle = _cycle_of(cycle_id, rows[0])
    goals = [_goal_data(g, (registry.KeyResultData(*_kr_row(kr)) for kr in g["key_results"])) for g in rows]
    facts = _row_facts(actor, cycle_id, goals)
    return _lint_grouped(actor, cycle, goals, partial=True, facts=facts)


def _row_facts(actor: Actor, cycle_id: int, goals) -> tuple[LintSettings, Counter, tuple]:
    """The settings, the goals' owners' goal counts in the cycle and the goals' waiting back-briefs, in
    one query: a UNION ALL of the three reads, each part on its index, tagged by its first column (plain
    SQL, `queries.row_facts`: as the queryset reads of `_lint_grouped` would give them)."""
    org = actor.organization
    found = queries.row_facts(
        organization_id=org.pk,
        cycle_id=cycle_id,
        owner_ids=sorted({g.owner_id for g in goals if g.owner_id is not None}),
        goal_ids=[g.id for g in goals],
    )
    settings = LintSettings(organization=org)
    owner_counts, back_briefs = Counter(), []
    for tag, ref, n, disabled, thresholds, title, team, at in found:
        if tag == "settings":
            settings.disabled = disabled or []
            settings.thresholds = thresholds or {}
        elif tag == "count":
            owner_counts[ref] = n
        else:
            back_briefs.append(registry.BackBriefData(ref, title, team, at))
    return settings, owner_counts, tuple(back_briefs)


def _owner_counts(actor: Actor, cycle: Cycle, goals) -> Counter:
    owners = {g.owner_id for g in goals if g.owner_id is not None}
    counted = (
        Goal.objects.for_org(actor.organization)
        .filter(cycle_id=cycle.pk, owner_id__in=owners)
        .order_by()
        .values("owner_id")
        .annotate(n=Count("id"))
        .values_list("owner_id", "n")
    )
    return Counter(dict(counted)) if owners else Counter()


def _lint_grouped(actor: Actor, cycle: Cycle, goals: list, partial: bool = False, facts=None) -> dict:
    """Lint `goals`; when they are part of the cycle (`partial`), the owner counts and waiting back-briefs
    are read for them alone (or given as `facts`: settings, owner counts, back-briefs), and rules switched
    off read nothing."""
    settings = facts[0] if facts else lint_settings(actor=actor)
    off = set(settings.disabled)
    owner_counts = back_briefs = None
    if facts:
        owner_counts, back_briefs = facts[1], facts[2]
    elif partial:
        owner_counts = Counter() if "CH009" in off else _owner_counts(actor, cycle, goals)
        ids = [g.id for g in goals]
        back_briefs = () if "CH104" in off else _waiting_back_briefs(actor, cycle, ids)
    else:
        back_briefs = _waiting_back_briefs(actor, cycle)
    findings = registry.run(
        goals,
        context_for(actor=actor, cycle=cycle, settings=settings),
        registry.OrgData(back_briefs=back_briefs),
        disabled=off,
        owner_counts=owner_counts,
    )
    grouped = defaultdict(list)
    for finding in findings:
        if finding.goal_id is not None:
            grouped[finding.goal_id].append(finding)
    return dict(grouped)
