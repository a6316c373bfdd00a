"""The lint rule registry: what the rules read, the `rule` decorator that registers one, and `run`.

The rules are pure functions over plain data, so the same rules run on the database and on a goals
file. A goal rule sees one `GoalData` and the `Context` (settings, time, the cycle's owner counts); an
organization rule sees the `OrgData` (teams, delegation levels, decisions, back-briefs). Each yields
findings; `run` applies the enabled rules and sorts the result. The rules themselves live in `checks`,
which the app's `ready` imports (so this module never imports them back).
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from charter.goals import rules as goal_rules

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)
GOAL, ORG = "goal", "org"

# A key result worded as work to do, not an outcome to reach: the goals' rule, shared with insights.
TASK_VERBS = goal_rules.TASK_VERBS
NUMBER = re.compile(r"\d")


# ---- the data the rules read ----------------------------------------------------------------------


# The goal and key result the rules read are named tuples: immutable like a frozen dataclass, and built
# about four times faster (a map lints a few hundred goals with their key results on every view).
class KeyResultData(NamedTuple):
    """A key result as the rules see it; `line` is where a goals file writes it (0: the database)."""

    title: str
    kind: str = "increase"
    start: float | None = 0.0
    target: float | None = 1.0
    weight: float = 1.0
    owner_id: object = None
    line: int = 0


class GoalData(NamedTuple):
    """A goal as the rules see it, built from the database or from a goals file."""

    id: object  # the database id, or the file's goal key
    title: str
    owner_id: object = None
    owner: str = ""
    team_id: object = None
    team: str = ""
    level: str = "strategic"  # "strategic" (whole organization or a top team) or "team"
    has_parent: bool = False
    purpose: str = ""
    end_state: str = ""
    constraints: str = ""
    freedoms: str = ""
    key_results: tuple[KeyResultData, ...] = ()
    last_check_in_at: datetime | None = None
    created_at: datetime | None = None
    progress: float = 0.0  # a finished goal is never stale
    line: int = 0
    lines: dict | None = None  # field name -> line in a goals file
    parent_id: object = None  # the goal it contributes to (id or file key)
    supports: tuple = ()  # the goals it supports

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line) if self.lines else self.line


@dataclass(frozen=True)
class TeamData:
    id: object
    name: str
    parent_id: object = None
    leads: tuple = ()  # (user id, name) of the team's leads
    levels: tuple[int, ...] = ()  # effective delegation level per decision domain
    decisions: int = 0
    escalated: int = 0


@dataclass(frozen=True)
class BackBriefData:
    goal_id: object
    goal_title: str
    team: str
    submitted_at: datetime


@dataclass(frozen=True)
class MeaningData:
    """What the meaning rules (CH2xx) read: each goal's unit vector from the search index (a goal without
    one is left out), the mission's, and the team tree (a goal's likely parent sits in a team above)."""

    vectors: dict = field(default_factory=dict)  # goal id -> unit vector (numpy float32)
    mission: object = None  # unit vector, or None
    team_parents: dict = field(default_factory=dict)  # team id -> parent team id


@dataclass(frozen=True)
class OrgData:
    """What the micro-management rules read; empty for a goals file."""

    teams: tuple[TeamData, ...] = ()
    back_briefs: tuple[BackBriefData, ...] = ()  # submitted, not yet confirmed
    meaning: MeaningData | None = None  # None: no vectors (no model, or only part of a cycle linted)


@dataclass(frozen=True)
class CycleData:
    starts_on: object = None
    ends_on: object = None
    running: bool = False


@dataclass
class Context:
    now: datetime
    stale_days: int = 14
    cycle: CycleData = field(default_factory=CycleData)
    thresholds: dict = field(default_factory=dict)
    owner_counts: Counter = field(default_factory=Counter)

    def threshold(self, rule: "Rule", name: str):
        return self.thresholds.get(rule.code, {}).get(name, rule.thresholds[name])


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    hint: str
    goal_id: object = None
    goal_title: str = ""
    team: str = ""
    line: int = 0

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "goal_id": self.goal_id,
            "goal_title": self.goal_title,
            "team": self.team,
            "line": self.line,
        }


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    scope: str
    message: str
    hint: str
    check: Callable
    thresholds: dict = field(default_factory=dict)

    def finding(self, goal: GoalData | None = None, line: int = 0, detail: str = "", **extra) -> Finding:
        message = f"{self.message}: {detail}" if detail else self.message
        if goal is not None:
            extra = {"goal_id": goal.id, "goal_title": goal.title, "team": goal.team, **extra}
        return Finding(self.code, self.severity, message, self.hint, line=line, **extra)


RULES: dict[str, Rule] = {}


def rule(code, name, severity, scope, message, hint, **thresholds):
    def decorator(check):
        RULES[code] = Rule(code, name, severity, scope, message, hint, check, thresholds)
        return check

    return decorator


def run(
    goals: Iterable[GoalData],
    context: Context,
    org: OrgData | None = None,
    disabled: Iterable[str] = (),
    owner_counts: Counter | None = None,
) -> list[Finding]:
    """Every finding of the enabled rules, goals first (in their order), then the organization's.

    `owner_counts` (goals per owner in the whole cycle) is given when `goals` is only part of the cycle.
    """
    goals, off = list(goals), set(disabled)
    if owner_counts is None:
        owner_counts = Counter(g.owner_id for g in goals if g.owner_id is not None)
    context.owner_counts = owner_counts
    findings = []
    goal_rules = [r for r in RULES.values() if r.scope == GOAL and r.code not in off]
    for goal in goals:
        for r in goal_rules:
            findings += r.check(r, goal, context)
    for r in RULES.values():
        if r.scope == ORG and r.code not in off and org is not None:
            findings += r.check(r, org, context, goals)
    return findings


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = Counter(f.severity for f in findings)
    return {s: counts.get(s, 0) for s in SEVERITIES}
