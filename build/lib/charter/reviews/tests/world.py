"""The sweeps' world gets one cycle review: the team's retrospective and a grade of its goal."""

from charter.reviews.services import goal_grade, review_write


def add_to_world(world) -> None:
    owner = world.owner
    review = review_write(
        actor=owner,
        cycle_id=world.ids["cycle_id"],
        team_id=world.ids["team_id"],
        what_worked="Weekly check-ins.",
        what_did_not="Late key results.",
        what_we_change="Set key results in week one.",
    )
    goal_grade(actor=owner, goal_id=world.ids["goal_id"], grade=0.6)
    world.ids["review_id"] = review.pk
