"""The rules themselves: goal quality (CH0xx) and micro-management smells (CH1xx); in `registry`."""

from collections import Counter
from datetime import datetime, timedelta

import numpy as np

from charter.goals import rules as goal_rules

from .registry import ERROR, GOAL, INFO, ORG, WARNING, rule

# ---- goal quality ---------------------------------------------------------------------------------


@rule(
    "CH001", "no-key-results", ERROR, GOAL,
    "The goal has no key result",
    "add one to three key results that say how success is measured",
)  # fmt: skip
def no_key_results(r, goal, ctx):
    return [] if goal.key_results else [r.finding(goal, goal.line_of("title"))]


@rule(
    "CH002", "key-result-without-numbers", ERROR, GOAL,
    "A key result has no start or no target",
    "give it the value it starts from and the value it aims for",
)  # fmt: skip
def key_result_without_numbers(r, goal, ctx):
    return [
        r.finding(goal, kr.line, f'"{kr.title}" has no {"start" if kr.start is None else "target"}')
        for kr in goal.key_results
        if kr.kind != "milestone" and (kr.start is None or kr.target is None)
    ]


def _is_task(kr) -> bool:
    return goal_rules.is_task_like(kr.title, kr.kind)


@rule(
    "CH003", "task-not-outcome", WARNING, GOAL,
    "A key result is a task, not an outcome",
    "say what changes when the work is done (a number that moves), and keep the task in the plan",
)  # fmt: skip
def task_not_outcome(r, goal, ctx):
    return [r.finding(goal, kr.line, f'"{kr.title}"') for kr in goal.key_results if _is_task(kr)]


@rule(
    "CH004", "too-many-key-results", WARNING, GOAL,
    "The goal has too many key results",
    "keep the few that matter most; more than five dilutes focus",
    max_key_results=5,
)  # fmt: skip
def too_many_key_results(r, goal, ctx):
    limit = ctx.threshold(r, "max_key_results")
    if len(goal.key_results) <= limit:
        return []
    return [r.finding(goal, goal.line_of("key_results"), f"{len(goal.key_results)} (at most {limit})")]


@rule(
    "CH005", "orphan-goal", WARNING, GOAL,
    "The goal is aligned to nothing",
    "choose the goal above that it contributes to",
)  # fmt: skip
def orphan_goal(r, goal, ctx):
    return [r.finding(goal, goal.line_of("title"))] if goal.level == "team" and not goal.has_parent else []


@rule(
    "CH006", "no-intent", WARNING, GOAL,
    "The goal has no intent",
    "write its purpose (why) and end state (what success looks like)",
)  # fmt: skip
def no_intent(r, goal, ctx):
    missing = [name for name in ("purpose", "end_state") if not getattr(goal, name).strip()]
    if not missing:
        return []
    return [
        r.finding(goal, goal.line_of("title"), " and ".join(m.replace("_", " ") for m in missing) + " empty")
    ]


@rule(
    "CH007", "incomplete-intent", INFO, GOAL,
    "The intent says nothing about limits or freedom",
    "add its constraints (what must not happen) and freedoms (what the team decides)",
)  # fmt: skip
def incomplete_intent(r, goal, ctx):
    if not (goal.purpose.strip() and goal.end_state.strip()):
        return []
    missing = [name for name in ("constraints", "freedoms") if not getattr(goal, name).strip()]
    return [r.finding(goal, goal.line_of("title"), " and ".join(missing) + " empty")] if missing else []


@rule(
    "CH008", "stale-goal", WARNING, GOAL,
    "No check-in for too long",
    "check in on its key results: value, confidence and a note",
)  # fmt: skip
def stale_goal(r, goal, ctx):
    if not ctx.cycle.running or not goal.key_results or goal.progress >= 1.0:
        return []
    since = goal.last_check_in_at
    if since is None:
        cycle_start = datetime.combine(ctx.cycle.starts_on, datetime.min.time(), ctx.now.tzinfo)
        since = max(filter(None, [goal.created_at, cycle_start]))
    days = (ctx.now - since).days
    if ctx.now - since <= timedelta(days=ctx.stale_days):
        return []
    return [r.finding(goal, goal.line_of("title"), f"{days} days (stale after {ctx.stale_days})")]


@rule(
    "CH009", "owner-overloaded", WARNING, GOAL,
    "The owner has too many goals in this cycle",
    "give some goals to other people, or drop the least important",
    max_goals_per_owner=5,
)  # fmt: skip
def owner_overloaded(r, goal, ctx):
    count, limit = ctx.owner_counts.get(goal.owner_id, 0), ctx.threshold(r, "max_goals_per_owner")
    if goal.owner_id is None or count <= limit:
        return []
    return [
        r.finding(goal, goal.line_of("owner"), f"{goal.owner or 'the owner'} owns {count} (at most {limit})")
    ]


