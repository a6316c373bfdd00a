"""The lessons for leaders: one per topic the source names (delegation, team dynamics, communication,
innovation facilitation), each ending in an exercise done on the leader's own organization. Pure data."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    key: str
    topic: str
    title: str
    summary: str
    exercise: str
    minutes: int


LESSONS: dict[str, Lesson] = {
    lesson.key: lesson
    for lesson in (
        Lesson(
            key="delegation",
            topic="Delegation",
            title="Delegate the outcome, keep the intent",
            summary="A team can only decide alone when it knows why a goal matters and what success looks "
            "like. Instructions make it wait for the next one.",
            exercise="Rewrite the intent of one of your goals until goal lint finds nothing on it.",
            minutes=15,
        ),
        Lesson(
            key="team-dynamics",
            topic="Team dynamics",
            title="Agree who decides, together",
            summary="Authority that a leader hands down is tested at the first hard decision; authority a "
            "team agreed to is used. Delegation poker makes the disagreement visible before it costs.",
            exercise="Run a delegation poker with your team and set a board level from it.",
            minutes=30,
        ),
        Lesson(
            key="communication",
            topic="Communication",
            title="Communicate through intent and back-briefs",
            summary="What a leader said is not what a team heard. A back-brief, the team's own words for "
            "the intent with its plan, concerns and needs, shows the gap while it is cheap to close.",
            exercise="Ask a team for a back-brief on one of your goals, then confirm it.",
            minutes=20,
        ),
        Lesson(
            key="innovation",
            topic="Innovation facilitation",
            title="Ask for ideas, then decide on every one",
            summary="People stop proposing when proposals vanish. Facilitating innovation is a promise: "
            "every idea gets a decision and a reason, soon.",
            exercise="Ask for ideas on one of your goals, then adopt or park each idea that comes in.",
            minutes=20,
        ),
    )
}
INTENT_FIELDS = ("purpose", "end_state", "constraints", "freedoms")
DECIDED_IDEA_STATUSES = ("adopted", "parked", "rejected")
