"""Reads of cycles, goals, key results and check-ins, scoped to the actor's organization."""

from django.db import connection
from django.db.models import Prefetch, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.errors import NotFound

from . import rules
from .models import CheckIn, Cycle, Goal, KeyResult


def cycle_list(*, actor: Actor):
    return Cycle.objects.for_org(actor.organization)


def cycle_get(*, actor: Actor, cycle_id: int) -> Cycle:
    cycle = cycle_list(actor=actor).filter(pk=cycle_id).first()
    if cycle is None:
        raise NotFound("No such cycle.")
    return cycle


def cycle_current(*, actor: Actor) -> Cycle | None:
    """The active cycle that contains today, else the latest active one, else the latest one."""
    cycles = list(cycle_list(actor=actor))
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
    status: str | None = None,
    parent_id: int | None = None,
    owner_id: int | None = None,
    with_key_results: bool = False,
    ids: list[int] | None = None,
) -> list[Goal]:
    """Goals matching the filters. Status depends on time, so that filter runs after the query."""
    goals = goal_query(
        actor=actor, cycle_id=cycle_id, team_id=team_id, parent_id=parent_id, owner_id=owner_id
    )
    if ids is not None:
        goals = goals.filter(pk__in=ids)
    if with_key_results:
        goals = goals.prefetch_related(
            Prefetch("key_results", queryset=KeyResult.objects.select_related("owner"))
        )
    result = list(goals)
    if status:
        result = [g for g in result if g.status == status]
    return result


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


_ROW_FIELDS = (
    "id", "title", "description", "cycle_id", "team_id", "owner_id", "parent_id", "purpose", "end_state",
    "constraints", "freedoms", "weight", "progress", "confidence", "last_check_in_at", "version",
    "created_at", "updated_at",
)  # fmt: skip


class GoalRows:
    """A goal query read as plain rows (the API's goal list): a page reads one query of columns, with
    the level, intent and status each goal's model would give, without building model instances."""

    def __init__(self, queryset, organization):
        self._queryset = queryset
        self._organization = organization

    def all(self):  # the paginator counts through `.all().count()`, as on a queryset
        return self

    def count(self) -> int:
        return self._queryset.count()

    def __getitem__(self, window: slice) -> list[dict]:
        rows = self._queryset.values(*_ROW_FIELDS, "team__parent_id", "cycle__starts_on", "cycle__ends_on")[
            window
        ]
        now, stale_days = timezone.now(), self._organization.stale_days
        return [_goal_row(row, now, stale_days) for row in rows]


def _goal_row(row: dict, now, stale_days: int) -> dict:
    """The fields of `GoalOut` from one row, by the same rules as the model's properties."""
    team_parent_id = row.pop("team__parent_id")
    starts_on, ends_on = row.pop("cycle__starts_on"), row.pop("cycle__ends_on")
    row["has_intent"] = bool(row["purpose"].strip() and row["end_state"].strip())
    row["level"] = "strategic" if row["team_id"] is None or team_parent_id is None else "team"
    row["status"] = rules.status(
        rules.StatusInputs(
            progress=row["progress"],
            starts_on=starts_on,
            ends_on=ends_on,
            confidence=row["confidence"],
            last_check_in_at=row["last_check_in_at"],
            created_at=row["created_at"],
            now=now,
            stale_days=stale_days,
        )
    )
    return row


def goal_rows(
    *,
    actor: Actor,
    cycle_id: int | None = None,
    team_id: int | None = None,
    parent_id: int | None = None,
    owner_id: int | None = None,
) -> GoalRows:
    """`goal_query` as rows for a page of the API's goal list (no status filter)."""
    goals = Goal.objects.for_org(actor.organization)
    filters = {"cycle_id": cycle_id, "team_id": team_id, "parent_id": parent_id, "owner_id": owner_id}
    goals = goals.filter(**{k: v for k, v in filters.items() if v}).order_by("title", "id")
    return GoalRows(goals, actor.organization)


