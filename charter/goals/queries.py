"""The goals app's hand-written SQL, every statement of it, run through `core.queries` (named parameters,
the organization filter required). The hot reads are here because their querysets cost more CPU to build
and compile than the database takes to run them; the roll-up's because they run while a chain of goals is
locked. The statements' text depends only on the database (built once per process, `functools.cache`), so
PostgreSQL prepares each once per connection.

Two SQL fragments are ORM expressions (`RawSQL`) composed into querysets that `OrgQuerySet.for_org` already
scopes: `chain_ids` (the goals above some goals) and `status_case` (the status computed by the database).
"""

from functools import cache

from django.db import connection
from django.db.models import BooleanField, IntegerField
from django.db.models.expressions import RawSQL

from charter.core import queries
from charter.core.rows import among, columns, field_reader, plain_select, row_reader, values_param
from charter.mission.models import Mission
from charter.organizations.models import Organization

from .models import Cycle, Goal, KeyResult
from .rows import severity_sql


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


_GOAL, _KR = Goal._meta.db_table, KeyResult._meta.db_table


# The mission and the cycles (the pages' header and cycle picker), in one query.


@cache
def _mission_and_cycles_query(vendor: str):
    m_cols, c_cols = columns(Mission, "m"), columns(Cycle, "c")
    sql = (
        f"SELECT {m_cols}, {c_cols} FROM {_q(Organization._meta.db_table)} o"
        f" LEFT JOIN {_q(Mission._meta.db_table)} m ON m.organization_id = o.id"
        f" LEFT JOIN {_q(Cycle._meta.db_table)} c ON c.organization_id = o.id"
        " WHERE o.id = %(organization_id)s ORDER BY c.starts_on DESC"  # `Cycle.Meta.ordering`
    )
    return sql, row_reader(Mission), row_reader(Cycle)


def mission_and_cycles(*, organization_id: int) -> tuple[object | None, list]:
    """The organization's mission (None when none was written) and its cycles, newest first."""
    sql, (read_mission, n_mission), (read_cycle, _) = _mission_and_cycles_query(connection.vendor)
    rows = queries.fetch_all(sql, {"organization_id": organization_id})
    mission = read_mission(rows[0][:n_mission]) if rows and rows[0][0] is not None else None
    return mission, [read_cycle(row[n_mission:]) for row in rows if row[n_mission] is not None]


# The goal list page.

# What a row of the goal list page shows, read as `.values()` names them: the goal's columns its status
# needs, its parent's title, its team's name and its owner's name.
GOAL_LIST_FIELDS = (
    "id", "title", "cycle_id", "progress", "confidence", "last_check_in_at", "created_at",
    "parent__title", "team__name", "owner__full_name", "owner__email",
)  # fmt: skip


@cache
def _goal_list_select(vendor: str) -> tuple[str, str, object]:
    """The goal list's SELECT (GOAL_LIST_FIELDS, the page's total and each goal's number of key results)
    and its joins, with its row reader."""
    select, as_dict = plain_select(Goal, GOAL_LIST_FIELDS)
    head, joins = select.split(f" FROM {_q(_GOAL)} m", 1)
    head += f", p.total, (SELECT COUNT(*) FROM {_q(_KR)} k WHERE k.goal_id = m.id)"
    return head, joins, as_dict


def _goal_list_where(filters: dict, severity: tuple[str, dict, int] | None) -> tuple[str, dict]:
    goals = _q(_GOAL)
    where = [f"{goals}.organization_id = %(organization_id)s"]
    params = {}
    for column in ("cycle_id", "team_id", "owner_id"):
        if filters.get(column):
            where.append(f"{goals}.{_q(column)} = %({column})s")
            params[column] = filters[column]
    if severity:
        sql, severity_params, index = severity
        where.append(f"({sql}) = %(severity)s")
        params.update(severity_params, severity=index)
    return " AND ".join(where), params


def goal_list_rows(
    *, organization_id: int, filters: dict, severity, limit: int, offset: int
) -> tuple[list[dict], int]:
    """One page of the goal list, by title: rows of GOAL_LIST_FIELDS with "key_result_count", and the
    number of matching goals (a window count on the page's rows; 0 when the page is past the end).
    `filters`: cycle_id, team_id, owner_id; `severity`: (SQL, its parameters, the index to match) or None."""
    goals = _q(_GOAL)
    where, params = _goal_list_where(filters, severity)
    head, joins, as_dict = _goal_list_select(connection.vendor)
    sql = (
        f"{head} FROM (SELECT {goals}.id, COUNT(*) OVER () AS total FROM {goals} WHERE {where}"
        f" ORDER BY {goals}.title, {goals}.id LIMIT %(limit)s OFFSET %(offset)s) p"
        f" JOIN {goals} m ON m.id = p.id{joins} ORDER BY m.title, m.id"
    )
    params.update(organization_id=organization_id, limit=limit, offset=offset)
    rows = queries.fetch_all(sql, params)
    shown = []
    for row in rows:
        goal = as_dict(row[:-2])
        goal["key_result_count"] = row[-1]
        shown.append(goal)
    return shown, rows[0][-2] if rows else 0


