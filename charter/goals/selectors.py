"""Reads of cycles, goals, key results and check-ins, scoped to the actor's organization."""

from functools import cache

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    TextField,
    Value,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.compiled import prepared_cursor, replay
from charter.core.errors import NotFound
from charter.core.jsonrows import JSONRows
from charter.core.rows import columns, plain_select, row_reader
from charter.mission.models import Mission
from charter.organizations.models import Organization, User

from .models import CheckIn, Cycle, Goal, KeyResult
from .rows import BY_SEVERITY, GOAL_OUT_FIELDS, JOINED_FIELDS, goal_out, severity_sql, status_of
from .trees import MAP_OUTLINE_ABOVE, alignment_tree, map_outline, map_tree  # noqa: F401 (the goals' reads)


def cycle_list(*, actor: Actor):
    return Cycle.objects.for_org(actor.organization)


@cache
def _mission_and_cycles_query(vendor: str):
    """The SQL and row readers of `mission_and_cycles`, built once per process (they depend on the
    database)."""
    q = connection.ops.quote_name
    m_cols, c_cols = columns(Mission, "m"), columns(Cycle, "c")
    sql = (
        f"SELECT {m_cols}, {c_cols} FROM {q(Organization._meta.db_table)} o"
        f" LEFT JOIN {q(Mission._meta.db_table)} m ON m.organization_id = o.id"
        f" LEFT JOIN {q(Cycle._meta.db_table)} c ON c.organization_id = o.id"
        " WHERE o.id = %s ORDER BY c.starts_on DESC"  # `Cycle.Meta.ordering`, as `cycle_list`
    )
    return sql, row_reader(Mission), row_reader(Cycle)


def mission_and_cycles(*, actor: Actor) -> tuple[Mission, list[Cycle]]:
    """The mission (an unsaved empty one when none was written, as `mission_get`) and the cycles, newest
    first as `cycle_list`, in one query: the mission is joined to every cycle row (one per organization)."""
    sql, (read_mission, n_mission), (read_cycle, _) = _mission_and_cycles_query(connection.vendor)
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, [actor.organization_id])
        rows = cursor.fetchall()
    found = rows and rows[0][0] is not None
    mission = read_mission(rows[0][:n_mission]) if found else Mission(organization=actor.organization)
    cycles = [read_cycle(row[n_mission:]) for row in rows if row[n_mission] is not None]
    return mission, cycles


def cycle_get(*, actor: Actor, cycle_id: int) -> Cycle:
    cycle = cycle_list(actor=actor).filter(pk=cycle_id).first()
    if cycle is None:
        raise NotFound("No such cycle.")
    return cycle


def cycle_current(*, actor: Actor, cycles: list[Cycle] | None = None) -> Cycle | None:
    """The active cycle that contains today, else the latest active one, else the latest one (of
    `cycles` when the caller has read them already)."""
    cycles = list(cycle_list(actor=actor)) if cycles is None else cycles
    today = timezone.localdate()
    active = [c for c in cycles if c.state == Cycle.State.ACTIVE]
    for cycle in active:
        if cycle.starts_on <= today <= cycle.ends_on:
            return cycle
    return (active or cycles or [None])[0]


def _goals(actor: Actor):
    return Goal.objects.for_org(actor.organization).select_related(
        "cycle", "team", "team__parent", "owner", "organization", "parent"
    )


def goal_list(
    *,
    actor: Actor,
    cycle_id: int | None = None,
    team_id: int | None = None,
    parent_id: int | None = None,
    owner_id: int | None = None,
    with_key_results: bool = False,
    ids: list[int] | None = None,
) -> list[Goal]:
    """Goals matching the filters (by status: `status_filter`, in the database)."""
    goals = goal_query(
        actor=actor, cycle_id=cycle_id, team_id=team_id, parent_id=parent_id, owner_id=owner_id
    )
    if ids is not None:
        goals = goals.filter(pk__in=ids)
    if with_key_results:
        goals = goals.prefetch_related(
            Prefetch("key_results", queryset=KeyResult.objects.select_related("owner"))
        )
    return list(goals)


