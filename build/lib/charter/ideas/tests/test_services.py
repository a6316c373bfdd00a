"""Idea services: submit, one vote per person, pipeline moves with reasons, adoption links and notices."""

import pytest

from charter.core.errors import NotFound, PermissionDenied, ValidationError
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.ideas.models import IdeaTransition, IdeaVote
from charter.ideas.selectors import goal_ideas, idea_get, idea_list
from charter.ideas.services import idea_create, idea_move, idea_vote
from charter.ideas.tests.factories import make_idea
from charter.notifications.models import Notification
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(owner, cycle):
    return make_goal(owner, cycle, "Reduce churn")


def test_member_submits_an_idea_linked_to_goals(owner, goal):
    member = make_person(owner, Role.MEMBER)
    idea = idea_create(actor=member, title=" Checklist ", description="Try *it*", goal_ids=[goal.pk])
    assert idea.title == "Checklist" and idea.status == "new" and idea.author_id == member.user_id
    assert list(idea.goals.all()) == [goal]


def test_viewer_may_not_submit_or_vote(owner):
    viewer = make_person(owner, Role.VIEWER)
    idea = make_idea(owner)
    with pytest.raises(PermissionDenied):
        idea_create(actor=viewer, title="No")
    with pytest.raises(PermissionDenied):
        idea_vote(actor=viewer, idea_id=idea.pk)


def test_idea_needs_a_title_and_goals_of_the_organization(owner, other_owner):
    foreign = make_goal(other_owner, make_cycle(other_owner))
    with pytest.raises(ValidationError) as exc:
        idea_create(actor=owner, title="  ")
    assert exc.value.field == "title"
    with pytest.raises(ValidationError) as exc:
        idea_create(actor=owner, title="Linked abroad", goal_ids=[foreign.pk])
    assert exc.value.field == "goal_ids"


def test_one_vote_per_person_even_twice_in_a_row(owner):
    idea = make_idea(owner)
    member = make_person(owner, Role.MEMBER)
    assert idea_vote(actor=member, idea_id=idea.pk, vote=True) is True
    assert idea_vote(actor=member, idea_id=idea.pk, vote=True) is True
    assert IdeaVote.objects.for_org(owner.organization).count() == 1
    assert idea_get(actor=member, idea_id=idea.pk).vote_count == 1


def test_vote_toggles(owner):
    idea = make_idea(owner)
    member = make_person(owner, Role.MEMBER)
    assert idea_vote(actor=member, idea_id=idea.pk) is True
    assert idea_get(actor=member, idea_id=idea.pk).voted
    assert idea_vote(actor=member, idea_id=idea.pk) is False
    assert idea_get(actor=member, idea_id=idea.pk).vote_count == 0
    assert idea_vote(actor=member, idea_id=idea.pk, vote=False) is False


def test_vote_on_another_organizations_idea_is_404(owner, other_owner):
    idea = make_idea(owner)
    with pytest.raises(NotFound):
        idea_vote(actor=other_owner, idea_id=idea.pk)


def test_moves_keep_from_to_who_and_why(owner):
    leader = make_person(owner, Role.LEADER)
    idea = make_idea(owner)
    idea_move(actor=leader, idea_id=idea.pk, to_status="exploring", reason="Worth a try")
    idea_move(actor=owner, idea_id=idea.pk, to_status="parked", reason="Not this quarter")
    history = list(IdeaTransition.objects.for_org(owner.organization).order_by("id"))
    assert [(t.from_status, t.to_status, t.actor_id, t.reason) for t in history] == [
        ("new", "exploring", leader.user_id, "Worth a try"),
        ("exploring", "parked", owner.user_id, "Not this quarter"),
    ]


def test_move_needs_a_reason_an_allowed_step_and_a_leader(owner):
    idea = make_idea(owner)
    with pytest.raises(ValidationError) as exc:
        idea_move(actor=owner, idea_id=idea.pk, to_status="exploring", reason="  ")
    assert exc.value.field == "reason"
    with pytest.raises(ValidationError):
        idea_move(actor=owner, idea_id=idea.pk, to_status="new", reason="Again")
    with pytest.raises(PermissionDenied):
        idea_move(actor=make_person(owner, Role.MEMBER), idea_id=idea.pk, to_status="parked", reason="x")
    assert not IdeaTransition.objects.for_org(owner.organization).exists()
    assert idea_get(actor=owner, idea_id=idea.pk).status == "new"


