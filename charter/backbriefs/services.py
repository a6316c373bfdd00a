"""Every write on back-briefs: requested when a goal is given to a team, submitted, confirmed, clarified."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.audit import audit
from charter.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationError
from charter.notifications.services import notify
from charter.organizations.models import TeamMembership

from . import rules
from .models import BackBrief, BackBriefEvent

State = BackBrief.State


def who(actor: Actor) -> rules.Who:
    return rules.Who(actor.user_id, actor.role, actor.team_ids, actor.lead_team_ids)


def may_submit(actor: Actor, back_brief: BackBrief) -> bool:
    return actor.can("back_brief.submit") and rules.may_submit(who(actor), back_brief.team_id)


def may_review(actor: Actor, back_brief: BackBrief) -> bool:
    return actor.can("back_brief.review") and rules.may_review(
        who(actor), back_brief.team_id, back_brief.goal.owner_id, back_brief.submitted_by_id
    )


def _goal_url(back_brief: BackBrief) -> str:
    return reverse("goal_detail", args=[back_brief.goal_id]) + "#back-brief"


def _record(actor: Actor, back_brief: BackBrief, before: str, note: str = "", snapshot=None) -> None:
    BackBriefEvent.objects.create(
        organization_id=actor.organization_id,
        back_brief=back_brief,
        actor_id=actor.user_id,
        from_state=before,
        to_state=back_brief.state,
        note=note,
        snapshot=snapshot or {},
        created_at=timezone.now(),
    )


def _team_people(actor: Actor, team_id: int) -> tuple[list[int], list[int]]:
    """(leads, members) of a team."""
    rows = TeamMembership.objects.for_org(actor.organization).filter(team_id=team_id)
    pairs = list(rows.values_list("user_id", "is_lead"))
    return [u for u, lead in pairs if lead], [u for u, _ in pairs]


# ---- requested: when a goal is given to a team from outside ----------------------------------------


def back_brief_request(*, actor: Actor, goal, team_id: int) -> BackBrief | None:
    """Ask `team_id` for a back-brief on `goal`, unless one is already open; notify its leads."""
    open_ = BackBrief.objects.for_org(actor.organization).filter(goal=goal, team_id=team_id)
    if open_.filter(state__in=BackBrief.OPEN_STATES).exists():
        return None
    back_brief = BackBrief.objects.create(
        organization_id=actor.organization_id,
        goal=goal,
        team_id=team_id,
        requested_by_id=actor.user_id,
        requested_at=timezone.now(),
    )
    _record(actor, back_brief, "")
    audit(actor, "back_brief.request", back_brief, {"goal_id": goal.pk, "team_id": team_id})
    leads, members = _team_people(actor, team_id)
    notify(
        actor=actor,
        event="back_brief.requested",
        recipient_ids=leads or members,
        title=f"Back-brief asked: restate the intent of “{goal.title}”",
        url=_goal_url(back_brief),
        object_type="back_brief",
        object_id=back_brief.pk,
        body="Say in your team's words why the goal matters, how you plan to reach it, what worries you "
        "and what you need.",
    )
    return back_brief


def back_brief_withdraw_open(*, actor: Actor, goal, team_id: int) -> None:
    """The goal left `team_id`: its open back-brief is withdrawn (kept, no longer waited for)."""
    rows = BackBrief.objects.for_org(actor.organization).filter(
        goal=goal, team_id=team_id, state__in=BackBrief.OPEN_STATES
    )
    for back_brief in rows.select_for_update():
        before, back_brief.state = back_brief.state, State.WITHDRAWN
        back_brief.version += 1
        back_brief.save(update_fields=["state", "version"])
        _record(actor, back_brief, before, note="The goal moved to another team.")
        audit(actor, "back_brief.withdraw", back_brief, {"state": [before, back_brief.state]})


def on_goal_created(*, actor: Actor, goal, **_) -> None:
    if rules.needs_back_brief(goal.team_id, actor.team_ids):
        back_brief_request(actor=actor, goal=goal, team_id=goal.team_id)


def on_goal_updated(*, actor: Actor, goal, changes: dict, **_) -> None:
    if "team_id" not in changes:
        return
    old, new = changes["team_id"]
    if old:
        back_brief_withdraw_open(actor=actor, goal=goal, team_id=old)
    if rules.needs_back_brief(new, actor.team_ids):
        back_brief_request(actor=actor, goal=goal, team_id=new)


# ---- the team answers, the leader reviews ----------------------------------------------------------


def _locked(actor: Actor, back_brief_id: int) -> BackBrief:
    back_brief = (
        BackBrief.objects.for_org(actor.organization)
        .select_for_update(of=("self",))
        .select_related("goal", "team")
        .filter(pk=back_brief_id)
        .first()
    )
    if back_brief is None:
        raise NotFound("No such back-brief.")
    return back_brief


def _require_state(back_brief: BackBrief, states, doing: str) -> None:
    # The state is checked before the person: it is a fact everyone in the organization can see.
    if back_brief.state not in states:
        raise Conflict(f"This back-brief is {back_brief.get_state_display().lower()}; it cannot be {doing}.")


def back_brief_submit(
    *, actor: Actor, back_brief_id: int, intent: str, plan: str, concerns: str, needs: str
) -> BackBrief:
    """The team restates the intent with its plan, concerns and needs (again after a clarification)."""
    actor.require("back_brief.submit")
    texts = {"intent": intent, "plan": plan, "concerns": concerns, "needs": needs}
    errors = rules.text_errors(texts)
    if errors:
        raise ValidationError("The back-brief is not complete.", errors=errors)
    with transaction.atomic():
        back_brief = _locked(actor, back_brief_id)
        _require_state(back_brief, BackBrief.TO_WRITE_STATES, "submitted")
        if not may_submit(actor, back_brief):
            raise PermissionDenied(f"Only members of {back_brief.team.name} write its back-brief.")
        before = back_brief.state
        for name, value in texts.items():
            setattr(back_brief, name, value.strip())
        back_brief.state = State.SUBMITTED
        back_brief.submitted_by_id, back_brief.submitted_at = actor.user_id, timezone.now()
        back_brief.version += 1
        back_brief.save()
        _record(actor, back_brief, before, snapshot={k: v.strip() for k, v in texts.items()})
        audit(actor, "back_brief.submit", back_brief, {"state": [before, back_brief.state]})
        notify(
            actor=actor,
            event="back_brief.submitted",
            recipient_ids=[back_brief.goal.owner_id, back_brief.requested_by_id],
            title=f"{back_brief.team.name} restated “{back_brief.goal.title}”: confirm or ask",
            url=_goal_url(back_brief),
            object_type="back_brief",
            object_id=back_brief.pk,
            body=back_brief.intent,
        )
    return back_brief


def _review(actor: Actor, back_brief_id: int, doing: str) -> tuple[BackBrief, str]:
    actor.require("back_brief.review")
    back_brief = _locked(actor, back_brief_id)
    _require_state(back_brief, (State.SUBMITTED,), doing)
    if not may_review(actor, back_brief):
        raise PermissionDenied(
            "The goal's accountable person or a leader above the team reviews a back-brief, "
            "never the one who wrote it."
        )
    before = back_brief.state
    back_brief.reviewed_by_id, back_brief.reviewed_at = actor.user_id, timezone.now()
    back_brief.version += 1
    return back_brief, before


def _tell_team(actor: Actor, back_brief: BackBrief, event: str, title: str, body: str = "") -> None:
    _, members = _team_people(actor, back_brief.team_id)
    notify(
        actor=actor,
        event=event,
        recipient_ids=[*members, back_brief.submitted_by_id],
        title=title,
        url=_goal_url(back_brief),
        object_type="back_brief",
        object_id=back_brief.pk,
        body=body,
    )


def back_brief_confirm(*, actor: Actor, back_brief_id: int) -> BackBrief:
    """The reviewer agrees the team understood the intent."""
    with transaction.atomic():
        back_brief, before = _review(actor, back_brief_id, "confirmed")
        back_brief.state, back_brief.confirmed_at = State.CONFIRMED, back_brief.reviewed_at
        back_brief.save()
        _record(actor, back_brief, before)
        audit(actor, "back_brief.confirm", back_brief, {"state": [before, back_brief.state]})
        title = f"Back-brief on “{back_brief.goal.title}” confirmed: the intent is shared"
        _tell_team(actor, back_brief, "back_brief.confirmed", title)
    return back_brief


def back_brief_request_clarification(*, actor: Actor, back_brief_id: int, message: str) -> BackBrief:
    """The reviewer says what is not yet understood; the team submits again."""
    if not message.strip():
        raise ValidationError(
            "Say what needs clarifying.", field="message", errors={"message": ["Say what needs clarifying."]}
        )
    with transaction.atomic():
        back_brief, before = _review(actor, back_brief_id, "sent back for clarification")
        back_brief.state, back_brief.clarification = State.CLARIFICATION_REQUESTED, message.strip()
        back_brief.save()
        _record(actor, back_brief, before, note=back_brief.clarification)
        audit(actor, "back_brief.clarify", back_brief, {"state": [before, back_brief.state]})
        title = f"Clarification asked on your back-brief of “{back_brief.goal.title}”"
        _tell_team(actor, back_brief, "back_brief.clarification", title, back_brief.clarification)
        _comment_on_goal(actor, back_brief)
    return back_brief


def _comment_on_goal(actor: Actor, back_brief: BackBrief) -> None:
    """Post the question on the goal's discussion too, where everyone following the goal sees it."""
    try:
        from charter.discussion.services import comment_add
    except ImportError:  # the discussion app is optional for back-briefs
        return
    body = f"Back-brief of {back_brief.team.name}: clarification asked.\n\n{back_brief.clarification}"
    try:
        with transaction.atomic():  # a savepoint: a refused comment leaves the clarification intact
            comment_add(actor=actor, target_type="goal", target_id=back_brief.goal_id, body=body)
    except DomainError:
        pass