def goal_list_count(*, organization_id: int, filters: dict, severity) -> int:
    where, params = _goal_list_where(filters, severity)
    params["organization_id"] = organization_id
    return queries.fetch_one(f"SELECT COUNT(*) FROM {_q(_GOAL)} WHERE {where}", params)[0]


def severity_case(cycles, now, stale_days: int, alias: str | None = None) -> tuple[str, dict]:
    """`rows.severity_sql` for the goals (the goal table, or as `alias`) of each of `cycles` (a CASE per
    cycle: an organization's cycles are few), with named parameters."""
    whens, params, alias = [], {}, alias or _q(_GOAL)
    for n, cycle in enumerate(cycles):
        sql, positional = severity_sql(cycle, now, stale_days, alias)
        parts = sql.split("%s")
        names = [f"sev_{n}_{i}" for i in range(len(positional))]
        sql = parts[0] + "".join(f"%({name})s{part}" for name, part in zip(names, parts[1:], strict=True))
        whens.append(f"WHEN {alias}.cycle_id = %(sev_{n})s THEN ({sql})")
        params.update(zip(names, positional, strict=True), **{f"sev_{n}": cycle.pk})
    return (f"CASE {' '.join(whens)} END" if whens else "NULL"), params


def status_case(cycles, now, stale_days: int) -> RawSQL:
    """`severity_case` as an expression for a queryset of goals (positional, as the ORM composes it)."""
    whens, params = [], []
    alias = _q(_GOAL)
    for cycle in cycles:
        sql, cycle_params = severity_sql(cycle, now, stale_days, alias)
        whens.append(f"WHEN {alias}.cycle_id = %s THEN ({sql})")
        params += [cycle.pk, *cycle_params]
    return RawSQL(f"CASE {' '.join(whens)} END" if whens else "NULL", params, output_field=IntegerField())


# The chain of goals above a goal.


def chain_ids(organization_id: int, *parent_ids: int) -> RawSQL:
    """Ids of `parent_ids` and the goals above them: a recursive subquery climbs the parent links; UNION
    stops it should the links ever loop."""
    table = _q(_GOAL)
    marks = ", ".join(["%s"] * len(parent_ids))
    return RawSQL(
        f"WITH RECURSIVE chain(id, parent_id) AS ("
        f" SELECT id, parent_id FROM {table} WHERE id IN ({marks}) AND organization_id = %s"
        f" UNION SELECT g.id, g.parent_id FROM {table} g JOIN chain c ON g.id = c.parent_id"
        f" WHERE g.organization_id = %s"
        f") SELECT id FROM chain",
        (*parent_ids, organization_id, organization_id),
    )


def chain_condition(organization_id: int, column: str, *parent_ids: int) -> tuple[str, dict]:
    """SQL saying that `column` (a goal id) is in the chains above `parent_ids` (themselves included), with
    named parameters (`chain_<n>`; it uses `%(organization_id)s`). On PostgreSQL `column = ANY(ARRAY(...))`:
    the planner then reads them by primary key (an IN estimated at ~100 rows made it scan every goal)."""
    table = _q(_GOAL)
    names = [f"chain_{n}" for n in range(len(parent_ids))]
    marks = ", ".join(f"%({name})s" for name in names)
    chain = (
        f"WITH RECURSIVE chain(id, parent_id) AS ("
        f" SELECT id, parent_id FROM {table} WHERE id IN ({marks}) AND organization_id = %(organization_id)s"
        f" UNION SELECT g.id, g.parent_id FROM {table} g JOIN chain c ON g.id = c.parent_id"
        f" WHERE g.organization_id = %(organization_id)s"
        f") SELECT id FROM chain"
    )
    params = dict(zip(names, parent_ids, strict=True))
    if connection.vendor == "postgresql":
        return f"{column} = ANY(ARRAY({chain}))", params
    return f"{column} IN ({chain})", params


def in_chain(organization_id: int, parent_id: int) -> RawSQL:
    """Whether a goal of the queryset is in the chain above `parent_id` (itself included)."""
    column = f"{_q(_GOAL)}.id"
    chain = chain_ids(organization_id, parent_id)
    if connection.vendor == "postgresql":
        return RawSQL(f"{column} = ANY(ARRAY({chain.sql}))", chain.params, output_field=BooleanField())
    return RawSQL(f"{column} IN ({chain.sql})", chain.params, output_field=BooleanField())


# The trees (the strategy map, the API's alignment tree).