@rule(
    "CH010", "unbalanced-weights", INFO, GOAL,
    "The key results' weights are all zero or one dominates",
    "weigh the key results so that each one counts",
    dominant_share=0.75,
)  # fmt: skip
def unbalanced_weights(r, goal, ctx):
    weights = [kr.weight for kr in goal.key_results]
    total, share = sum(weights), ctx.threshold(r, "dominant_share")
    if len(weights) >= 1 and total <= 0:
        return [r.finding(goal, goal.line_of("key_results"), "all zero")]
    if len(weights) >= 2 and max(weights) / total > share:
        return [r.finding(goal, goal.line_of("key_results"), f"one carries {max(weights) / total:.0%}")]
    return []


@rule(
    "CH011", "nothing-to-move", ERROR, GOAL,
    "A key result's target equals its start",
    "set a target that differs from where it starts",
)  # fmt: skip
def nothing_to_move(r, goal, ctx):
    return [
        r.finding(goal, kr.line, f'"{kr.title}"')
        for kr in goal.key_results
        if kr.kind in ("increase", "decrease") and kr.start is not None and kr.start == kr.target
    ]


# ---- micro-management smells ----------------------------------------------------------------------


def _descendants_of(team_id, children: dict) -> set:
    found, stack = set(), list(children.get(team_id, []))
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack.extend(children.get(node, []))
    return found


def _owner_of(kr, goal):
    return kr.owner_id if kr.owner_id is not None else goal.owner_id


@rule(
    "CH101", "leader-owns-team-results", WARNING, ORG,
    "A leader owns most key results of the teams below",
    "let the teams own their key results; the leader owns the intent and the goal above",
    max_share=0.5, min_key_results=3,
)  # fmt: skip
def leader_owns_team_results(r, org, ctx, goals):
    # Key-result owners counted once per team, then summed over each team's descendants (counting
    # them again for every team costs teams x key results: minutes at 2,000 teams).
    owners_by_team: dict = {}
    for g in goals:
        counts = owners_by_team.setdefault(g.team_id, Counter())
        counts.update(_owner_of(kr, g) for kr in g.key_results)
    children: dict = {}
    for t in org.teams:
        children.setdefault(t.parent_id, []).append(t.id)
    findings = []
    for team in org.teams:
        below = _descendants_of(team.id, children)
        owners = Counter()
        for team_id in below:
            owners.update(owners_by_team.get(team_id, {}))
        total = sum(owners.values())
        if total < ctx.threshold(r, "min_key_results"):
            continue
        for lead_id, name in team.leads:
            share = owners[lead_id] / total
            if share > ctx.threshold(r, "max_share"):
                detail = f"{name} (lead of {team.name}) owns {owners[lead_id]} of {total}"
                findings.append(r.finding(detail=detail, team=team.name))
    return findings


@rule(
    "CH102", "low-delegation", WARNING, ORG,
    "The team may decide almost nothing itself",
    "raise its delegation level (3 or more) in the domains where it knows best",
    max_level=2,
)  # fmt: skip
def low_delegation(r, org, ctx, goals):
    limit = ctx.threshold(r, "max_level")
    return [
        r.finding(detail=f"{t.name}: every domain at level {limit} or below", team=t.name)
        for t in org.teams
        if t.levels and max(t.levels) <= limit
    ]


@rule(
    "CH103", "decisions-escalated", WARNING, ORG,
    "Most of the team's decisions are escalated",
    "agree with the team what it decides itself, and delegate those domains",
    max_share=0.5, min_decisions=4,
)  # fmt: skip
def decisions_escalated(r, org, ctx, goals):
    return [
        r.finding(detail=f"{t.name}: {t.escalated} of {t.decisions}", team=t.name)
        for t in org.teams
        if t.decisions >= ctx.threshold(r, "min_decisions")
        and t.escalated / t.decisions > ctx.threshold(r, "max_share")
    ]


@rule(
    "CH104", "back-brief-unconfirmed", WARNING, ORG,
    "A back-brief waits for confirmation",
    "read the team's back-brief and confirm it or ask for clarification",
    max_days=7,
)  # fmt: skip
def back_brief_unconfirmed(r, org, ctx, goals):
    limit = ctx.threshold(r, "max_days")
    return [
        r.finding(
            detail=f"{b.team}, {(ctx.now - b.submitted_at).days} days",
            goal_id=b.goal_id,
            goal_title=b.goal_title,
            team=b.team,
        )
        for b in org.back_briefs
        if ctx.now - b.submitted_at > timedelta(days=limit)
    ]


