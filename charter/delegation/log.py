"""The decision log and the goal page's decisions panel read as plain rows.

A page shows up to a hundred decisions with their team, domain, people and linked goals: reading them
as columns (one query, and one for the linked goals' titles) costs a fraction of building six model
instances per decision and prefetching their goals.
"""

from dataclasses import dataclass

from django.db.models import OuterRef

from charter.core.actor import Actor
from charter.core.jsonrows import JSONRows
from charter.goals.models import Goal
from charter.organizations.selectors import team_picker

from . import rules
from .models import Decision, DecisionDomain
from .selectors import decision_filters

_LOG_FIELDS = (
    "id", "title", "status", "level", "proposed_at", "decided_at", "team__name", "domain__name",
    "recorded_by__full_name", "recorded_by__email", "recorded_by__kind",
    "addressed_to__full_name", "addressed_to__email",
)  # fmt: skip
_STATUS_LABELS = dict(Decision.Status.choices)
_OPEN = (rules.PROPOSED, rules.ESCALATED)


@dataclass(frozen=True)
class Person:
    """A person named on a row: shown as `str(User)` shows them, `kind` marks an agent."""

    name: str
    kind: str = "person"

    def __str__(self) -> str:
        return self.name


def _person(full_name: str | None, email: str | None, kind: str = "person") -> Person | None:
    return None if email is None else Person(full_name or email, kind)


def log_rows(*, actor: Actor, limit: int, **filters) -> list[dict]:
    """The newest `limit` decisions matching the filters (those of `selectors.decision_list`), each a
    dict with what the log shows: names, status label, level, openness and linked goals' titles."""
    decisions = decision_filters(Decision.objects.for_org(actor.organization), **filters)
    rows = list(decisions.order_by("-proposed_at", "-id").values(*_LOG_FIELDS)[:limit])
    titles = _goal_titles([row["id"] for row in rows])
    for row in rows:
        row["pk"] = row["id"]
        row["status_label"] = _STATUS_LABELS.get(row["status"], row["status"])
        row["is_open"] = row["status"] in _OPEN
        row["level_info"] = rules.LEVELS[row["level"]]
        row["recorded_by"] = _person(
            row.pop("recorded_by__full_name"), row.pop("recorded_by__email"), row.pop("recorded_by__kind")
        )
        row["addressed_to"] = _person(row.pop("addressed_to__full_name"), row.pop("addressed_to__email"))
        row["goal_titles"] = titles.get(row["id"], [])
    return rows


def _goal_titles(decision_ids: list[int]) -> dict[int, list[str]]:
    """The titles of the goals each decision is linked to, by title (as the goals' default order)."""
    links = (
        Decision.goals.through.objects.filter(decision_id__in=decision_ids)
        .order_by("goal__title", "goal_id")
        .values_list("decision_id", "goal__title")
    )
    titles: dict[int, list[str]] = {}
    for decision_id, title in links:
        titles.setdefault(decision_id, []).append(title)
    return titles


def filter_choices(*, actor: Actor, team_id: int | None = None, team_q: str = "") -> dict:
    """The log's team filter (`team_picker`: bounded, the chosen team kept) and its domain and goal
    filters as (id, name) pairs: the goals offered are those that decisions are linked to, not every goal
    of every cycle."""
    org = actor.organization
    goals = Goal.objects.for_org(org).filter(decisions__isnull=False).distinct().order_by("title", "id")
    return {
        "team_picker": team_picker(actor=actor, selected=team_id, q=team_q),
        "domains": list(DecisionDomain.objects.for_org(org).order_by("name", "id").values_list("id", "name")),
        "goals": list(goals.values_list("id", "title")),
    }


def goal_decision_rows(*, actor: Actor, limit: int) -> JSONRows:
    """`goal_decisions` as plain rows (id, title, status, team and domain names) of the goal of the outer
    query (`OuterRef("pk")`): the goal page reads them with the goal."""
    decisions = (
        Decision.objects.for_org(actor.organization)
        .filter(goals__id=OuterRef("pk"))
        .order_by("-proposed_at", "-id")
    )
    return JSONRows(
        decisions, "id", "title", "status", team_name="team__name", domain_name="domain__name", limit=limit
    )


def goal_decisions(*, actor: Actor, goal_id: int, limit: int) -> list[Decision]:
    """The newest decisions linked to a goal, with only what the goal page's panel shows."""
    return list(
        Decision.objects.for_org(actor.organization)
        .filter(goals__id=goal_id)
        .select_related("team", "domain")
        .only("title", "status", "team__name", "domain__name")
        .order_by("-proposed_at", "-id")[:limit]
    )
