"""Reads of back-briefs, scoped to the actor's organization."""

from django.db.models import OuterRef, Prefetch, Q

from charter.core.actor import Actor
from charter.core.errors import NotFound
from charter.core.jsonrows import JSONRows
from charter.goals.models import Goal
from charter.organizations.models import Team, User
from charter.organizations.permissions import ROLES_THAT_EDIT_EVERYTHING

from . import queries
from .models import BackBrief, BackBriefEvent

PENDING = "pending"  # a filter value: every open state


def _back_briefs(actor: Actor):
    return BackBrief.objects.for_org(actor.organization).select_related(
        "goal", "goal__owner", "team", "requested_by", "submitted_by", "reviewed_by"
    )


def _with_history(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "events", queryset=BackBriefEvent.objects.select_related("actor").order_by("created_at", "id")
        )
    )


def back_brief_list(
    *, actor: Actor, state: str | None = None, team_id: int | None = None, goal_id: int | None = None
):
    """Back-briefs matching the filters, oldest wait first; `state="pending"` means every open one."""
    rows = _back_briefs(actor)
    if state == PENDING:
        rows = rows.filter(state__in=BackBrief.OPEN_STATES)
    elif state:
        rows = rows.filter(state=state)
    if team_id:
        rows = rows.filter(team_id=team_id)
    if goal_id:
        rows = rows.filter(goal_id=goal_id)
    return rows.order_by("requested_at", "id")


def back_brief_get(*, actor: Actor, back_brief_id: int) -> BackBrief:
    back_brief = _with_history(_back_briefs(actor)).filter(pk=back_brief_id).first()
    if back_brief is None:
        raise NotFound("No such back-brief.")
    return back_brief


def back_brief_of_goal(*, actor: Actor, goal) -> BackBrief | None:
    """The back-brief of the goal's team: the open one, else the latest."""
    if goal.team_id is None:
        return None
    # The caller has read the goal (with its owner): the query joins only what the panel shows.
    rows = _with_history(
        BackBrief.objects.for_org(actor.organization).select_related("team", "submitted_by", "reviewed_by")
    ).filter(goal_id=goal.pk, team_id=goal.team_id)
    back_brief = max(rows, key=lambda b: (b.is_open, b.requested_at, b.pk), default=None)
    if back_brief is not None:
        back_brief.goal = goal
    return back_brief


_FIELDS = [f.attname for f in BackBrief._meta.concrete_fields if f.attname != "organization_id"]
_PEOPLE = ("submitted_by", "reviewed_by")


def goal_back_brief_columns(*, actor: Actor) -> dict:
    """`back_brief_of_goal` as columns of the query of the goal (`OuterRef`), read with it by the goal page:
    the back-briefs of the goal's team as plain rows (with the names the panel shows) and their events."""
    org = actor.organization
    goal_id, team_id = OuterRef("pk"), OuterRef("team_id")
    people = {f"{who}_{part}": f"{who}__{part}" for who in _PEOPLE for part in ("full_name", "email")}
    events = BackBriefEvent.objects.for_org(org).filter(
        back_brief__goal_id=goal_id, back_brief__team_id=team_id
    )
    return {
        "back_brief_rows": JSONRows(
            BackBrief.objects.for_org(org)
            .filter(goal_id=goal_id, team_id=team_id)
            .order_by("-requested_at", "-id"),
            *_FIELDS,
            team_name="team__name",
            **people,
        ),
        "back_brief_events": JSONRows(
            events.order_by("created_at", "id"),
            *("id", "back_brief_id", "from_state", "to_state", "note", "created_at", "actor_id"),
            actor_full_name="actor__full_name",
            actor_email="actor__email",
        ),
    }


def _person(row: dict, who: str) -> User | None:
    if row[f"{who}_id"] is None:
        return None
    return User(pk=row[f"{who}_id"], full_name=row[f"{who}_full_name"], email=row[f"{who}_email"])