# ---- alignment by meaning (the search index's vectors, CH2xx) -------------------------------------
# Cosine similarity of the goals' meaning (title and intent, as the search index embeds them). The
# thresholds were chosen on the labelled set `lint/tests/alignment_set.yaml` (aligned, misaligned and
# duplicate pairs), each the one with the best F0.5 (precision weighed above recall: a false alarm costs
# a leader's trust); `lint/tests/test_meaning_rules.py` reports precision and recall at them.


def _cos(a, b) -> float:
    return float(np.dot(a, b))


def _where(goal) -> str:
    return goal.team or "the organization"


def _above(team_id, team_parents: dict) -> set:
    """The teams above `team_id` (its parent, theirs ...), and None: the organization."""
    found, node, seen = {None}, team_parents.get(team_id), set()
    while node is not None and node not in seen:
        seen.add(node)
        found.add(node)
        node = team_parents.get(node)
    return found


@rule(
    "CH201", "may-not-serve-parent", WARNING, ORG,
    "The goal may not serve its parent",
    "say in its intent how it moves the goal above, or align it to the goal it really serves",
    max_similarity=0.22,
)  # fmt: skip
def may_not_serve_parent(r, org, ctx, goals):
    meaning = org.meaning
    if meaning is None:
        return []
    limit, by_id, findings = ctx.threshold(r, "max_similarity"), {g.id: g for g in goals}, []
    for goal in goals:
        parent = by_id.get(goal.parent_id)
        vector = meaning.vectors.get(goal.id)
        if parent is None or vector is None or parent.id not in meaning.vectors:
            continue
        to_parent = _cos(vector, meaning.vectors[parent.id])
        to_mission = _cos(vector, meaning.mission) if meaning.mission is not None else None
        if max(to_parent, to_mission if to_mission is not None else -1.0) >= limit:
            continue
        mission = f", to the mission {to_mission:.2f}" if to_mission is not None else ""
        detail = f"“{parent.title}” (similarity {to_parent:.2f}{mission}; below {limit:g})"
        findings.append(r.finding(goal, goal.line_of("parent"), detail))
    return findings


def _linked(a, b) -> bool:
    return a.parent_id == b.id or b.parent_id == a.id or b.id in a.supports or a.id in b.supports


@rule(
    "CH202", "may-duplicate", INFO, ORG,
    "The goal may duplicate another team's goal",
    "if both teams mean the same, make one goal contribute to or support the other, or merge them",
    min_similarity=0.66,
)  # fmt: skip
def may_duplicate(r, org, ctx, goals):
    meaning = org.meaning
    known = [g for g in goals if meaning is not None and g.id in meaning.vectors]
    if len(known) < 2:
        return []
    limit, findings = ctx.threshold(r, "min_similarity"), []
    matrix = np.vstack([meaning.vectors[g.id] for g in known]).astype(np.float32)
    for start in range(0, len(known), 512):  # a block of rows at a time: 512 x n cosines, not n x n
        block = matrix[start : start + 512] @ matrix.T
        for i, j in zip(*np.nonzero(block >= limit), strict=True):
            a, b = known[start + i], known[j]
            if start + i == j or a.team_id == b.team_id or _linked(a, b):
                continue
            detail = f"“{b.title}” of {_where(b)} (similarity {block[i, j]:.2f})"
            findings.append(r.finding(a, a.line_of("title"), detail))
    return findings


@rule(
    "CH203", "may-belong-under", INFO, ORG,
    "The goal may belong under a goal above",
    "if it serves that goal, make it contribute to it",
    min_similarity=0.35,
)  # fmt: skip
def may_belong_under(r, org, ctx, goals):
    meaning = org.meaning
    known = [g for g in goals if meaning is not None and g.id in meaning.vectors]
    orphans = [i for i, g in enumerate(known) if not g.has_parent and g.level == "team"]
    if not orphans:
        return []
    limit, findings = ctx.threshold(r, "min_similarity"), []
    matrix = np.vstack([meaning.vectors[g.id] for g in known]).astype(np.float32)
    rows_by_team: dict = {}  # the rows of the goals above each team, found once per team
    for i in orphans:
        goal = known[i]
        if goal.team_id not in rows_by_team:
            above = _above(goal.team_id, meaning.team_parents)
            rows_by_team[goal.team_id] = np.array([j for j, g in enumerate(known) if g.team_id in above], int)
        rows = rows_by_team[goal.team_id]
        rows = rows[rows != i]
        if not len(rows):
            continue
        scores = matrix[rows] @ matrix[i]
        best = int(np.argmax(scores))  # the first of equals: goals come in a stable order
        if scores[best] >= limit:
            found = known[rows[best]]
            detail = f"“{found.title}” of {_where(found)} (similarity {scores[best]:.2f})"
            findings.append(r.finding(goal, goal.line_of("title"), detail))
    return findings
