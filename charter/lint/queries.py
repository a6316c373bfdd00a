"""The lint app's hand-written SQL, through `core.queries` (named parameters, the organization filter
required): the facts the map's badges need besides the goal rows the page read already."""

from functools import cache

from django.db import connection

from charter.backbriefs.models import BackBrief
from charter.core import queries
from charter.core.rows import among, field_reader, values_param
from charter.goals.models import Goal
from charter.organizations.models import Team

from .models import LintSettings


@cache
def _row_facts_query(vendor: str):
    """The SQL of `row_facts` and the readers of its JSON and time columns: its three parts cost more to
    compile as querysets than to run (a list of ids is one parameter: an array on PostgreSQL, a JSON list
    on SQLite)."""
    q = connection.ops.quote_name
    settings, goal, brief, team = (q(m._meta.db_table) for m in (LintSettings, Goal, BackBrief, Team))
    owners, ids = (among(vendor).replace("%s", f"%({name})s") for name in ("owners", "goal_ids"))
    # Typed NULLs: PostgreSQL resolves a UNION's column types part by part, and two untyped NULLs make text.
    sql = (
        "SELECT 'settings', CAST(NULL AS bigint), CAST(NULL AS bigint), s.disabled, s.thresholds,"
        " CAST(NULL AS text), CAST(NULL AS text), CAST(NULL AS timestamptz)"
        f" FROM {settings} s WHERE s.organization_id = %(organization_id)s"
        " UNION ALL SELECT 'count', g.owner_id, COUNT(*), NULL, NULL, NULL, NULL, NULL"
        f" FROM {goal} g WHERE g.organization_id = %(organization_id)s AND g.cycle_id = %(cycle_id)s"
        f" AND g.owner_id {owners} GROUP BY g.owner_id"
        " UNION ALL SELECT 'back_brief', b.goal_id, NULL, NULL, NULL, g.title, t.name, b.submitted_at"
        f" FROM {brief} b JOIN {goal} g ON g.id = b.goal_id JOIN {team} t ON t.id = b.team_id"
        " WHERE b.organization_id = %(organization_id)s AND b.state = %(submitted)s"
        f" AND g.cycle_id = %(cycle_id)s AND b.goal_id {ids}"
    )
    fields = LintSettings._meta.get_field
    readers = (field_reader(fields("disabled")), field_reader(fields("thresholds")))
    return sql, readers, field_reader(BackBrief._meta.get_field("submitted_at"))


def row_facts(*, organization_id: int, cycle_id: int, owner_ids, goal_ids) -> list[tuple]:
    """A UNION ALL of three reads, each row tagged by its first column: ("settings", None, None, disabled,
    thresholds, ...), ("count", owner id, goals they own in the cycle, ...), ("back_brief", goal id, None,
    None, None, goal title, team name, submitted at) for the goals' submitted back-briefs."""
    sql, (read_disabled, read_thresholds), read_at = _row_facts_query(connection.vendor)
    params = {
        "organization_id": organization_id,
        "cycle_id": cycle_id,
        "owners": values_param(owner_ids),
        "goal_ids": values_param(goal_ids),
        "submitted": BackBrief.State.SUBMITTED,
    }
    rows = []
    for tag, ref, n, disabled, thresholds, title, team, at in queries.fetch_all(sql, params):
        if tag == "settings":
            disabled, thresholds = read_disabled(disabled), read_thresholds(thresholds)
        elif tag == "back_brief":
            at = read_at(at)
        rows.append((tag, ref, n, disabled, thresholds, title, team, at))
    return rows
