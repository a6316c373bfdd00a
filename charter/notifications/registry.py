"""Where higher apps add a channel of their own (a chat app, say) to every notification `notify` records.

A channel is a function `channel(*, actor, event, notifications)` called inside the caller's transaction
with the rows just created; it decides which it delivers and should leave after commit
(`transaction.on_commit`) so a rolled-back change sends nothing. Registered in the app's `ready()`.
"""

from collections.abc import Callable

CHANNELS: dict[str, Callable] = {}


def register_channel(name: str, channel: Callable) -> None:
    """Add (or replace, on a second `ready()`) the channel called `name`."""
    CHANNELS[name] = channel


def deliver(*, actor, event: str, notifications: list) -> None:
    """Hand the new notifications to every registered channel."""
    if not notifications:
        return
    for channel in CHANNELS.values():
        channel(actor=actor, event=event, notifications=notifications)
