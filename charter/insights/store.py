"""Stored figures: the valid ones are read in one query; the missing or outdated ones are computed and stored.

A stored row holds while its stamp equals the current one. The stamp moves with every write the figures
read: the services audit every write (a roll-up rides in the transaction of the audited write that caused
it), so the organization's audit events (max id, and count for a transaction that commits after a later
id) move; pulse answers are deliberately not audited, so their participations are counted; the
organization's mark and stale days are compared as they are. Time moves the running cycle's figures
(its weeks, expected progress, goals going stale): `valid_until` says when.
"""

from dataclasses import asdict
from datetime import UTC, datetime, time, timedelta

import orjson
from django.utils import timezone

from charter.goals.rules import clamp

from . import queries
from .models import StoredFigures
from .rules import Figure

# Audited writes that no figure reads; any other (an unknown kind too) outdates the stored figures.
UNREAD = ("mission.mission", "organizations.apitoken", "discussion.comment")
STAMP = queries.STAMP


def stamp(organization) -> dict:
    """The current stamp; read it before the inputs, so a write committing meanwhile outdates the result."""
    return queries.stamp(organization_id=organization.pk, unread=UNREAD)


def team_key(team) -> int:
    return team.pk if team is not None else 0


def load(organization, team, cycle_ids: list[int]) -> dict[int, tuple[list, list]]:
    """cycle id -> (indicators, factors) of the stored figures that still hold, in one query.

    Plain SQL (`queries.valid_figures`)."""
    key = team_key(team)
    return {cycle: found for (_, cycle), found in load_many(organization, [key], cycle_ids).items()}


def load_many(organization, team_keys: list[int], cycle_ids: list[int]) -> dict[tuple, tuple[list, list]]:
    """(team key, cycle id) -> (indicators, factors) of the stored figures of these scopes (team key 0: the
    organization) that still hold, in one query. A row stored before a figure gained the counts others read
    (its `parts`) is left out, so it is computed again."""
    if not cycle_ids or not team_keys:
        return {}
    rows = queries.valid_figures(
        organization_id=organization.pk,
        team_keys=team_keys,
        cycle_ids=cycle_ids,
        attainment_mark=organization.attainment_mark,
        stale_days=organization.stale_days,
        now=timezone.now(),
        unread=UNREAD,
    )
    found = {}
    for key, cycle_id, indicators, factors in rows:
        indicators, factors = _figures(indicators), _figures(factors)
        if _complete(indicators + factors):
            found[(key, cycle_id)] = (indicators, factors)
    return found


# The counts a figure keeps in its `parts` for the transition (`selectors.transition`) to read.
PARTS = {
    "check_in_participation": "expected",
    "escalation_rate": "decisions",
    "back_brief_confirmed_share": "total",
    "ideas_adopted_per_member": "count",
    "decision_making": "decisions",
}


def _complete(figures: list[Figure]) -> bool:
    return all(PARTS[f.code] in f.parts for f in figures if f.code in PARTS)


def _figures(stored) -> list[Figure]:
    items = orjson.loads(stored) if isinstance(stored, str | bytes) else stored
    return [Figure(**f) for f in items]


def save(organization, team, cycle, current: dict, result, until: datetime | None) -> None:
    """Store (or replace) one scope's figures with the stamp read before they were computed."""
    row = StoredFigures(
        organization=organization,
        cycle=cycle,
        team=team,
        team_key=team_key(team),
        attainment_mark=organization.attainment_mark,
        stale_days=organization.stale_days,
        valid_until=until,
        indicators=[asdict(f) for f in result.indicators],
        factors=[asdict(f) for f in result.factors],
        **current,
    )
    StoredFigures.objects.bulk_create(
        [row],
        update_conflicts=True,
        unique_fields=["organization", "cycle", "team_key"],
        update_fields=[*STAMP, "attainment_mark", "stale_days", "valid_until", "indicators", "factors"],
    )


def valid_until(cycle, goals: list, stale_days: int, now: datetime, waiting: bool = False) -> datetime | None:
    """When time alone changes the figures; None once the cycle is over (by the local and the UTC date).

    Until then: the next midnight (a new week of participation, expected progress), the moments the
    cycle's unfinished goals that had a check-in go stale, as `goals.rules.status` says, and, while
    decisions wait (their age counts in the latency), the next hour.
    """
    local_today, utc_today = timezone.localdate(now), now.astimezone(UTC).date()
    if cycle.ends_on < min(local_today, utc_today):
        return None
    moments = [
        timezone.make_aware(datetime.combine(local_today + timedelta(days=1), time.min)),
        datetime.combine(utc_today + timedelta(days=1), time.min, UTC),
    ]
    if waiting:
        moments.append(now + timedelta(hours=1))
    if cycle.starts_on <= utc_today <= cycle.ends_on:
        for goal in goals:  # a goal never checked in has no status yet, whatever the time
            if clamp(goal.progress) < 1.0 and goal.last_check_in_at is not None:
                moments.append(goal.last_check_in_at + timedelta(days=stale_days))
    return min(m for m in moments if m >= now)
