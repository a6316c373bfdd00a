"""The sweeps' world gets a comment: written by the member (so the author's routes sweep for them too)."""

from charter.discussion.services import comment_add
from charter.organizations.models import Role


def add_to_world(world) -> None:
    comment = comment_add(
        actor=world.actors[Role.MEMBER],
        target_type="goal",
        target_id=world.ids["goal_id"],
        body=f"Looks right to me, @[Someone](user:{world.ids['user_id']}).",
    )
    world.ids["comment_id"] = comment.pk
