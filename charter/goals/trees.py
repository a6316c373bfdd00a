"""Reads of a cycle's goals as a forest (the API's alignment tree, the strategy map), as plain rows.

Each tree costs one query of goal columns and one of key result columns (plus one light query of links: a
team's subtree and the goals above it, or the whole cycle's for an outline): no model instances, the level,
intent and status by the same rules as the goal model's properties (`rows.goal_out`).
"""

from django.utils import timezone

from charter.core.actor import Actor

from . import queries
from .models import Goal, KeyResult
from .rows import GOAL_OUT_FIELDS, JOINED_FIELDS, KR_OUT_FIELDS, goal_out, status_of

# From this many goals in a cycle, the whole-cycle strategy map shows an outline: the goals of the first
# MAP_OUTLINE_DEPTH levels (the organization's and the top teams'), each deepest one with the number of goals
# below it and a link to its team's map. Thousands of cards help nobody and cost seconds to draw.
MAP_OUTLINE_ABOVE = 150
MAP_OUTLINE_DEPTH = 2

# What one map card shows (besides its key results' MAP_KR_FIELDS).
# The rows carry what goal lint's rules read as well (owner, the team's parent, the whole intent, the
# cycle's state, each key result's start, weight and owner), so the map's badges lint them as they are
# instead of reading the goals again (`lint.selectors.ROW_FIELDS`).
MAP_GOAL_FIELDS = (
    "id", "title", "cycle_id", "team_id", "parent_id", "purpose", "end_state", "constraints", "freedoms",
    "progress", "confidence", "last_check_in_at", "created_at", "team__name", "team__parent_id",
    "owner_id", "owner__full_name", "owner__email", "owner__kind",
    "cycle__starts_on", "cycle__ends_on", "cycle__state",
)  # fmt: skip
API_GOAL_FIELDS = (*GOAL_OUT_FIELDS, *JOINED_FIELDS)
GOAL_FIELD_SETS = (MAP_GOAL_FIELDS, API_GOAL_FIELDS)  # `_rows` reads goals for these, key results otherwise
MAP_KR_FIELDS = (
    "goal_id", "title", "kind", "unit", "start", "current", "target", "target_max", "weight", "progress",
    "owner_id",
)  # fmt: skip


class MapGoal(dict):
    """A map card's row, readable as attributes too (pk, cycle_id, title) by panels written for models."""

    def __getattr__(self, name):
        try:
            return self["id" if name == "pk" else name]
        except KeyError:
            raise AttributeError(name) from None


def alignment_tree(*, actor: Actor, cycle_id: int, team_id: int | None = None) -> list[dict]:
    """The cycle's goals as a forest of `{"goal": GoalOut row with "key_results", "children": [...]}`,
    parents before children, siblings by title. With `team_id`, only that team's subtree: goals of the
    team and everything below them. Goals whose parent lies in another cycle are roots here."""
    links = _subtree_links(actor, cycle_id, team_id) if team_id else []
    ids = _in_subtree(links) if team_id else None
    now, stale_days = timezone.now(), actor.organization.stale_days
    goals = [goal_out(row, now, stale_days) for row in _rows(actor, API_GOAL_FIELDS, cycle_id, ids)]
    _attach_key_results(actor, KR_OUT_FIELDS, cycle_id, ids, goals)
    return _forest(goals, links if team_id else None)


def map_tree(*, actor: Actor, cycle_id: int, team_id: int | None = None) -> list[dict]:
    """`alignment_tree` with what a strategy map card shows (MAP_GOAL_FIELDS, "status", "has_intent",
    "key_results" of MAP_KR_FIELDS) instead of the API's fields."""
    links = _subtree_links(actor, cycle_id, team_id) if team_id else []
    ids = _in_subtree(links) if team_id else None
    return _map_forest(actor, cycle_id, ids, links if team_id else None)


def map_outline(*, actor: Actor, cycle_id: int) -> dict:
    """The strategy map of a whole cycle: `tree` as `map_tree` gives it, or its outline when the cycle
    has more than MAP_OUTLINE_ABOVE goals (`outline` true; nodes at the last level carry `hidden`, the
    number of goals below them); `total` is the cycle's number of goals."""
    links = _cycle_links(actor, cycle_id)
    if len(links) <= MAP_OUTLINE_ABOVE:
        return {"tree": _map_forest(actor, cycle_id, None, None), "outline": False, "total": len(links)}
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
    tree = _map_forest(actor, cycle_id, sorted(shown), None, hidden)
    return {"tree": tree, "outline": True, "total": len(links)}