def test_adopting_needs_what_it_became(owner, goal):
    idea = make_idea(owner)
    with pytest.raises(ValidationError) as exc:
        idea_move(actor=owner, idea_id=idea.pk, to_status="adopted", reason="Yes")
    assert exc.value.field == "adopted_goal_id"


def test_adopting_into_a_key_result_links_it_and_its_goal_and_tells_author_and_voters(owner, goal):
    author, voter = make_person(owner, Role.MEMBER), make_person(owner, Role.MEMBER)
    kr = make_key_result(owner, goal, "Churn below 3%")
    idea = make_idea(author)
    idea_vote(actor=voter, idea_id=idea.pk)
    idea_vote(actor=owner, idea_id=idea.pk)
    idea_move(actor=owner, idea_id=idea.pk, to_status="adopted", reason="Great", adopted_key_result_id=kr.pk)
    idea = idea_get(actor=owner, idea_id=idea.pk)
    assert (idea.status, idea.adopted_goal_id, idea.adopted_key_result_id) == ("adopted", goal.pk, kr.pk)
    notes = Notification.objects.unscoped().filter(event="idea.adopted")
    assert sorted(notes.values_list("recipient_id", flat=True)) == sorted([author.user_id, voter.user_id])


def test_adopting_into_another_organizations_goal_is_refused(owner, other_owner):
    foreign = make_goal(other_owner, make_cycle(other_owner))
    idea = make_idea(owner)
    with pytest.raises(ValidationError):
        idea_move(actor=owner, idea_id=idea.pk, to_status="adopted", reason="x", adopted_goal_id=foreign.pk)


def test_list_filters_and_sorts(owner, goal):
    member = make_person(owner, Role.MEMBER)
    old = make_idea(owner, "Old", goal_ids=[goal.pk])
    new = make_idea(owner, "New")
    idea_vote(actor=member, idea_id=old.pk)
    assert [i.title for i in idea_list(actor=owner)] == ["Old", "New"]
    assert [i.title for i in idea_list(actor=owner, sort="newest")] == ["New", "Old"]
    assert [i.title for i in idea_list(actor=owner, goal_id=goal.pk)] == ["Old"]
    idea_move(actor=owner, idea_id=new.pk, to_status="parked", reason="Later")
    assert [i.title for i in idea_list(actor=owner, status="parked")] == ["New"]


def test_author_or_leaders_edit_an_idea_until_adopted(owner, goal):
    from charter.ideas.services import idea_update

    author, other = make_person(owner, Role.MEMBER), make_person(owner, Role.MEMBER)
    idea = make_idea(author, "Draft")
    idea_update(actor=author, idea_id=idea.pk, title="Better", description="Why", goal_ids=[goal.pk])
    idea = idea_get(actor=owner, idea_id=idea.pk)
    assert (idea.title, idea.description, [g.pk for g in idea.goals.all()]) == ("Better", "Why", [goal.pk])
    with pytest.raises(PermissionDenied):
        idea_update(actor=other, idea_id=idea.pk, title="Hijack")
    idea_move(actor=owner, idea_id=idea.pk, to_status="adopted", reason="Yes", adopted_goal_id=goal.pk)
    with pytest.raises(PermissionDenied):
        idea_update(actor=author, idea_id=idea.pk, title="Rewritten after the fact")


def test_goal_ideas_are_linked_or_adopted_once_each_by_votes(
    owner, other_owner, cycle, goal, django_assert_num_queries
):
    other = make_goal(owner, cycle, "Another goal")
    linked = make_idea(owner, "Linked", goal_ids=[goal.pk])
    both = make_idea(owner, "Linked and adopted", goal_ids=[goal.pk, other.pk])
    adopted = make_idea(owner, "Adopted only", goal_ids=[other.pk])
    make_idea(owner, "Elsewhere", goal_ids=[other.pk])
    for idea in (both, adopted):
        idea_move(actor=owner, idea_id=idea.pk, to_status="adopted", reason="Done", adopted_goal_id=goal.pk)
    for voter in (owner, make_person(owner, Role.MEMBER)):
        idea_vote(actor=voter, idea_id=adopted.pk, vote=True)
    idea_vote(actor=owner, idea_id=linked.pk, vote=True)
    with django_assert_num_queries(1):
        found = goal_ideas(actor=owner, goal_id=goal.pk)
    assert [(i.title, i.vote_count, i.voted) for i in found] == [
        ("Adopted only", 2, True),
        ("Linked", 1, True),
        ("Linked and adopted", 0, False),
    ]
    assert goal_ideas(actor=other_owner, goal_id=goal.pk) == []