@cache
def _tree_select(vendor: str, model, fields: tuple[str, ...]):
    return plain_select(model, fields)


def tree_rows(
    *, organization_id: int, model, fields: tuple[str, ...], cycle_id: int, ids: list[int] | None
) -> list[dict]:
    """Rows of `fields` (as `.values()` names them) of the cycle's goals (`model` Goal, by title) or of
    their key results (KeyResult, by position), or of those of the goals `ids` only."""
    vendor = connection.vendor
    select, as_dict = _tree_select(vendor, model, fields)
    of_goals = model is Goal
    goal_column, order = ("m.id", "m.title, m.id") if of_goals else ("m.goal_id", "m.position, m.id")
    params = {"organization_id": organization_id}
    if ids is not None:
        where = f"{goal_column} {among(vendor).replace('%s', '%(ids)s')}"
        params["ids"] = values_param(ids)
    elif of_goals:
        where = "m.cycle_id = %(cycle_id)s"
        params["cycle_id"] = cycle_id
    else:
        where = (
            f"m.goal_id IN (SELECT g.id FROM {_q(_GOAL)} g"
            " WHERE g.organization_id = %(organization_id)s AND g.cycle_id = %(cycle_id)s)"
        )
        params["cycle_id"] = cycle_id
    sql = f"{select} WHERE m.organization_id = %(organization_id)s AND {where} ORDER BY {order}"
    return [as_dict(row) for row in queries.fetch_all(sql, params)]


def cycle_links(*, organization_id: int, cycle_id: int) -> list[tuple[int, int | None, int | None]]:
    """(id, parent id, team id) of the cycle's goals in title order."""
    sql = (
        f"SELECT id, parent_id, team_id FROM {_q(_GOAL)}"
        " WHERE organization_id = %(organization_id)s AND cycle_id = %(cycle_id)s ORDER BY title, id"
    )
    return queries.fetch_all(sql, {"organization_id": organization_id, "cycle_id": cycle_id})


def subtree_links(*, organization_id: int, cycle_id: int, team_id: int) -> list[tuple[int, int | None, int]]:
    """(id, parent id, in the subtree) in title order of the team's subtree in the cycle (the team's goals
    and every goal below them) and of the goals above it: one recursive query that reads those goals only."""
    goals = _q(_GOAL)
    sql = f"""
WITH RECURSIVE sub(id, parent_id, cycle_id) AS (
    SELECT id, parent_id, cycle_id FROM {goals}
    WHERE organization_id = %(organization_id)s AND cycle_id = %(cycle_id)s AND team_id = %(team_id)s
    UNION
    SELECT g.id, g.parent_id, g.cycle_id FROM {goals} g
    JOIN sub ON g.parent_id = sub.id AND sub.cycle_id = %(cycle_id)s
), up(id, parent_id, cycle_id) AS (
    SELECT g.id, g.parent_id, g.cycle_id FROM {goals} g
    WHERE g.id IN (SELECT parent_id FROM sub WHERE cycle_id = %(cycle_id)s) AND g.id NOT IN (SELECT id FROM sub)
    UNION
    SELECT g.id, g.parent_id, g.cycle_id FROM {goals} g JOIN up ON g.id = up.parent_id AND up.cycle_id = %(cycle_id)s
)
SELECT g.id, g.parent_id, s.inside FROM (
    SELECT id, cycle_id, 1 AS inside FROM sub UNION ALL SELECT id, cycle_id, 0 FROM up
) s JOIN {goals} g ON g.id = s.id
WHERE s.cycle_id = %(cycle_id)s AND g.organization_id = %(organization_id)s
ORDER BY g.title, g.id"""  # noqa: E501
    params = {"organization_id": organization_id, "cycle_id": cycle_id, "team_id": team_id}
    return queries.fetch_all(sql, params)


# The roll-up (`services.rollup`): plain SQL, as it runs while the chain of goals is locked.

MAX_DEPTH = 1000  # alignment is acyclic; the bound only keeps a corrupt loop from running forever


@cache
def _locked_chain_sql(vendor: str) -> str:
    goals = _q(_GOAL)
    # MIN(depth) keeps each goal once should the links ever loop.
    sql = f"""
WITH RECURSIVE chain(id, parent_id, depth) AS (
    SELECT id, parent_id, 0 FROM {goals} WHERE id = %(goal_id)s AND organization_id = %(organization_id)s
    UNION ALL
    SELECT g.id, g.parent_id, c.depth + 1 FROM {goals} g
    JOIN chain c ON g.id = c.parent_id
    WHERE g.organization_id = %(organization_id)s AND c.depth < {MAX_DEPTH}
)
SELECT {columns(Goal, "g")} FROM {goals} g
JOIN (SELECT id, MIN(depth) AS depth FROM chain GROUP BY id) c ON g.id = c.id
ORDER BY c.depth"""
    if connection.features.has_select_for_update_of:
        sql += " FOR UPDATE OF g"
    elif connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    return sql