def goal_query(
    *,
    actor: Actor,
    cycle_id: int | None = None,
    team_id: int | None = None,
    parent_id: int | None = None,
    owner_id: int | None = None,
):
    """The goals matching the filters that the database can apply, by title, as a lazy queryset: a page
    of it reads only that page (the API's list without a status filter)."""
    goals = _goals(actor)
    filters = {"cycle_id": cycle_id, "team_id": team_id, "parent_id": parent_id, "owner_id": owner_id}
    goals = goals.filter(**{k: v for k, v in filters.items() if v})
    return goals.order_by("title", "id")


# The goal list page shows this many goals a page.
GOAL_LIST_PAGE_SIZE = 50
GOAL_LIST_LAST_PAGE = 10**6  # a page number asked beyond this is read as this (then as the last page)


def status_filter(actor: Actor, cycles, status: str, cycle_id: int | None = None):
    """A filter on `Goal.status` computed by the database (`rows.severity_sql`): for the goals of
    `cycle_id` with that cycle's dates, else for every cycle of `cycles` (a CASE per cycle: the cycles
    of an organization are few), as an expression to `.alias()` and compare with the status's index."""
    now, stale_days, table = timezone.now(), actor.organization.stale_days, Goal._meta.db_table
    alias = connection.ops.quote_name(table)
    chosen = [c for c in cycles if c.pk == cycle_id] if cycle_id else list(cycles)
    whens, params = [], []
    for cycle in chosen:
        severity, severity_params = severity_sql(cycle, now, stale_days, alias)
        whens.append(f"WHEN {alias}.cycle_id = %s THEN ({severity})")
        params += [cycle.pk, *severity_params]
    sql = f"CASE {' '.join(whens)} END" if whens else "NULL"
    return RawSQL(sql, params, output_field=IntegerField()), BY_SEVERITY.index(status)


# What a row of the goal list page shows (`goals/_goal_rows.jinja`), read as `.values()` names them: the
# goal's columns its status needs, its parent's title, its team's name and its owner's name.
GOAL_LIST_FIELDS = (
    "id", "title", "cycle_id", "progress", "confidence", "last_check_in_at", "created_at",
    "parent__title", "team__name", "owner__full_name", "owner__email",
)  # fmt: skip


@cache
def _goal_list_select(vendor: str) -> tuple[str, str, object]:
    """The goal list's SELECT (GOAL_LIST_FIELDS, the page's total and each goal's number of key results)
    and its joins, built once per process (`plain_select`), with its row reader."""
    q = connection.ops.quote_name
    goals, key_results = q(Goal._meta.db_table), q(KeyResult._meta.db_table)
    select, as_dict = plain_select(Goal, GOAL_LIST_FIELDS)
    head, joins = select.split(f" FROM {goals} m", 1)
    head += f", p.total, (SELECT COUNT(*) FROM {key_results} k WHERE k.goal_id = m.id)"
    return head, joins, as_dict