def goal_get(*, actor: Actor, goal_id: int) -> Goal:
    goal = (
        _goals(actor)
        .prefetch_related(
            Prefetch("key_results", queryset=KeyResult.objects.select_related("owner")),
            Prefetch(
                "children", queryset=Goal.objects.select_related("team", "owner", "cycle", "organization")
            ),
            Prefetch("supports", queryset=Goal.objects.select_related("team")),
            Prefetch("supported_by", queryset=Goal.objects.select_related("team")),
        )
        .filter(pk=goal_id)
        .first()
    )
    if goal is None:
        raise NotFound("No such goal.")
    return goal


def goal_ancestors(*, actor: Actor, goal: Goal) -> list[Goal]:
    """The chain of goals this one contributes to, nearest first, in one query.

    A recursive subquery climbs the parent links, so only the chain is read (not every goal of the
    organization); UNION stops it should the links ever loop.
    """
    table = connection.ops.quote_name(Goal._meta.db_table)
    chain_ids = RawSQL(
        f"WITH RECURSIVE chain(id, parent_id) AS ("
        f" SELECT id, parent_id FROM {table} WHERE id = %s AND organization_id = %s"
        f" UNION SELECT g.id, g.parent_id FROM {table} g JOIN chain c ON g.id = c.parent_id"
        f" WHERE g.organization_id = %s"
        f") SELECT id FROM chain",
        (goal.parent_id, actor.organization.pk, actor.organization.pk),
    )
    parents = (
        {
            g.pk: g
            for g in Goal.objects.for_org(actor.organization)
            .filter(pk__in=chain_ids)
            .only("id", "title", "parent_id", "purpose", "end_state", "constraints", "freedoms", "team_id")
            .select_related("team")
        }
        if goal.parent_id
        else {}
    )
    chain, node, seen = [], parents.get(goal.parent_id), set()
    while node is not None and node.pk not in seen:
        chain.append(node)
        seen.add(node.pk)
        node = parents.get(node.parent_id)
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


def my_key_results(*, actor: Actor, cycle_id: int | None = None) -> list[KeyResult]:
    """Key results the person is expected to check in on: owned by them, or of goals they own."""
    krs = (
        KeyResult.objects.for_org(actor.organization)
        .filter(Q(owner=actor.user) | Q(owner__isnull=True, goal__owner=actor.user))
        .exclude(goal__cycle__state="closed")
        .select_related("goal", "goal__cycle", "goal__team", "goal__organization", "owner")
        .order_by("goal__title", "position", "id")
    )
    if cycle_id:
        krs = krs.filter(goal__cycle_id=cycle_id)
    return list(krs)


def alignment_tree(*, actor: Actor, cycle_id: int, team_id: int | None = None) -> list[dict]:
    """The cycle's goals as a forest (parents before children), with key results, in two queries (three
    with a team: the light query of the cycle's links finds the subtree, and only it is loaded).

    With `team_id`, only that team's subtree of goals: goals of the team and everything below them.
    Goals whose parent lies in another cycle are roots here.
    """
    links = _cycle_links(actor, cycle_id) if team_id else []
    ids = _team_subtree_ids(links, team_id) if team_id else None
    goals = goal_list(actor=actor, cycle_id=cycle_id, with_key_results=True, ids=ids)
    nodes = {g.pk: {"goal": g, "children": []} for g in goals}
    roots = []
    for g in goals:
        (nodes[g.parent_id]["children"] if g.parent_id in nodes else roots).append(nodes[g.pk])
    if team_id:
        # Only the subtrees were loaded, so their roots are the forest's roots, in the same order as the
        # walk of the whole cycle's forest would give them (parents' order first, then their own).
        rank = {pk: n for n, pk in enumerate(_walk_order(links))}
        roots.sort(key=lambda n: rank[n["goal"].pk])
    return roots


# From this many goals in a cycle, the whole-cycle strategy map shows an outline: the goals of the first
# MAP_OUTLINE_DEPTH levels (the organization's and the top teams'), each deepest one with the number of goals
# below it and a link to its team's map. Thousands of cards help nobody and cost seconds to draw.
MAP_OUTLINE_ABOVE = 150
MAP_OUTLINE_DEPTH = 2


