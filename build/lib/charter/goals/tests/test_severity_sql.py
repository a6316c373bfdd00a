"""`rows.severity_sql` (a goal's status computed by the database) equals `rules.status`, goal by goal,
on a grid of progress, confidence and check-in times that crosses every threshold of the rule, before,
during and after the cycle, on SQLite and on PostgreSQL."""

import itertools
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from charter.goals import rules
from charter.goals.models import Goal
from charter.goals.rows import BY_SEVERITY, severity_sql, status_of
from charter.goals.tests.factories import make_goal


def test_the_database_gives_each_goal_the_status_the_rule_gives(owner, cycle):
    now = timezone.now()
    template = make_goal(owner, cycle, "Template")
    expected_now = rules.expected_progress(cycle.starts_on, cycle.ends_on, now.date())
    progresses = [-0.5, 0.0, 0.3, 0.9, 1.0, 1.4]
    # Exactly on the gaps as the rule computes them (float arithmetic included), and just off them.
    for gap in (rules.AT_RISK_GAP, rules.OFF_TRACK_GAP):
        progresses += [expected_now - gap, expected_now - gap + 1e-9, expected_now - gap - 1e-9]
    confidences = [None, 0, rules.OFF_TRACK_CONFIDENCE, 4, rules.AT_RISK_CONFIDENCE, 7, 10]
    stale = timedelta(days=owner.organization.stale_days)
    check_ins = [None, now - stale, now - stale - timedelta(seconds=1), now - timedelta(days=1)]
    created = [now - timedelta(days=60), now - timedelta(days=1)]
    goals = [
        Goal(
            organization_id=owner.organization_id,
            cycle_id=cycle.pk,
            owner_id=owner.user_id,
            title=f"{i:04d} made {made}",
            progress=progress,
            confidence=confidence,
            last_check_in_at=check_in,
        )
        for i, (progress, confidence, check_in, made) in enumerate(
            itertools.product(progresses, confidences, check_ins, range(len(created)))
        )
    ]
    in_org = Goal.objects.for_org(owner.organization)
    in_org.bulk_create(goals)
    in_org.filter(pk=template.pk).delete()
    for made, at in enumerate(created):  # `created_at` is set on creation: changed afterwards
        in_org.filter(title__endswith=f" made {made}").update(created_at=at)
    columns = ("progress", "confidence", "last_check_in_at", "created_at")
    rows = list(Goal.objects.for_org(owner.organization).order_by("id").values("id", *columns))
    assert len(rows) == len(goals)

    table = connection.ops.quote_name(Goal._meta.db_table)
    seen = set()
    for moment in (now, cycle.starts_on, cycle.ends_on, now - timedelta(days=90), now + timedelta(days=90)):
        if not hasattr(moment, "hour"):
            moment = timezone.make_aware(timezone.datetime.combine(moment, timezone.datetime.min.time()))
        severity, params = severity_sql(cycle, moment, owner.organization.stale_days)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT g.id, {severity} FROM {table} g WHERE g.organization_id = %s ORDER BY g.id",
                [*params, owner.organization_id],
            )
            by_database = [BY_SEVERITY[s] for _, s in cursor.fetchall()]
        by_rule = [status_of(row, moment, owner.organization.stale_days, cycle) for row in rows]
        assert by_database == by_rule, moment
        seen.update(by_rule)
    assert seen == set(BY_SEVERITY)  # every status came up