def back_brief_of_goal_from(*, actor: Actor, goal, columns: dict) -> tuple[BackBrief | None, list]:
    """`back_brief_of_goal` and its events from `goal_back_brief_columns`' values: unsaved instances with
    what the panel shows."""
    rows = columns["back_brief_rows"]
    if goal.team_id is None or not rows:
        return None, []
    row = max(rows, key=lambda r: (r["state"] in BackBrief.OPEN_STATES, r["requested_at"], r["id"]))
    back_brief = BackBrief(organization_id=actor.organization.pk, **{name: row[name] for name in _FIELDS})
    back_brief.team = Team(pk=row["team_id"], organization_id=actor.organization.pk, name=row["team_name"])
    back_brief.submitted_by, back_brief.reviewed_by = (_person(row, who) for who in _PEOPLE)
    back_brief.goal = goal
    events = []
    for e in columns["back_brief_events"]:
        if e["back_brief_id"] == back_brief.pk:
            event = BackBriefEvent(
                pk=e["id"], back_brief_id=e["back_brief_id"], from_state=e["from_state"],
                to_state=e["to_state"], note=e["note"], created_at=e["created_at"],
            )  # fmt: skip
            event.actor = _person(e, "actor")
            events.append(event)
    return back_brief, events


def back_briefs_to_write(*, actor: Actor):
    """Open back-briefs waiting for one of the actor's teams to write (or rewrite) them."""
    return _back_briefs(actor).filter(team_id__in=actor.team_ids, state__in=BackBrief.TO_WRITE_STATES)


def _to_confirm(actor: Actor) -> Q | None:
    """Submitted back-briefs the actor may confirm (mirrors `rules.may_review`); None: none at all."""
    if not actor.can("back_brief.review"):
        return None
    outside = ~Q(team_id__in=actor.team_ids)
    above = Q(team_id__in=actor.lead_team_ids)
    if actor.role in ROLES_THAT_EDIT_EVERYTHING:
        above = Q()
    mine = Q(goal__owner_id=actor.user_id) | (outside & above)
    return Q(state=BackBrief.State.SUBMITTED) & mine & ~Q(submitted_by_id=actor.user_id)


def back_briefs_to_confirm(*, actor: Actor):
    """Submitted back-briefs the actor may confirm (mirrors `rules.may_review`)."""
    confirm = _to_confirm(actor)
    return _back_briefs(actor).none() if confirm is None else _back_briefs(actor).filter(confirm)


def back_briefs_for_home(*, actor: Actor, limit: int) -> tuple[list[BackBrief], list[BackBrief]]:
    """The home panel's lists, to write (`back_briefs_to_write`) and to confirm (`back_briefs_to_confirm`),
    the newest `limit` of each, in one query: a row number per list (partitioned by "is it submitted",
    which tells the lists apart) keeps each list's first rows; only the goal's title and the team's name
    are joined, as the panel shows (`queries.home_rows`)."""
    submitted = BackBrief.State.SUBMITTED
    found = queries.home_rows(
        organization_id=actor.organization_id,
        user_id=actor.user_id,
        team_ids=actor.team_ids,
        lead_team_ids=actor.lead_team_ids,
        may_review=actor.can("back_brief.review"),
        edits_everything=actor.role in ROLES_THAT_EDIT_EVERYTHING,
        limit=limit,
    )
    to_write, to_confirm = [], []
    for pk, goal_id, team_id, state, *times, title, name in found:
        row = BackBrief(
            pk=pk, organization_id=actor.organization_id, goal_id=goal_id, team_id=team_id, state=state
        )
        for field, value in zip(queries.HOME_TIMES, times, strict=True):
            setattr(row, field, value)
        row.goal = Goal(pk=goal_id, organization_id=actor.organization_id, title=title)
        row.team = Team(pk=team_id, organization_id=actor.organization_id, name=name)
        (to_confirm if state == submitted else to_write).append(row)
    return to_write, to_confirm
