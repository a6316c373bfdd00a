"""Back-brief services: the triggers, the state machine, who may do what, notifications, isolation."""

import pytest

from charter.backbriefs import selectors, services
from charter.backbriefs.models import BackBrief
from charter.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from charter.goals.services import goal_update
from charter.goals.tests.factories import make_goal
from charter.notifications.models import Notification
from charter.organizations.models import Role
from charter.organizations.services import team_update
from charter.organizations.tests.factories import make_person, make_team, refresh_actor

from .factories import make_given, submit

State = BackBrief.State


def _back_briefs(owner, **filters):
    return list(BackBrief.objects.for_org(owner.organization).filter(**filters))


def _notified(owner, event):
    rows = Notification.objects.for_org(owner.organization).filter(event=event)
    return sorted(rows.values_list("recipient_id", flat=True))


# ---- triggers -------------------------------------------------------------------------------------


def test_a_goal_created_for_another_team_asks_its_leads(given):
    bb = given.back_brief
    assert bb.state == State.REQUESTED and bb.requested_by_id == given.owner.user_id
    assert [e.to_state for e in bb.events.all()] == [State.REQUESTED]
    assert _notified(given.owner, "back_brief.requested") == [given.lead.user_id]


def test_a_team_without_lead_asks_all_its_members(owner, cycle):
    team = make_team(owner, "Leaderless")
    a, b = (make_person(owner, Role.MEMBER, team=team) for _ in range(2))
    make_goal(owner, cycle, "Given", team_id=team.pk)
    assert _notified(owner, "back_brief.requested") == sorted([a.user_id, b.user_id])


def test_a_member_creating_a_goal_for_their_own_team_asks_none(given, cycle):
    make_goal(given.member, cycle, "Our own", team_id=given.team.pk)
    assert len(_back_briefs(given.owner)) == 1  # only the fixture's


def test_a_goal_of_the_whole_organization_asks_none(owner, cycle):
    make_goal(owner, cycle, "Strategic")
    assert _back_briefs(owner) == []


def test_a_child_goal_delegated_down_asks_the_other_team(given, cycle):
    other = make_team(given.owner, "Platform")
    make_person(given.owner, Role.MEMBER, team=other)
    lead_of_parent = make_person(given.owner, Role.LEADER, team=given.team, is_lead=True)
    parent = make_goal(lead_of_parent, cycle, "Parent", team_id=given.team.pk)
    child = make_goal(lead_of_parent, cycle, "Child", team_id=other.pk, parent_id=parent.pk)
    assert _back_briefs(given.owner, goal=parent) == []
    assert [b.team_id for b in _back_briefs(given.owner, goal=child)] == [other.pk]


def test_a_team_change_asks_the_new_team_and_withdraws_the_old_request(given):
    other = make_team(given.owner, "Platform")
    goal_update(actor=given.owner, goal_id=given.goal.pk, team_id=other.pk)
    old, new = (_back_briefs(given.owner, team=t)[0] for t in (given.team, other))
    assert old.state == State.WITHDRAWN and new.state == State.REQUESTED
    goal_update(actor=given.owner, goal_id=given.goal.pk, title="Renamed")
    assert len(_back_briefs(given.owner, goal=given.goal)) == 2  # other changes ask nothing


def test_moving_a_goal_to_ones_own_team_asks_none(given, cycle):
    leader = make_person(given.owner, Role.LEADER, team=given.team)
    goal = make_goal(leader, cycle, "Org goal")
    goal_update(actor=leader, goal_id=goal.pk, team_id=given.team.pk)
    assert _back_briefs(given.owner, goal=goal) == []


# ---- the state machine ----------------------------------------------------------------------------


def test_a_member_of_the_team_submits_and_the_reviewers_are_told(given):
    bb = submit(given.member, given.back_brief)
    assert bb.state == State.SUBMITTED and bb.submitted_by_id == given.member.user_id
    assert bb.submitted_at >= bb.requested_at
    assert _notified(given.owner, "back_brief.submitted") == [given.owner.user_id]