def _map_forest(actor, cycle_id, ids, links, hidden=None) -> list[dict]:
    now, stale_days = timezone.now(), actor.organization.stale_days

    def card(row):
        row = MapGoal(row)
        row["status"] = status_of(row, now, stale_days)
        row["has_intent"] = bool(row["purpose"].strip() and row["end_state"].strip())
        row["hidden"] = hidden.get(row["id"], 0) if hidden else 0
        return row

    goals = [card(row) for row in _rows(actor, MAP_GOAL_FIELDS, cycle_id, ids)]
    _attach_key_results(actor, MAP_KR_FIELDS, cycle_id, ids, goals)
    return _forest(goals, links)


def _attach_key_results(actor, fields, cycle_id: int, ids, goals: list[dict]) -> None:
    """Each goal's key results (rows of `fields`, by position) as its "key_results", from one query."""
    by_goal = {g["id"]: g.setdefault("key_results", []) for g in goals}
    if by_goal:
        for kr in _rows(actor, fields, cycle_id, ids):
            by_goal[kr["goal_id"]].append(kr)


def _rows(actor, fields: tuple[str, ...], cycle_id: int, ids) -> list[dict]:
    """Goal rows of `fields` (one of the goal field sets above, by title) or key result rows (a key
    result field set, by position) of the cycle, or of its goals `ids`, as `.values()` would read them."""
    model = Goal if fields in GOAL_FIELD_SETS else KeyResult
    return queries.tree_rows(
        organization_id=actor.organization_id, model=model, fields=fields, cycle_id=cycle_id, ids=ids
    )


def _forest(goals: list[dict], links) -> list[dict]:
    """Nodes `{"goal", "children"}` nested by parent (siblings keep the rows' title order). With the
    cycle's `links` (a team's subtrees), the roots follow the whole cycle's walk order."""
    nodes = {g["id"]: {"goal": g, "children": []} for g in goals}
    roots = []
    for g in goals:
        parent = nodes.get(g["parent_id"])
        (parent["children"] if parent else roots).append(nodes[g["id"]])
    if links is not None:
        # Only the subtrees were loaded, so their roots are the forest's roots, in the same order as the
        # walk of the whole cycle's forest would give them (parents' order first, then their own).
        roots.sort(key=_walk_key(links))
    return roots


def _count_below(pk: int, children: dict) -> int:
    found, stack = set(), list(children.get(pk, ()))
    while stack:
        node = stack.pop()
        if node not in found and node != pk:
            found.add(node)
            stack.extend(children.get(node, ()))
    return len(found)


def _cycle_links(actor: Actor, cycle_id: int) -> list[tuple[int, int | None, int | None]]:
    """(id, parent id, team id) of the cycle's goals in title order: one light query, no models (plain
    SQL: integers need no converter, and the queryset cost more to compile than to run)."""
    return queries.cycle_links(organization_id=actor.organization_id, cycle_id=cycle_id)


def _subtree_links(actor: Actor, cycle_id: int, team_id: int) -> list[tuple[int, int | None, bool]]:
    """(id, parent id, in the subtree) in title order of the team's subtree in the cycle (the team's goals
    and every goal below them) and of the goals above it (to order its roots as the whole cycle's walk
    would): one recursive query that reads those goals only, not the whole cycle's."""
    return queries.subtree_links(organization_id=actor.organization_id, cycle_id=cycle_id, team_id=team_id)


def _in_subtree(links: list) -> list[int]:
    """Ids of the team's goals in the cycle and of every goal below them (the map's team filter)."""
    return sorted(pk for pk, _, inside in links if inside)


def _walk_key(links: list):
    """The sort key of a node that puts nodes in the order of a depth-first walk of the cycle's forest,
    siblings in title order (`alignment_tree`'s): the title ranks of its chain of parents in the cycle,
    top first, then its own. Only the chains of the nodes sorted are followed, not the whole forest."""
    rank = {pk: n for n, (pk, _, _) in enumerate(links)}  # the links come in title order
    parent_of = {pk: parent_id for pk, parent_id, _ in links}

    def key(node: dict) -> list[int]:
        chain, pk = [], node["goal"]["id"]
        while pk in rank and len(chain) <= len(rank):  # the bound stops a loop of parent links
            chain.append(rank[pk])
            pk = parent_of[pk]
        return chain[::-1]

    return key
