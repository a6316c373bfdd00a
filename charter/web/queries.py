"""The home page's hand-written SQL (through `core.queries`: named parameters, the organization filter
required): the current cycle's goals it shows, picked and counted by status in the database, and the goals
above them."""

from functools import cache

from django.db import connection

from charter.core import queries
from charter.core.rows import field_reader
from charter.goals.models import Goal, KeyResult
from charter.goals.selectors import chain_condition
from charter.organizations.models import Team, TeamMembership, User

HOME_COLUMNS = (
    "id", "title", "parent_id", "team_id", "owner_id", "progress", "confidence", "last_check_in_at",
    "created_at",
)  # fmt: skip


@cache
def _home_rows_query(vendor: str, needs_attention: int, shown: int):
    """The SQL of `home_goal_rows` (with a slot for the status CASE and one for the chain) and the goal
    columns' readers."""
    q = connection.ops.quote_name
    goal, team, user, membership, kr = (
        q(m._meta.db_table) for m in (Goal, Team, User, TeamMembership, KeyResult)
    )
    krs_mine = (
        f"SELECT k.goal_id FROM {kr} k"
        " WHERE k.organization_id = %(organization_id)s AND k.owner_id = %(user_id)s"
    )
    g_cols = ", ".join(f"g.{q(c)}" for c in HOME_COLUMNS)
    # The names come from subqueries, read for the rows shown only (a join made PostgreSQL hash every
    # person of the organization).
    names = (
        f"(SELECT t.name FROM {team} t WHERE t.id = g.team_id),"
        f" (SELECT t.parent_id FROM {team} t WHERE t.id = g.team_id),"
        f" (SELECT COALESCE(NULLIF(u.full_name, ''), u.email) FROM {user} u WHERE u.id = g.owner_id)"
    )
    in_cycle = (
        f"WITH s AS (SELECT {g_cols}, {{severity}} AS severity FROM {goal} g"
        " WHERE g.organization_id = %(organization_id)s AND g.cycle_id = %(cycle_id)s),"
        f" urgent AS (SELECT id FROM s WHERE severity < {needs_attention}"
        f" ORDER BY severity, title, id LIMIT {shown})"
        f" SELECT g.*, {names}, g.id IN (SELECT id FROM urgent),"
        f" (SELECT COUNT(*) FROM s WHERE severity < {needs_attention}), g.id IN ({krs_mine})"
        f" FROM s g WHERE g.id IN (SELECT id FROM urgent) OR g.owner_id = %(user_id)s OR g.id IN ({krs_mine})"
        f" OR g.team_id IN (SELECT m.team_id FROM {membership} m"
        " WHERE m.organization_id = %(organization_id)s AND m.user_id = %(user_id)s)"
        " ORDER BY g.title, g.id"
    )
    above = (
        f"SELECT {g_cols}, NULL, {names}, NULL, NULL, NULL FROM {goal} g"
        " WHERE g.organization_id = %(organization_id)s AND {chain}"
    )
    return in_cycle, above, [field_reader(Goal._meta.get_field(c)) for c in HOME_COLUMNS]


def home_goal_rows(
    *,
    organization_id: int,
    user_id: int,
    cycle_id: int,
    severity: tuple[str, dict],
    needs_attention: int,
    shown: int,
) -> list[tuple]:
    """The cycle's goals the home page shows (the person's, their teams', the `shown` most urgent of those
    whose severity is below `needs_attention`), by title, then the goals above them, as tuples: the
    HOME_COLUMNS (read as the ORM reads them), the severity (None for a goal above), the team's name and
    parent, the owner's name, whether urgent, the number needing attention, whether she owns one of its
    key results."""
    in_cycle, above, readers = _home_rows_query(connection.vendor, needs_attention, shown)
    severity_sql, params = severity
    params = {**params, "organization_id": organization_id, "user_id": user_id, "cycle_id": cycle_id}
    found = queries.fetch_all(in_cycle.format(severity=severity_sql), params)
    seen = {values[0] for values in found}
    parents = {values[HOME_COLUMNS.index("parent_id")] for values in found}
    missing = sorted(parents - seen - {None})
    if missing:
        chain, chain_params = chain_condition(organization_id, "g.id", *missing)
        rows = queries.fetch_all(
            above.format(chain=chain), {**chain_params, "organization_id": organization_id}
        )
        found += [values for values in rows if values[0] not in seen]
    n = len(HOME_COLUMNS)
    return [
        (*(read(v) for read, v in zip(readers, values[:n], strict=True)), *values[n:]) for values in found
    ]