def test_submit_names_every_missing_field_and_changes_nothing(given):
    with pytest.raises(ValidationError) as exc:
        services.back_brief_submit(
            actor=given.member, back_brief_id=given.back_brief.pk, intent="x", plan="", concerns=" ", needs=""
        )
    assert set(exc.value.errors) == {"plan", "concerns", "needs"}
    given.back_brief.refresh_from_db()
    assert given.back_brief.state == State.REQUESTED


@pytest.mark.parametrize("who", ["outsider", "viewer", "owner"])
def test_only_the_team_submits(given, who):
    actor = {
        "outsider": make_person(given.owner, Role.MEMBER),
        "viewer": make_person(given.owner, Role.VIEWER, team=given.team),
        "owner": given.owner,
    }[who]
    with pytest.raises(PermissionDenied):
        submit(actor, given.back_brief)


def test_a_requested_back_brief_cannot_be_confirmed(given):
    with pytest.raises(Conflict):
        services.back_brief_confirm(actor=given.owner, back_brief_id=given.back_brief.pk)


def test_the_accountable_person_confirms_and_the_team_is_told(given):
    submit(given.member, given.back_brief)
    bb = services.back_brief_confirm(actor=given.owner, back_brief_id=given.back_brief.pk)
    assert bb.state == State.CONFIRMED and bb.confirmed_at >= bb.submitted_at >= bb.requested_at
    assert _notified(given.owner, "back_brief.confirmed") == sorted(
        [given.lead.user_id, given.member.user_id]
    )
    with pytest.raises(Conflict):
        submit(given.member, bb)


def test_the_team_may_not_confirm_its_own_back_brief(given):
    submit(given.member, given.back_brief)
    for actor in (given.member, given.lead):
        with pytest.raises(PermissionDenied):
            services.back_brief_confirm(actor=actor, back_brief_id=given.back_brief.pk)


def test_a_lead_of_a_team_above_reviews(owner, cycle):
    parent = make_team(owner, "Product")
    given = make_given(owner, cycle, "Child")
    team_update(actor=owner, team_id=given.team.pk, name=given.team.name, description="", parent_id=parent.pk)
    head = make_person(owner, Role.MEMBER, team=parent, is_lead=True)
    submit(given.member, given.back_brief)
    bb = services.back_brief_confirm(
        actor=refresh_actor(head.user, owner.organization), back_brief_id=given.back_brief.pk
    )
    assert bb.reviewed_by_id == head.user_id


def test_clarification_needs_a_message_then_the_team_submits_again(given):
    submit(given.member, given.back_brief)
    with pytest.raises(ValidationError) as exc:
        services.back_brief_request_clarification(
            actor=given.owner, back_brief_id=given.back_brief.pk, message=" "
        )
    assert "message" in exc.value.errors
    bb = services.back_brief_request_clarification(
        actor=given.owner, back_brief_id=given.back_brief.pk, message="What does day one mean?"
    )
    assert bb.state == State.CLARIFICATION_REQUESTED and bb.clarification == "What does day one mean?"
    assert _notified(given.owner, "back_brief.clarification") == sorted(
        [given.lead.user_id, given.member.user_id]
    )
    bb = submit(given.lead, bb, intent="Set up and using it within 24 hours.")
    assert bb.state == State.SUBMITTED
    bb = services.back_brief_confirm(actor=given.owner, back_brief_id=bb.pk)
    history = list(selectors.back_brief_get(actor=given.owner, back_brief_id=bb.pk).events.all())
    assert [e.to_state for e in history] == [
        "requested",
        "submitted",
        "clarification_requested",
        "submitted",
        "confirmed",
    ]
    assert history[1].snapshot["intent"] != history[3].snapshot["intent"]


def test_clarification_is_posted_on_the_goal_as_a_comment(given):
    comments = pytest.importorskip("charter.discussion.models").Comment
    submit(given.member, given.back_brief)
    services.back_brief_request_clarification(
        actor=given.owner, back_brief_id=given.back_brief.pk, message="Why?"
    )
    posted = list(comments.objects.for_org(given.owner.organization).filter(target_type="goal"))
    assert [c.target_id for c in posted] == [given.goal.pk] and "Why?" in posted[0].body


