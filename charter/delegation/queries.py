"""The delegation app's hand-written SQL, through `core.queries` (named parameters, the organization filter
required): the decision log's rows and the goal filter's candidates. As querysets they cost more to compile,
and PostgreSQL more to plan, than to run."""

from collections.abc import Callable
from functools import cache

from django.db import connection

from charter.core import queries
from charter.core.rows import columns, field_reader, plain_select, row_reader
from charter.goals.models import Goal
from charter.organizations.models import Team

from .models import Decision

LOG_FIELDS = (
    "id", "title", "status", "level", "proposed_at", "decided_at", "needed_by", "team__name", "domain__name",
    "recorded_by__full_name", "recorded_by__email", "recorded_by__kind",
    "addressed_to__full_name", "addressed_to__email",
)  # fmt: skip

LOG_WHERE = {  # a filter of `log_rows`: its condition on the decisions table
    "team_id": "team_id = %(team_id)s",
    "domain_id": "domain_id = %(domain_id)s",
    "status": "status = %(status)s",
    "goal_id": "id IN (SELECT decision_id FROM {link} WHERE goal_id = %(goal_id)s)",
    "date_from": "proposed_at >= %(date_from)s",
    "date_to": "proposed_at < %(date_to)s",
    "addressed_to_id": "addressed_to_id = %(addressed_to_id)s",
}


@cache
def _log_query(vendor: str, filters: tuple[str, ...]) -> tuple[str, Callable]:
    """The newest decisions by id first (one sort of the decisions alone), then their names and people, and
    a row per linked goal with its title (by title)."""
    q = connection.ops.quote_name
    decision, link, goal = (q(m._meta.db_table) for m in (Decision, Decision.goals.through, Goal))
    select, as_dict = plain_select(Decision, LOG_FIELDS)
    conditions = [LOG_WHERE[name].format(link=link) for name in filters]
    where = " AND ".join(["organization_id = %(organization_id)s", *conditions])
    sql = (
        f"SELECT g.title, {select.removeprefix('SELECT ')}"
        f" LEFT JOIN {link} l ON l.decision_id = m.id LEFT JOIN {goal} g ON g.id = l.goal_id"
        f" WHERE m.id IN (SELECT id FROM {decision} WHERE {where}"
        " ORDER BY proposed_at DESC, id DESC LIMIT %(limit)s)"
        " ORDER BY m.proposed_at DESC, m.id DESC, g.title, g.id"
    )
    return sql, as_dict


def log_rows(*, organization_id: int, limit: int, filters: dict) -> list[tuple[str | None, dict]]:
    """(linked goal's title or None, the decision as a dict of LOG_FIELDS) of the newest `limit` decisions
    matching `filters` (names of LOG_WHERE, each with its database value), newest first."""
    sql, as_dict = _log_query(connection.vendor, tuple(filters))
    params = {**filters, "organization_id": organization_id, "limit": limit}
    return [(title, as_dict(values)) for title, *values in queries.fetch_all(sql, params)]


@cache
def _goal_picker_query(search: bool, shown: int) -> str:
    """Rows of `organizations.selectors.picker_of_rows`: id, title, NULL, the number of goals decisions
    are linked to, `picked` (0 the chosen goal, 1 a wanted one, 2 the first linked goal: read only to carry
    the number) and the place by title. It reads the links (a few per decision), and the titles of the
    goals it gives only (a search: of the linked goals)."""
    q = connection.ops.quote_name
    goal, decision, link = (q(m._meta.db_table) for m in (Goal, Decision, Decision.goals.through))
    if search:  # every linked goal while they are few; LIKE's wildcards in the search are escaped
        wanted = (
            f"SELECT k.id FROM linked k JOIN {goal} t ON t.id = k.id"
            f" WHERE (SELECT COUNT(*) FROM linked) <= {shown}"
            " OR UPPER(t.title) LIKE UPPER(%(like)s) ESCAPE '\\'"
        )
    else:  # the goals decided about last (every linked goal while they are few)
        wanted = f"SELECT id FROM linked ORDER BY newest DESC, id DESC LIMIT {shown}"
    return (
        "WITH linked AS (SELECT l.goal_id AS id, MAX(d.proposed_at) AS newest"
        f" FROM {link} l JOIN {decision} d ON d.id = l.decision_id"
        " WHERE d.organization_id = %(organization_id)s GROUP BY l.goal_id),"
        f" wanted AS ({wanted})"
        " SELECT g.id, g.title, NULL, c.n,"
        " CASE WHEN g.id = %(chosen)s THEN 0 WHEN g.id IN (SELECT id FROM wanted) THEN 1 ELSE 2 END"
        " AS picked,"
        " ROW_NUMBER() OVER (ORDER BY g.title, g.id)"
        f" FROM {goal} g CROSS JOIN (SELECT COUNT(*) AS n FROM linked) c"
        " WHERE g.organization_id = %(organization_id)s"
        " AND g.id IN (SELECT id FROM wanted UNION ALL SELECT %(chosen)s"
        " UNION ALL SELECT MIN(id) FROM linked)"
        " ORDER BY picked, g.title, g.id LIMIT %(limit)s"
    )


