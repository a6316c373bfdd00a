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

from django.db.models import BigIntegerField, Count, Max, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from charter.core.models import AuditEvent
from charter.goals.rules import clamp
from charter.organizations.models import Organization
from charter.pulse.models import RoundParticipation

from .models import StoredFigures
from .rules import Figure

# Audited writes that no figure reads; any other (an unknown kind too) outdates the stored figures.
UNREAD = ("mission.mission", "organizations.apitoken", "discussion.comment")
STAMP = ("audit_max", "audit_count", "pulse_count")


def _one(qs, aggregate) -> Coalesce:
    """The aggregate of an organization's rows as a subquery (0 when it has none)."""
    rows = qs.values("organization_id").annotate(v=aggregate).values("v")
    return Coalesce(Subquery(rows, output_field=BigIntegerField()), Value(0))


def _stamp_expressions(organization) -> dict:
    audit = AuditEvent.objects.for_org(organization).exclude(object_type__in=UNREAD)
    pulse = RoundParticipation.objects.for_org(organization)
    return {
        "audit_max": _one(audit, Max("id")),
        "audit_count": _one(audit, Count("id")),
        "pulse_count": _one(pulse, Count("id")),
    }


def stamp(organization) -> dict:
    """The current stamp; read it before the inputs, so a write committing meanwhile outdates the result."""
    row = Organization.objects.filter(pk=organization.pk).annotate(**_stamp_expressions(organization))
    return row.values(*STAMP).get()


def _team_key(team) -> int:
    return team.pk if team is not None else 0


def load(organization, team, cycle_ids: list[int]) -> dict[int, tuple[list, list]]:
    """cycle id -> (indicators, factors) of the stored figures that still hold, in one query."""
    rows = (
        StoredFigures.objects.for_org(organization)
        .filter(
            team_key=_team_key(team),
            cycle_id__in=cycle_ids,
            attainment_mark=organization.attainment_mark,
            stale_days=organization.stale_days,
            **_stamp_expressions(organization),
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=timezone.now()))
        .values_list("cycle_id", "indicators", "factors")
    )
    return {
        cycle_id: ([Figure(**f) for f in indicators], [Figure(**f) for f in factors])
        for cycle_id, indicators, factors in rows
    }


def save(organization, team, cycle, current: dict, result, until: datetime | None) -> None:
    """Store (or replace) one scope's figures with the stamp read before they were computed."""
    row = StoredFigures(
        organization=organization,
        cycle=cycle,
        team=team,
        team_key=_team_key(team),
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


def valid_until(cycle, goals: list, stale_days: int, now: datetime) -> datetime | None:
    """When time alone changes the figures; None once the cycle is over (by the local and the UTC date).

    Until then: the next midnight (a new week of participation, expected progress), and the moments the
    cycle's unfinished goals go stale, by the same `since` as `goals.rules.status`.
    """
    local_today, utc_today = timezone.localdate(now), now.astimezone(UTC).date()
    if cycle.ends_on < min(local_today, utc_today):
        return None
    moments = [
        timezone.make_aware(datetime.combine(local_today + timedelta(days=1), time.min)),
        datetime.combine(utc_today + timedelta(days=1), time.min, UTC),
    ]
    if cycle.starts_on <= utc_today <= cycle.ends_on:
        start = datetime.combine(cycle.starts_on, time.min, UTC)
        for goal in goals:
            if clamp(goal.progress) < 1.0:
                since = goal.last_check_in_at or max(goal.created_at, start)
                moments.append(since + timedelta(days=stale_days))
    return min(m for m in moments if m >= now)
