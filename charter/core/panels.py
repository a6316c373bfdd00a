"""Panels: a page of a lower app shows parts that higher apps contribute, without importing them.

A higher app registers `func(request, obj) -> str | None` (rendered HTML, or None to show nothing) for a
named slot in its AppConfig.ready(); the lower app's template renders the slot with `{% panels "slot" obj %}`.
Slots in use: "goal.detail" (the goal page, below the key results), "goal.badges" (beside each goal on the
strategy map) and "home" (the home page's side column).

A slot rendered once per object of a page may also take a batch step, `func(request, objs)`, registered
with `register_prepare`: the page calls `prepare(slot, request, objs)` (or `{% prepare_panels %}`) with
every object it will show before rendering them, so a panel reads their data in one go instead of per
object. Pages that do not prepare still render the same panels.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

_slots: dict[str, list[tuple[int, Callable]]] = defaultdict(list)
_preparers: dict[str, list[Callable]] = defaultdict(list)


def register(slot: str, order: int = 100):
    def decorator(func: Callable) -> Callable:
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


def prepare(slot: str, request, objs: Iterable) -> None:
    """Let the slot's panels read what they need for all of `objs` at once (before rendering each)."""
    objs = list(objs)
    if objs:
        for func in _preparers.get(slot, ()):
            func(request, objs)


def render(slot: str, request, obj=None) -> list[str]:
    return [html for _, func in _slots.get(slot, ()) if (html := func(request, obj))]
