"""Panels: a page of a lower app shows parts that higher apps contribute, without importing them.

A higher app registers `func(request, obj) -> str | None` (rendered HTML, or None to show nothing) for a
named slot in its AppConfig.ready(); the lower app's template renders the slot with `{% panels "slot" obj %}`.
Slots in use: "goal.detail" (the goal page, below the key results), "goal.badges" (beside each goal on the
strategy map) and "home" (the home page's side column).
"""

from collections import defaultdict
from collections.abc import Callable

_slots: dict[str, list[tuple[int, Callable]]] = defaultdict(list)


def register(slot: str, order: int = 100):
    def decorator(func: Callable) -> Callable:
        if all(f is not func for _, f in _slots[slot]):
            _slots[slot].append((order, func))
            _slots[slot].sort(key=lambda item: item[0])
        return func

    return decorator


def render(slot: str, request, obj=None) -> list[str]:
    return [html for _, func in _slots.get(slot, ()) if (html := func(request, obj))]
