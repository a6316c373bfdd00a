"""Domain events: a lower app announces what happened; higher apps react, without an import upwards.

Handlers run synchronously inside the publisher's transaction, so what they write commits or rolls back
with the change that caused it. Subscribe in an AppConfig.ready().
"""

from collections import defaultdict
from collections.abc import Callable

_handlers: dict[str, list[Callable]] = defaultdict(list)


def subscribe(event: str):
    """Decorator: call the function with the event's keyword payload whenever `event` is published."""

    def decorator(handler: Callable) -> Callable:
        if handler not in _handlers[event]:
            _handlers[event].append(handler)
        return handler

    return decorator


def publish(event: str, **payload) -> None:
    for handler in list(_handlers.get(event, ())):
        handler(**payload)