def goal_picker_rows(*, organization_id: int, chosen: int, q: str, shown: int) -> list[tuple]:
    """The goal filter's rows: the chosen goal, the linked goals whose title contains `q` (else those of the
    newest decisions; every linked goal when at most `shown`), at most `shown` + 1."""
    params = {"organization_id": organization_id, "chosen": chosen, "limit": shown + 1}
    if q:
        params["like"] = f"%{connection.ops.prep_for_like_query(q)}%"
    return queries.fetch_all(_goal_picker_query(bool(q), shown), params)


@cache
def _waiting_for_home(vendor: str):
    q = connection.ops.quote_name
    decision, team = q(Decision._meta.db_table), q(Team._meta.db_table)
    sql = (
        f"SELECT {columns(Decision, 'd')}, {columns(Team, 't')} FROM {decision} d"
        f" JOIN {team} t ON t.id = d.team_id"
        " WHERE d.organization_id = %(organization_id)s AND d.addressed_to_id = %(user_id)s"
        " AND d.status IN (%(proposed)s, %(escalated)s) AND d.awaiting <> ''"
        " ORDER BY d.proposed_at, d.id LIMIT %(limit)s"
    )
    return sql, row_reader(Decision), row_reader(Team)


def waiting_for_home(*, organization_id: int, user_id: int, statuses: tuple[str, str], limit: int):
    """The open records addressed to the person (`selectors.waiting_for`'s condition, `statuses` being
    proposed and escalated), oldest first, each with its team."""
    sql, (read_decision, width), (read_team, _) = _waiting_for_home(connection.vendor)
    params = {"organization_id": organization_id, "user_id": user_id, "limit": limit}
    params["proposed"], params["escalated"] = statuses
    decisions = []
    for row in queries.fetch_all(sql, params):
        decision = read_decision(row[:width])
        decision.team = read_team(row[width:])
        decisions.append(decision)
    return decisions


ADVICE_FIELDS = (
    "id", "team_id", "domain_id", "level", "relation", "status", "awaiting", "proposed_at", "decided_at",
    "advised_at", "escalated", "escalated_at", "decided_by_id", "advised_by_id", "recorded_by_id",
    "addressed_to_id",
)  # fmt: skip


@cache
def _advice_query(vendor: str) -> tuple[str, list]:
    """Per team, domain and level its newest `window` records, plus every record since `since` and every
    open one; each with the relation of the record that superseded it (the first decided one)."""
    q = connection.ops.quote_name
    decision = q(Decision._meta.db_table)
    fields = [
        Decision._meta.get_field(name.removesuffix("_id") if name != "id" else name) for name in ADVICE_FIELDS
    ]
    cols = ", ".join(f"d.{q(f.column)}" for f in fields)
    sql = (
        f"SELECT * FROM (SELECT {cols},"
        f" (SELECT s.relation FROM {decision} s WHERE s.supersedes_id = d.id AND s.decided_at IS NOT NULL"
        "  AND s.organization_id = %(organization_id)s ORDER BY s.decided_at, s.id LIMIT 1) AS superseded_by,"
        " ROW_NUMBER() OVER (PARTITION BY d.team_id, d.domain_id, d.level"
        " ORDER BY d.proposed_at DESC, d.id DESC) AS place"
        f" FROM {decision} d WHERE d.organization_id = %(organization_id)s) x"
        " WHERE x.place <= %(window)s OR x.proposed_at >= %(since)s"
        " OR x.status IN (%(proposed)s, %(escalated)s)"
        " ORDER BY x.proposed_at, x.id"
    )
    return sql, [field_reader(f) for f in fields]


def advice_rows(*, organization_id: int, window: int, since, statuses: tuple[str, str]) -> list[dict]:
    """The records the advice rules read (`rules.record_fact`'s rows): each cell's newest `window` per
    level, every record proposed since `since`, every open one (`statuses`: proposed, escalated)."""
    sql, readers = _advice_query(connection.vendor)
    params = {"organization_id": organization_id, "window": window, "since": since}
    params["proposed"], params["escalated"] = statuses
    rows = []
    for values in queries.fetch_all(sql, params):
        row = {name: read(v) for name, read, v in zip(ADVICE_FIELDS, readers, values, strict=False)}
        row["superseded_by"] = values[len(ADVICE_FIELDS)]
        rows.append(row)
    return rows