def goal_list_page(
    *,
    actor: Actor,
    cycles: list[Cycle],
    page: int = 1,
    cycle_id: int | None = None,
    team_id: int | None = None,
    status: str | None = None,
    owner_id: int | None = None,
    per_page: int = GOAL_LIST_PAGE_SIZE,
) -> tuple[list[dict], int, int]:
    """One page of the goal list (ordered by title) as rows of GOAL_LIST_FIELDS with each goal's
    `status`, `key_result_count` and `cycle__name` (of `cycles`, the organization's), the number of
    matching goals and the page shown (`page` past the last one gives the last one). One query in plain
    SQL, no models: the page's ids and the total (a window count) from the goals alone, the status filter
    computed by the database, joined to what the rows show. A page past the end: one more to count, and
    the last page."""
    q = connection.ops.quote_name
    goals = q(Goal._meta.db_table)
    where, params = [f"{goals}.organization_id = %s"], [actor.organization_id]
    for column, value in (("cycle_id", cycle_id), ("team_id", team_id), ("owner_id", owner_id)):
        if value:
            where.append(f"{goals}.{q(column)} = %s")
            params.append(value)
    if status:
        severity, index = status_filter(actor, cycles, status, cycle_id)
        where.append(f"({severity.sql}) = %s")
        params += [*severity.params, index]
    where = " AND ".join(where)
    head, joins, as_dict = _goal_list_select(connection.vendor)
    sql = (
        f"{head} FROM (SELECT {goals}.id, COUNT(*) OVER () AS total FROM {goals} WHERE {where}"
        f" ORDER BY {goals}.title, {goals}.id LIMIT %s OFFSET %s) p"
        f" JOIN {goals} m ON m.id = p.id{joins} ORDER BY m.title, m.id"
    )
    page = min(max(page, 1), GOAL_LIST_LAST_PAGE)  # an offset the databases take
    # One cycle's page is planned once per connection (a generic plan: by index, 0.6 ms less at M); all
    # cycles' is planned each time, as its generic plan reads every goal (L: 90 ms instead of 40).
    cursor = prepared_cursor(connection) if cycle_id else connection.cursor()
    with cursor:
        cursor.execute(sql, [*params, per_page, (page - 1) * per_page])
        rows = cursor.fetchall()
        total = rows[0][-2] if rows else 0
        if not rows and page > 1:
            cursor.execute(f"SELECT COUNT(*) FROM {goals} WHERE {where}", params)
            total = cursor.fetchone()[0]
            page = max((total + per_page - 1) // per_page, 1)
            if total:
                cursor.execute(sql, [*params, per_page, (page - 1) * per_page])
                rows = cursor.fetchall()
    now, stale_days = timezone.now(), actor.organization.stale_days
    by_id = {cycle.pk: cycle for cycle in cycles}
    shown = []
    for row in rows:
        goal = as_dict(row[:-2])
        cycle = by_id[goal["cycle_id"]]
        goal["status"] = status_of(goal, now, stale_days, cycle)
        goal["key_result_count"] = row[-1]
        goal["cycle__name"] = cycle.name
        shown.append(goal)
    return shown, total, page


def goal_page(
    *,
    actor: Actor,
    offset: int,
    limit: int,
    cycle_id: int | None = None,
    team_id: int | None = None,
    status: str | None = None,
    parent_id: int | None = None,
    owner_id: int | None = None,
) -> tuple[list[dict], int]:
    """A page of the API's goal list as rows in `GoalOut`'s shape, and the number of matching goals, in
    one query: the total rides on each row as a window count (a page past the end counts apart). With
    `status`, which depends on today, the database computes each goal's status from its cycle's dates
    (`status_filter`; the organization's cycles read first, one more query), so it pages too."""
    goals = Goal.objects.for_org(actor.organization)
    filters = {"cycle_id": cycle_id, "team_id": team_id, "parent_id": parent_id, "owner_id": owner_id}
    goals = goals.filter(**{k: v for k, v in filters.items() if v}).order_by("title", "id")
    now, stale_days = timezone.now(), actor.organization.stale_days
    fields = (*GOAL_OUT_FIELDS, *JOINED_FIELDS)
    if status:
        severity, index = status_filter(actor, cycle_list(actor=actor), status, cycle_id)
        goals = goals.alias(severity=severity).filter(severity=index)
    page = list(goals.annotate(total=Window(Count("id"))).values(*fields, "total")[offset : offset + limit])
    total = page[0]["total"] if page else goals.count()
    return [goal_out(row, now, stale_days) for row in page], total


def goal_get(
    *,
    actor: Actor,
    goal_id: int,
    with_links: bool = True,
    with_mission: bool = False,
    with_check_ins: bool = False,
    reads: tuple | None = None,
) -> Goal:
    """The goal with its key results (and, `with_links`, its children and the goals it supports and is
    supported by, as the API's detail needs them; the goal page reads those as rows, `goal_links`).
    `with_mission`: the organization's mission statement as `mission_statement` ("" when none), in the
    same query (the goal page's chain of intent ends there). `with_check_ins`: its check-ins as plain rows in
    the same query too (`goal_check_ins` then reads none). `reads`: (key, func(actor) -> {name: expression}),
    more columns of the same query (the goal page's panels' reads, `core.panels.reads`), set on the goal as
    attributes; the query is then compiled once per process (`core.compiled.replay`), so they may depend on
    the actor's organization and person only."""

    def build(actor, goal_id):
        goals = _goal_query(actor, with_links, with_mission, with_check_ins)
        return goals.annotate(**reads[1](actor)) if reads else goals.filter(pk=goal_id)

    if reads:
        key = ("goal_get", with_links, with_mission, with_check_ins, reads[0])
        ids = {"organization_id": actor.organization_id, "user_id": actor.user_id, "goal_id": goal_id}
        goals = replay(key, lambda a, goal_id: build(a, goal_id).filter(pk=goal_id), **ids)
    else:
        goals = build(actor, goal_id)
    goal = next(iter(goals), None)
    if goal is None:
        raise NotFound("No such goal.")
    goal.organization = actor.organization
    return goal


def _goal_query(actor: Actor, with_links: bool, with_mission: bool, with_check_ins: bool):
    # The organization is the actor's (already read); the team's parent is needed only as `parent_id`.
    goals = (
        Goal.objects.for_org(actor.organization)
        .select_related("cycle", "team", "owner")
        .prefetch_related(Prefetch("key_results", queryset=KeyResult.objects.select_related("owner")))
    )
    if with_links:
        goals = goals.prefetch_related(
            Prefetch(
                "children", queryset=Goal.objects.select_related("team", "owner", "cycle", "organization")
            ),
            Prefetch("supports", queryset=Goal.objects.select_related("team")),
            Prefetch("supported_by", queryset=Goal.objects.select_related("team")),
        )
    if with_mission:
        first = Mission.objects.for_org(actor.organization).order_by("pk").values("statement")[:1]
        goals = goals.annotate(
            mission_statement=Coalesce(Subquery(first), Value(""), output_field=TextField())
        )
    if with_check_ins:
        goals = goals.annotate(check_in_rows=_check_in_rows(actor))
    return goals


CHECK_IN_LIMIT = 1000


def _check_in_rows(actor: Actor) -> JSONRows:
    """The check-ins of the goal of the outer query, newest first, with their authors' names, as rows."""
    check_ins = CheckIn.objects.for_org(actor.organization).filter(key_result__goal_id=OuterRef("pk"))
    return JSONRows(
        check_ins.order_by("-checked_at", "-id"),
        *("id", "key_result_id", "value", "confidence", "note", "checked_at", "is_late", "created_at"),
        author_id="author_id",
        author_full_name="author__full_name",
        author_email="author__email",
        author_kind="author__kind",
        limit=CHECK_IN_LIMIT,
    )


def goal_check_ins(*, actor: Actor, goal: Goal, limit: int = CHECK_IN_LIMIT) -> list[CheckIn]:
    """The goal's check-ins, newest first, with their authors; each one's key result is taken from the
    goal's (prefetched by `goal_get`) instead of joined again per row. Read by `goal_get(with_check_ins=True)`
    already when it was asked to (then unsaved instances with their authors' names)."""
    key_results = {kr.pk: kr for kr in goal.key_results.all()}
    rows = getattr(goal, "check_in_rows", None)
    if rows is not None:
        return [_check_in(actor, row, key_results) for row in rows[:limit]]
    check_ins = list(
        CheckIn.objects.for_org(actor.organization)
        .filter(key_result_id__in=list(key_results))
        .select_related("author")[:limit]
    )
    for check_in in check_ins:
        check_in.key_result = key_results[check_in.key_result_id]
    return check_ins


def _check_in(actor: Actor, row: dict, key_results: dict) -> CheckIn:
    row = dict(row)
    author = row.pop("author_id")
    names = {"full_name": row.pop("author_full_name"), "email": row.pop("author_email")}
    kind = row.pop("author_kind")
    check_in = CheckIn(organization_id=actor.organization.pk, **row)
    check_in.key_result = key_results[row["key_result_id"]]
    if author is not None:
        check_in.author = User(pk=author, **names)
        check_in.author.kind = kind
    return check_in


def goal_links(*, actor: Actor, goal: Goal) -> dict[str, list[dict]]:
    """The goal page's alignment as rows, in one query (a UNION ALL, each part on its index): the
    `ancestors` it contributes to (nearest first, with their intent), its `children` (with progress and
    status), the goals it `supports` and is `supported_by`; each with its team's name, by title. The query
    is compiled once per process (`core.compiled.replay`)."""
    ids = {"organization_id": actor.organization_id, "user_id": actor.user_id, "goal_id": goal.pk}
    if goal.parent_id:
        ids["parent_id"] = goal.parent_id
    rows = replay(("goal_links", bool(goal.parent_id)), _links_query, **ids)
    now, stale_days = timezone.now(), actor.organization.stale_days
    links = {"children": [], "supports": [], "supported_by": [], "ancestors": []}
    for row in rows:
        if row["side"] == "children":
            row["status"] = status_of(row, now, stale_days)
        links[row["side"]].append(row)
    links["ancestors"] = _chain({row["id"]: row for row in links["ancestors"]}, goal.parent_id)
    return links


def _links_query(actor, goal_id: int, parent_id: int | None = None):
    goals = Goal.objects.for_org(actor.organization)
    fields = ("id", "title", "team__name", "parent_id", *INTENT_FIELDS, *_STATUS_FIELDS, "side")
    sides = [("children", Q(parent_id=goal_id)), ("supports", Q(supported_by=goal_id))]
    sides.append(("supported_by", Q(supports=goal_id)))
    if parent_id:
        sides.append(("ancestors", _in_chain(actor, parent_id)))
    parts = [
        goals.filter(where).annotate(side=Value(side)).values(*fields).order_by() for side, where in sides
    ]
    return parts[0].union(*parts[1:], all=True).order_by("title", "id")


INTENT_FIELDS = ("purpose", "end_state", "constraints", "freedoms")
_STATUS_FIELDS = (
    "progress", "confidence", "last_check_in_at", "created_at", "cycle__starts_on", "cycle__ends_on",
)  # fmt: skip


def goal_ancestors(*, actor: Actor, goal: Goal) -> list[Goal]:
    """The chain of goals this one contributes to, nearest first, in one query (only the chain is read,
    not every goal of the organization)."""
    if not goal.parent_id:
        return []
    parents = (
        Goal.objects.for_org(actor.organization)
        .filter(pk__in=_chain_ids(actor, goal.parent_id))
        .only("id", "title", "parent_id", *INTENT_FIELDS, "team_id")
        .select_related("team")
    )
    return _chain({g.pk: g for g in parents}, goal.parent_id)


def _chain_ids(actor: Actor, *parent_ids: int) -> RawSQL:
    """Ids of `parent_ids` and the goals above them: a recursive subquery climbs the parent links; UNION
    stops it should the links ever loop."""
    table = connection.ops.quote_name(Goal._meta.db_table)
    marks = ", ".join(["%s"] * len(parent_ids))
    return RawSQL(
        f"WITH RECURSIVE chain(id, parent_id) AS ("
        f" SELECT id, parent_id FROM {table} WHERE id IN ({marks}) AND organization_id = %s"
        f" UNION SELECT g.id, g.parent_id FROM {table} g JOIN chain c ON g.id = c.parent_id"
        f" WHERE g.organization_id = %s"
        f") SELECT id FROM chain",
        (*parent_ids, actor.organization.pk, actor.organization.pk),
    )


def chain_condition(actor: Actor, column: str, *parent_ids: int) -> tuple[str, tuple]:
    """SQL saying that `column` (a goal id) is in the chains above `parent_ids` (themselves included),
    and its parameters. On PostgreSQL `column = ANY(ARRAY(chain))`: the planner then reads them by primary
    key (an IN estimated at ~100 rows made it scan every goal of the organization)."""
    chain = _chain_ids(actor, *parent_ids)
    if connection.vendor == "postgresql":
        return f"{column} = ANY(ARRAY({chain.sql}))", chain.params
    return f"{column} IN ({chain.sql})", chain.params


def _in_chain(actor: Actor, parent_id: int) -> RawSQL:
    """`chain_condition` for a queryset of goals."""
    table = connection.ops.quote_name(Goal._meta.db_table)
    return RawSQL(*chain_condition(actor, f"{table}.id", parent_id), output_field=BooleanField())


def _chain(by_id: dict, parent_id: int | None) -> list:
    """Walk up from `parent_id` through `by_id` (models or rows), nearest first; a loop stops the walk."""
    chain, node, seen = [], by_id.get(parent_id), set()
    while node is not None:
        pk = node["id"] if isinstance(node, dict) else node.pk
        if pk in seen:
            break
        chain.append(node)
        seen.add(pk)
        node = by_id.get(node["parent_id"] if isinstance(node, dict) else node.parent_id)
    return chain


def check_in_list(
    *, actor: Actor, goal_id: int | None = None, key_result_id: int | None = None, limit: int = 200
):
    check_ins = CheckIn.objects.for_org(actor.organization).select_related("author", "key_result")
    if goal_id:
        check_ins = check_ins.filter(key_result__goal_id=goal_id)
    if key_result_id:
        check_ins = check_ins.filter(key_result_id=key_result_id)
    return check_ins[:limit]


def key_result_get(*, actor: Actor, key_result_id: int) -> KeyResult:
    kr = (
        KeyResult.objects.for_org(actor.organization)
        .select_related("goal", "goal__cycle", "goal__team", "goal__organization", "owner")
        .filter(pk=key_result_id)
        .first()
    )
    if kr is None:
        raise NotFound("No such key result.")
    return kr


_CHECK_IN_ROW_FIELDS = (
    "organization_id", "goal_id", "title", "kind", "unit", "start", "target", "target_max", "current",
    "confidence", "progress", "last_check_in_at", "owner_id",
)  # fmt: skip


def my_key_results(*, actor: Actor, cycle_id: int | None = None) -> list[KeyResult]:
    """Key results the person is expected to check in on: owned by them, or of goals they own."""
    krs = (
        KeyResult.objects.for_org(actor.organization)
        .filter(Q(owner=actor.user) | Q(owner__isnull=True, goal__owner=actor.user))
        .exclude(goal__cycle__state="closed")
        .select_related("goal", "goal__cycle")
        # What the check-in page shows and its rows need (progress_of): the page reads dozens of rows.
        .only(*_CHECK_IN_ROW_FIELDS, "goal__title", "goal__cycle__name")
        .order_by("goal__title", "position", "id")
    )
    if cycle_id:
        krs = krs.filter(goal__cycle_id=cycle_id)
    return list(krs)


def key_result_check_ins(*, actor: Actor, key_result_id: int):
    """Check-ins of one key result, newest first; NotFound when the key result is not in the organization."""
    if not KeyResult.objects.for_org(actor.organization).filter(pk=key_result_id).exists():
        raise NotFound("No such key result.")
    check_ins = CheckIn.objects.for_org(actor.organization).filter(key_result_id=key_result_id)
    return check_ins.select_related("author")


def cycle_alignment(*, actor: Actor, cycle_id: int, team_id: int | None = None) -> dict:
    """A cycle with its alignment tree, as plain rows in `AlignmentOut`'s shape; NotFound when the cycle
    is not in the organization."""
    cycle = cycle_list(actor=actor).filter(pk=cycle_id).values("id", "name", "starts_on", "ends_on", "state")
    cycle = cycle.first()
    if cycle is None:
        raise NotFound("No such cycle.")
    return {"cycle": cycle, "goals": alignment_tree(actor=actor, cycle_id=cycle_id, team_id=team_id)}
