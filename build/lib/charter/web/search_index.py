"""What the search index covers: the owning apps' models registered with `charter.search` from the top layer.

Search sits low in the layers and imports no domain app; this module (loaded by WebConfig.ready) may.
"""

from django.urls import reverse

from charter.delegation.models import Decision
from charter.discussion.models import Comment
from charter.discussion.registry import get_target
from charter.goals.models import Goal, KeyResult
from charter.goals.selectors import cycle_list
from charter.ideas.models import Idea
from charter.mission.models import Mission
from charter.reviews.models import CycleReview
from charter.search.registry import register, register_choices


def _join(*parts) -> str:
    return "\n".join(p for p in parts if p)


def _mission_text(m) -> str:
    values = [f"{v.get('name', '')}: {v.get('meaning', '')}" for v in m.values or [] if isinstance(v, dict)]
    return _join(m.statement, m.vision, *values)


def _comment_url(c) -> str:
    try:
        return get_target(c.target_type).url(c.target_id)
    except Exception:  # a target type that is no longer registered: the comment has no page
        return ""


def register_all() -> None:
    register_choices("cycle", lambda actor: list(cycle_list(actor=actor).values_list("pk", "name")))
    register(
        "mission", Mission, title=lambda m: "Mission", text=_mission_text, url=lambda m: reverse("mission")
    )
    register(
        "goal",
        Goal,
        title=lambda g: g.title,
        text=lambda g: _join(g.purpose, g.end_state, g.constraints, g.freedoms, g.description),
        url=lambda g: reverse("goal_detail", args=[g.pk]),
        team_id=lambda g: g.team_id,
        cycle_id=lambda g: g.cycle_id,
    )
    register(
        "key_result",
        KeyResult,
        label="key result",
        title=lambda k: k.title,
        text=lambda k: f"Key result of the goal “{k.goal.title}”",
        url=lambda k: reverse("goal_detail", args=[k.goal_id]),
        team_id=lambda k: k.goal.team_id,
        cycle_id=lambda k: k.goal.cycle_id,
        queryset=lambda: KeyResult.objects.unscoped().select_related("goal"),
    )
    register(
        "decision",
        Decision,
        title=lambda d: d.title,
        text=lambda d: _join(d.context, d.options, d.decision, d.rationale, d.consequences),
        url=lambda d: reverse("decision_detail", args=[d.pk]),
        team_id=lambda d: d.team_id,
    )
    register(
        "idea",
        Idea,
        title=lambda i: i.title,
        text=lambda i: i.description,
        url=lambda i: reverse("idea_detail", args=[i.pk]),
    )
    register(
        "review",
        CycleReview,
        label="retrospective",
        title=lambda r: f"Retrospective of {r.team.name}, {r.cycle.name}",
        text=lambda r: _join(r.what_worked, r.what_did_not, r.what_we_change),
        url=lambda r: reverse("review_detail", args=[r.pk]),
        team_id=lambda r: r.team_id,
        cycle_id=lambda r: r.cycle_id,
        queryset=lambda: CycleReview.objects.unscoped().select_related("team", "cycle"),
    )
    register(
        "comment",
        Comment,
        title=lambda c: "" if c.deleted else f"Comment on a {c.target_type.replace('_', ' ')}",
        text=lambda c: "" if c.deleted else c.body,
        url=_comment_url,
    )
