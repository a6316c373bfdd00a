"""What the search index covers: apps above search register their models here (search imports none)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Registration:
    """One searchable type: how to read its text, title, page, team and cycle from an object."""

    type: str
    model: type
    text: Callable
    title: Callable
    url: Callable
    team_id: Callable | None = None
    cycle_id: Callable | None = None
    queryset: Callable | None = None
    label: str = ""

    def objects(self):
        """All objects of the type, across organizations (system work: indexing, reindex)."""
        qs = self.queryset() if self.queryset else self.model.objects.unscoped()
        return qs

    def get(self, object_id: int):
        return self.objects().filter(pk=object_id).first()


_types: dict[str, Registration] = {}


def register(
    type: str,
    model,
    *,
    text: Callable,
    title: Callable,
    url: Callable,
    team_id: Callable | None = None,
    cycle_id: Callable | None = None,
    queryset: Callable | None = None,
    label: str = "",
) -> None:
    """Make `model` searchable as `type`; its writes then keep the index current (see `on_register`)."""
    reg = Registration(
        type, model, text, title, url, team_id, cycle_id, queryset, label or type.replace("_", " ")
    )
    _types[type] = reg
    for listener in _listeners:
        listener(reg)


# Who hears of each registration: the signals that keep the index current (connected in the app's
# `ready`). A listener, not an import of signals, because signals queue the tasks built on this module.
_listeners: list[Callable[[Registration], None]] = []


def on_register(listener: Callable[[Registration], None]) -> None:
    """Call `listener` with every registration, the ones made already and the ones to come."""
    _listeners.append(listener)
    for reg in registrations():
        listener(reg)


def get(type: str) -> Registration | None:
    return _types.get(type)


def types() -> list[str]:
    return sorted(_types)


def registrations() -> list[Registration]:
    return [_types[t] for t in types()]


def labels() -> dict[str, str]:
    return {t: _types[t].label for t in types()}


# Filter choices that need other apps' tables (cycles live above search): `source(actor) -> [(id, name)]`.
_choices: dict[str, Callable] = {}


def register_choices(name: str, source: Callable) -> None:
    _choices[name] = source


def choices(name: str, actor) -> list[tuple[int, str]]:
    source = _choices.get(name)
    return list(source(actor)) if source else []
