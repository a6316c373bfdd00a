"""The back-briefs app's hand-written SQL, through `core.queries` (named parameters, the organization
filter required): the home panel's two lists in one query (every home page pays for it, and the queryset
cost ~4 ms to build)."""

from functools import cache

from django.db import connection

from charter.core import queries
from charter.core.rows import among, field_reader, values_param
from charter.goals.models import Goal
from charter.organizations.models import Team

from .models import BackBrief

HOME_TIMES = ("requested_at", "submitted_at", "reviewed_at", "confirmed_at")


@cache
def _home_query(vendor: str):
    q = connection.ops.quote_name
    briefs, goals, teams = (q(m._meta.db_table) for m in (BackBrief, Goal, Team))
    team_in, to_write, led = (among(vendor).replace("%s", f"%({n})s") for n in ("teams", "to_write", "led"))
    times = ", ".join(f"b.{q(name)}" for name in HOME_TIMES)
    sql = (
        f"SELECT id, goal_id, team_id, state, {', '.join(q(n) for n in HOME_TIMES)}, title, name FROM ("
        f" SELECT b.id, b.goal_id, b.team_id, b.state, {times}, g.title, t.name,"
        "  ROW_NUMBER() OVER (PARTITION BY b.state = %(submitted)s"
        " ORDER BY b.requested_at DESC, b.id DESC) AS n"
        f" FROM {briefs} b JOIN {goals} g ON g.id = b.goal_id JOIN {teams} t ON t.id = b.team_id"
        f" WHERE b.organization_id = %(organization_id)s AND ((b.team_id {team_in} AND b.state {to_write})"
        "  OR (%(may_review)s AND b.state = %(submitted)s"
        " AND (b.submitted_by_id IS NULL OR b.submitted_by_id <> %(user_id)s)"
        f"   AND (g.owner_id = %(user_id)s OR (NOT (b.team_id {team_in})"
        f" AND (%(edits_everything)s OR b.team_id {led})))))"
        ") x WHERE n <= %(limit)s ORDER BY requested_at DESC, id DESC"
    )
    return sql, [field_reader(BackBrief._meta.get_field(name)) for name in HOME_TIMES]


def home_rows(
    *,
    organization_id: int,
    user_id: int,
    team_ids,
    lead_team_ids,
    may_review: bool,
    edits_everything: bool,
    limit: int,
) -> list[tuple]:
    """(id, goal id, team id, state, *HOME_TIMES, goal title, team name) of the newest `limit` back-briefs
    waiting for one of `team_ids` to write them and of the newest `limit` submitted ones the person may
    confirm (mirrors `rules.may_review`: `may_review`, not their own, of their goal or of another team,
    one they lead or below, unless `edits_everything`)."""
    sql, read_times = _home_query(connection.vendor)
    params = {
        "organization_id": organization_id,
        "user_id": user_id,
        "submitted": BackBrief.State.SUBMITTED,
        "teams": values_param(team_ids),
        "to_write": values_param(BackBrief.TO_WRITE_STATES),
        "led": values_param(lead_team_ids),
        "may_review": may_review,
        "edits_everything": edits_everything,
        "limit": limit,
    }
    n = len(HOME_TIMES)
    return [
        (*row[:4], *(read(v) for read, v in zip(read_times, row[4 : 4 + n], strict=True)), *row[4 + n :])
        for row in queries.fetch_all(sql, params)
    ]