def locked_chain(*, organization_id: int, goal_id: int) -> list[Goal]:
    """The goal and the goals above it, bottom up, locked (SQLite: the transaction holds the write lock)."""
    read, _ = row_reader(Goal)
    rows = queries.fetch_all(
        _locked_chain_sql(connection.vendor), {"organization_id": organization_id, "goal_id": goal_id}
    )
    return [read(row) for row in rows]


def rows_below(*, organization_id: int, goal_ids: list[int]) -> list[tuple]:
    """(0, goal id, None, progress, weight, confidence, last check-in) of the key results of `goal_ids`
    and (1, parent id, id, ...) of their child goals, in one query."""
    ids = among(connection.vendor).replace("%s", "%(goal_ids)s")
    sql = f"""
SELECT 0, goal_id, NULL, progress, weight, confidence, last_check_in_at FROM {_q(_KR)}
WHERE organization_id = %(organization_id)s AND goal_id {ids}
UNION ALL
SELECT 1, parent_id, id, progress, weight, confidence, last_check_in_at FROM {_q(_GOAL)}
WHERE organization_id = %(organization_id)s AND parent_id {ids}"""
    read_moment = field_reader(Goal._meta.get_field("last_check_in_at"))
    rows = queries.fetch_all(sql, {"organization_id": organization_id, "goal_ids": values_param(goal_ids)})
    return [(*row[:6], read_moment(row[6])) for row in rows]


ROLLUP_FIELDS = ("progress", "confidence", "last_check_in_at")


def write_rollups(*, organization_id: int, goals: list[Goal]) -> None:
    """The changed roll-ups in one UPDATE: the statement `bulk_update` makes, without its expressions."""
    sets, params = [], {"organization_id": organization_id}
    for field in (Goal._meta.get_field(name) for name in ROLLUP_FIELDS):
        whens = []
        for n, goal in enumerate(goals):
            whens.append(f"WHEN %(id_{n})s THEN %({field.attname}_{n})s")
            params[f"id_{n}"] = goal.pk
            params[f"{field.attname}_{n}"] = field.get_db_prep_save(getattr(goal, field.attname), connection)
        case = f"CASE id {' '.join(whens)} END"
        if connection.features.requires_casted_case_in_updates:
            case = f"CAST({case} AS {field.cast_db_type(connection)})"
        sets.append(f"{_q(field.column)} = {case}")
    ids = ", ".join(f"%(id_{n})s" for n in range(len(goals)))
    where = f"organization_id = %(organization_id)s AND id IN ({ids})"
    sql = f"UPDATE {_q(_GOAL)} SET {', '.join(sets)} WHERE {where}"
    queries.execute(sql, params)


# The goal page's alignment.


@cache
def _links_select(vendor: str, fields: tuple[str, ...]):
    select, as_dict = plain_select(Goal, fields)
    return select.removeprefix("SELECT "), as_dict


def goal_links(
    *, organization_id: int, goal_id: int, parent_id: int | None, fields: tuple[str, ...]
) -> list[dict]:
    """Rows of `fields` (as `.values()` names them) with their "side": the goal's "children", the goals it
    "supports" and is "supported_by", and with `parent_id` the "ancestors" (the chain above it, itself
    included), by title; one UNION ALL, each part on its index."""
    columns_and_joins, as_dict = _links_select(connection.vendor, fields)
    link = Goal.supports.through._meta
    through, source, target = (
        _q(link.db_table),
        Goal.supports.field.m2m_column_name(),
        Goal.supports.field.m2m_reverse_name(),
    )
    sides = {
        "children": "m.parent_id = %(goal_id)s",
        "supports": f"m.id IN (SELECT {_q(target)} FROM {through} WHERE {_q(source)} = %(goal_id)s)",
        "supported_by": f"m.id IN (SELECT {_q(source)} FROM {through} WHERE {_q(target)} = %(goal_id)s)",
    }
    params = {"organization_id": organization_id, "goal_id": goal_id}
    if parent_id:
        sides["ancestors"], chain_params = chain_condition(organization_id, "m.id", parent_id)
        params.update(chain_params)
    title_at, id_at = fields.index("title") + 2, fields.index("id") + 2  # after the side, 1-based
    sql = (
        " UNION ALL ".join(
            f"SELECT '{side}', {columns_and_joins} WHERE m.organization_id = %(organization_id)s AND {where}"
            for side, where in sides.items()
        )
        + f" ORDER BY {title_at}, {id_at}"
    )
    rows = []
    for side, *values in queries.fetch_all(sql, params):
        row = as_dict(values)
        row["side"] = side
        rows.append(row)
    return rows
