"""The sweeps' world gets the owner's calendar feed: its token names the feed's route."""

from ..services import feed_rotate


def add_to_world(world) -> None:
    _, token = feed_rotate(actor=world.owner)
    world.ids["feed_token"] = token