# ---- reads ----------------------------------------------------------------------------------------


def test_another_organizations_back_brief_is_not_found(given, other_owner):
    with pytest.raises(NotFound):
        selectors.back_brief_get(actor=other_owner, back_brief_id=given.back_brief.pk)
    with pytest.raises(NotFound):
        services.back_brief_confirm(actor=other_owner, back_brief_id=given.back_brief.pk)
    assert list(selectors.back_brief_list(actor=other_owner)) == []


def test_home_lists_what_to_write_and_what_to_confirm(given):
    assert list(selectors.back_briefs_to_write(actor=given.member)) == [given.back_brief]
    assert list(selectors.back_briefs_to_confirm(actor=given.owner)) == []
    submit(given.member, given.back_brief)
    assert list(selectors.back_briefs_to_write(actor=given.member)) == []
    assert [b.pk for b in selectors.back_briefs_to_confirm(actor=given.owner)] == [given.back_brief.pk]
    assert list(selectors.back_briefs_to_confirm(actor=given.lead)) == []


def test_home_reads_both_lists_in_one_query_each_cut_to_its_limit(given, cycle, django_assert_num_queries):
    goals = [make_goal(given.owner, cycle, f"Goal {i}", team_id=given.team.pk) for i in range(4)]
    for bb in _back_briefs(given.owner, goal__in=goals[:2]):
        submit(given.member, bb)
    with django_assert_num_queries(1):
        to_write, to_confirm = selectors.back_briefs_for_home(actor=given.member, limit=2)
        shown = [(b.goal.title, b.team.name, b.waiting_since) for b in to_write]  # joined, no query
    assert to_write == list(selectors.back_briefs_to_write(actor=given.member)[:2]) and to_confirm == []
    assert shown == [(b.goal.title, b.team.name, b.waiting_since) for b in to_write]
    with django_assert_num_queries(1):
        to_write, to_confirm = selectors.back_briefs_for_home(actor=given.owner, limit=1)
        shown = [(b.goal.title, b.team.name, b.waiting_since) for b in to_confirm]
    assert shown[0][0] in {"Goal 0", "Goal 1"} and shown[0][1] == given.team.name
    assert to_write == [] and to_confirm == list(selectors.back_briefs_to_confirm(actor=given.owner)[:1])
    assert len(selectors.back_briefs_to_write(actor=given.member)) == 3
    assert len(selectors.back_briefs_to_confirm(actor=given.owner)) == 2


def test_the_home_lists_are_the_newest_of_to_write_and_to_confirm_for_everyone(owner, cycle):
    """The home panel's one plain-SQL query gives, for each person and limit, the first back-briefs of the
    two lists the back-brief pages read through the ORM (who may confirm what: `rules.may_review`)."""
    first, second = make_given(owner, cycle, "Onboarding"), make_given(owner, cycle, "Billing")
    admin = make_person(owner, Role.ADMIN, full_name="An admin")
    outsider = make_person(owner, Role.MEMBER, full_name="No team")
    for given in (first, second):
        goals = [make_goal(owner, cycle, f"{given.team.name} {i}", team_id=given.team.pk) for i in range(3)]
        for bb in _back_briefs(owner, goal__in=goals[:2]):
            submit(given.member, bb)
    submit(second.lead, second.back_brief)
    people = [owner, admin, outsider, first.lead, first.member, second.lead, second.member]
    for person in people:
        to_write = list(selectors.back_briefs_to_write(actor=person).order_by("-requested_at", "-id"))
        to_confirm = list(selectors.back_briefs_to_confirm(actor=person).order_by("-requested_at", "-id"))
        for limit in (1, 2, 10):
            home = selectors.back_briefs_for_home(actor=person, limit=limit)
            assert home == (to_write[:limit], to_confirm[:limit]), (person.user.full_name, limit)
        assert [(b.goal.title, b.team.name, b.waiting_since) for b in home[0] + home[1]] == [
            (b.goal.title, b.team.name, b.waiting_since) for b in to_write + to_confirm
        ]
    assert any(selectors.back_briefs_for_home(actor=p, limit=10)[1] for p in people)