def map_outline(*, actor: Actor, cycle_id: int) -> dict:
    """The strategy map of a whole cycle: `tree` as `alignment_tree` gives it, or its outline when the cycle
    has more than MAP_OUTLINE_ABOVE goals (`outline` true; nodes at the last level carry `hidden`, the
    number of goals below them); `total` is the cycle's number of goals."""
    links = _cycle_links(actor, cycle_id)
    if len(links) <= MAP_OUTLINE_ABOVE:
        return {"tree": alignment_tree(actor=actor, cycle_id=cycle_id), "outline": False, "total": len(links)}
    ids = {pk for pk, _, _ in links}
    children: dict[int | None, list[int]] = {}
    for pk, parent_id, _ in links:
        children.setdefault(parent_id if parent_id in ids else None, []).append(pk)
    shown, hidden, seen = [], {}, set()
    stack = [(pk, 0) for pk in children.get(None, [])]
    while stack:
        pk, depth = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        shown.append(pk)
        if depth + 1 < MAP_OUTLINE_DEPTH:
            stack.extend((child, depth + 1) for child in children.get(pk, []))
        else:
            hidden[pk] = _count_below(pk, children)
    goals = goal_list(actor=actor, cycle_id=cycle_id, with_key_results=True, ids=sorted(shown))
    nodes = {g.pk: {"goal": g, "children": [], "hidden": hidden.get(g.pk, 0)} for g in goals}
    roots = []
    for g in goals:
        (nodes[g.parent_id]["children"] if g.parent_id in nodes else roots).append(nodes[g.pk])
    return {"tree": roots, "outline": True, "total": len(links)}


def _count_below(pk: int, children: dict) -> int:
    found, stack = set(), list(children.get(pk, ()))
    while stack:
        node = stack.pop()
        if node not in found and node != pk:
            found.add(node)
            stack.extend(children.get(node, ()))
    return len(found)


def _cycle_links(actor: Actor, cycle_id: int) -> list[tuple[int, int | None, int | None]]:
    """(id, parent id, team id) of the cycle's goals in title order: one light query, no models."""
    goals = Goal.objects.for_org(actor.organization).filter(cycle_id=cycle_id).order_by("title", "id")
    return list(goals.values_list("id", "parent_id", "team_id"))


def _team_subtree_ids(links: list, team_id: int) -> list[int]:
    """Ids of the team's goals in the cycle and of every goal below them (the map's team filter)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id, _ in links:
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), [pk for pk, _, team in links if team == team_id]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, ()))
    return sorted(found)


def _walk_order(links: list) -> list[int]:
    """The cycle's goal ids depth first, siblings in title order: the order of `alignment_tree`."""
    ids = {pk for pk, _, _ in links}
    children: dict[int | None, list[int]] = {}
    for pk, parent_id, _ in links:
        children.setdefault(parent_id if parent_id in ids else None, []).append(pk)
    order, stack = [], list(reversed(children.get(None, [])))
    while stack:
        pk = stack.pop()
        order.append(pk)
        stack.extend(reversed(children.get(pk, [])))
    return order


def key_result_check_ins(*, actor: Actor, key_result_id: int):
    """Check-ins of one key result, newest first; NotFound when the key result is not in the organization."""
    if not KeyResult.objects.for_org(actor.organization).filter(pk=key_result_id).exists():
        raise NotFound("No such key result.")
    check_ins = CheckIn.objects.for_org(actor.organization).filter(key_result_id=key_result_id)
    return check_ins.select_related("author")


def cycle_alignment(*, actor: Actor, cycle_id: int, team_id: int | None = None) -> dict:
    """A cycle with its alignment tree; NotFound when the cycle is not in the organization."""
    cycle = cycle_get(actor=actor, cycle_id=cycle_id)
    return {"cycle": cycle, "goals": alignment_tree(actor=actor, cycle_id=cycle.pk, team_id=team_id)}
