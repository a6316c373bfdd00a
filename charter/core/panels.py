"""Panels: a page of a lower app shows parts that higher apps contribute, without importing them.

A higher app registers `func(request, obj) -> str | None` (rendered HTML, or None to show nothing) for a
named slot in its AppConfig.ready(); the lower app's template renders the slot with `{% panels "slot" obj %}`.
Slots in use: "goal.detail" (the goal page, below the key results; a panel registered with `tab="…"`
shows in that tab of the page, one without in the page's main column), "goal.badges" (beside each goal on the
strategy map), "home" (the home page's side column), "leadership.profile" (the leadership profile, below
its pickers) and "account" (the account page: cards of their own).

A slot rendered once per object of a page may also take a batch step, `func(request, objs)`, registered
with `register_prepare`: the page calls `prepare(slot, request, objs)` (or `{% prepare_panels %}`) with
every object it will show before rendering them, so a panel reads their data in one go instead of per
object. Pages that do not prepare still render the same panels.

A panel of a slot shown for one object (the goal page's "goal.detail") reads its data with the page's own
query of that object instead of a query of its own: it registers `func(request) -> {name: expression}` with
`register_read(slot)`, expressions correlated to the object's row by `OuterRef` (scalar subqueries, lists as
`core.jsonrows.JSONRows`). The page annotates its query of the object with `reads(slot, request)`, so each
value lands on the object as an attribute, and the panel takes its part with `part(request, obj, func)`,
which reads it in one query of its own when the page did not (another page, a test). A reader gives the same
names on every call, and its expressions depend on the actor's organization and person only (not the time,
nor a role): the goal page keeps its query, built with them, for the next requests of the same person
(`goals.selectors.goal_get`).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

_slots: dict[str, list[tuple[int, Callable]]] = defaultdict(list)
_preparers: dict[str, list[Callable]] = defaultdict(list)
_readers: dict[str, list[Callable]] = defaultdict(list)
_read_names: dict[Callable, tuple[str, ...]] = {}  # a reader's names, the same on every call
_tabs: dict[Callable, str] = {}  # the tab a panel shows in, on a page that shows its slot in tabs


def register(slot: str, order: int = 100, tab: str | None = None):
    def decorator(func: Callable) -> Callable:
        if tab:
            _tabs[func] = tab
        if all(f is not func for _, f in _slots[slot]):
            _slots[slot].append((order, func))
            _slots[slot].sort(key=lambda item: item[0])
        return func

    return decorator


def register_prepare(slot: str):
    def decorator(func: Callable) -> Callable:
        if all(f is not func for f in _preparers[slot]):
            _preparers[slot].append(func)
        return func

    return decorator


def register_read(slot: str):
    def decorator(func: Callable) -> Callable:
        if all(f is not func for f in _readers[slot]):
            _readers[slot].append(func)
        return func

    return decorator


def reads(slot: str, request) -> dict:
    """Every panel's expressions for the page's query of the slot's object (names must not collide)."""
    columns: dict = {}
    for func in _readers.get(slot, ()):
        read = func(request)
        _read_names[func] = tuple(read)
        for name, expression in read.items():
            if name in columns:
                raise ValueError(f"Slot {slot!r}: two panels read {name!r}")
            columns[name] = expression
    return columns


def readers(slot: str) -> tuple[Callable, ...]:
    """The slot's readers (a key for a query built from them)."""
    return tuple(_readers.get(slot, ()))


def part(request, obj, func: Callable) -> dict:
    """The values `func` (a panel's reader) gives for `obj`: the page's when it read them, else read now."""
    names = _read_names.get(func)
    if names is not None and all(hasattr(obj, name) for name in names):
        return {name: getattr(obj, name) for name in names}
    columns = func(request)
    rows = type(obj)._default_manager.all()
    if hasattr(rows, "for_org"):
        rows = rows.for_org(obj.organization_id)
    return rows.filter(pk=obj.pk).values(**columns).get()


def prepare(slot: str, request, objs: Iterable) -> None:
    """Let the slot's panels read what they need for all of `objs` at once (before rendering each)."""
    objs = list(objs)
    if objs:
        for func in _preparers.get(slot, ()):
            func(request, objs)


def render(slot: str, request, obj=None) -> list[str]:
    return [html for _, func in _slots.get(slot, ()) if (html := func(request, obj))]


def render_tabs(slot: str, request, obj=None) -> dict[str | None, list[str]]:
    """The slot's panels by the tab they registered for (None: no tab), tabs in the order of their first
    panel; a panel that shows nothing is left out, and so is a tab left empty."""
    tabs: dict[str | None, list[str]] = {}
    for _, func in _slots.get(slot, ()):
        if html := func(request, obj):
            tabs.setdefault(_tabs.get(func), []).append(html)
    return tabs
