"""The decision log and the goal page's decisions panel read as plain rows.

A page shows up to a hundred decisions with their team, domain, people and linked goals: reading them
as columns (one plain-SQL query, a row per linked goal) costs a fraction of building six model instances
per decision and prefetching their goals.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import OuterRef
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.jsonrows import JSONRows
from charter.organizations.selectors import TEAM_SEARCH_MAX, Picker, picker_of_rows, team_picker

from . import queries, rules
from .models import Decision, DecisionDomain

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


def _day_start(day: date, after: int = 0):
    """The database's value of the moment `day` (+ `after` days) begins in the current time zone, or None
    past the calendar's ends (then nothing is before or after it)."""
    try:
        moment = timezone.make_aware(datetime.combine(day + timedelta(days=after), time.min))
        return connection.ops.adapt_datetimefield_value(moment)
    except OverflowError:
        return None


def _log_filters(filters: dict) -> dict:
    """The filters that filter, with their parameters (a date as the moment its day begins, as
    `proposed_at__date` compares in the current time zone)."""
    wanted = {name: value for name, value in filters.items() if value not in (None, "")}
    if "date_from" in wanted:
        wanted["date_from"] = _day_start(wanted["date_from"])
    if "date_to" in wanted:
        wanted["date_to"] = _day_start(wanted["date_to"], after=1)
    return {name: value for name, value in wanted.items() if value is not None}


def log_rows(*, actor: Actor, limit: int, **filters) -> list[dict]:
    """The newest `limit` decisions matching the filters (those of `selectors.decision_list`), each a
    dict with what the log shows: names, status label, level, openness and linked goals' titles. One
    query in plain SQL (`queries.log_rows`)."""
    fetched = queries.log_rows(
        organization_id=actor.organization_id, limit=limit, filters=_log_filters(filters)
    )
    rows: list[dict] = []
    for title, row in fetched:
        if not rows or rows[-1]["id"] != row["id"]:
            row["pk"] = row["id"]
            row["status_label"] = _STATUS_LABELS.get(row["status"], row["status"])
            row["is_open"] = row["status"] in _OPEN
            row["level_info"] = rules.LEVELS[row["level"]]
            row["recorded_by"] = _person(
                row.pop("recorded_by__full_name"), row.pop("recorded_by__email"), row.pop("recorded_by__kind")
            )
            row["addressed_to"] = _person(row.pop("addressed_to__full_name"), row.pop("addressed_to__email"))
            row["goal_titles"] = []
            rows.append(row)
        if title is not None:
            rows[-1]["goal_titles"].append(title)
    return rows


def filter_choices(
    *, actor: Actor, team_id: int | None = None, team_q: str = "", goal_id=None, goal_q=""
) -> dict:
    """The log's filters: the team picker (`team_picker`), the goal picker (`goal_picker`), both bounded
    with the chosen one kept, and the domains as (id, name) pairs."""
    org = actor.organization
    return {
        "team_picker": team_picker(actor=actor, selected=team_id, q=team_q),
        "goal_picker": goal_picker(actor=actor, selected=goal_id, q=goal_q),
        "domains": list(DecisionDomain.objects.for_org(org).order_by("name", "id").values_list("id", "name")),
    }


# The goal filter offers every goal that decisions are linked to up to this many; above, the goals of the
# newest decisions and the chosen one, and a search field asks the server for others (`goal_picker`).
GOAL_PICKER_SHOWN = 60


def goal_picker(*, actor: Actor, selected: int | None = None, q: str = "") -> Picker:
    """The options of the log's goal filter, bounded whatever the number of goals, in one query: the goals
    that decisions are linked to (not every goal of every cycle), every one when at most
    GOAL_PICKER_SHOWN; else, without `q`, those of the newest decisions, with `q` those whose title
    contains it; always the `selected` goal when it is one of the organization's (another's is never
    listed). By title; a last disabled option says when more would have matched."""
    q = " ".join(q.split())[:TEAM_SEARCH_MAX]
    rows = queries.goal_picker_rows(
        organization_id=actor.organization_id, chosen=selected or 0, q=q, shown=GOAL_PICKER_SHOWN
    )
    return picker_of_rows(
        rows,
        selected,
        q,
        shown=GOAL_PICKER_SHOWN,
        label=lambda row: row[1],
        noun="goals",
        searched="goal’s title",
    )


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
