"""Comment services: targets in the organization only, mentions of members only, author rules."""

import pytest

from charter.core.errors import NotFound, PermissionDenied, ValidationError
from charter.discussion import selectors
from charter.discussion.models import Comment, Mention
from charter.discussion.services import comment_add, comment_delete, comment_edit
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.notifications.models import Notification
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _notified(actor, event="mention"):
    return set(Notification.objects.unscoped().filter(event=event).values_list("recipient_id", flat=True)) & {
        actor.user_id
    }


@pytest.fixture
def goal(owner, cycle):
    return make_goal(owner, cycle, "Reduce churn")


def test_comment_add_stores_the_comment(owner, goal):
    comment = comment_add(actor=owner, target_type="goal", target_id=goal.pk, body="  Good goal  ")
    assert comment.body == "Good goal"
    assert comment.author_id == owner.user_id
    assert comment.organization_id == owner.organization_id


def test_comment_on_key_result(owner, goal):
    kr = make_key_result(owner, goal)
    comment = comment_add(actor=owner, target_type="key_result", target_id=kr.pk, body="On it")
    assert comment.target_type == "key_result"


def test_comment_on_another_organizations_goal_is_404(owner, other_owner, goal):
    with pytest.raises(NotFound):
        comment_add(actor=other_owner, target_type="goal", target_id=goal.pk, body="Sneaky")
    with pytest.raises(NotFound):
        comment_add(actor=owner, target_type="goal", target_id=987654, body="Missing")
    with pytest.raises(NotFound):
        comment_add(actor=owner, target_type="spaceship", target_id=goal.pk, body="Unknown type")
    assert not Comment.objects.unscoped().exists()


def test_empty_comment_is_refused(owner, goal):
    with pytest.raises(ValidationError) as exc:
        comment_add(actor=owner, target_type="goal", target_id=goal.pk, body="   ")
    assert exc.value.field == "body"


def test_viewer_may_not_comment(owner, goal):
    viewer = make_person(owner, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        comment_add(actor=viewer, target_type="goal", target_id=goal.pk, body="Hi")


def test_mentions_notify_members_of_the_organization_only(owner, other_owner, goal):
    ana = make_person(owner, Role.MEMBER, full_name="Ana")
    stranger = make_person(other_owner, Role.MEMBER, full_name="Stranger")
    body = (
        f"@[Ana](user:{ana.user_id}) and @[Stranger](user:{stranger.user_id}) and @[Nobody](user:987654) "
        f"and myself @[Me](user:{owner.user_id})"
    )
    comment = comment_add(actor=owner, target_type="goal", target_id=goal.pk, body=body)
    assert set(Mention.objects.for_org(owner.organization).values_list("user_id", flat=True)) == {
        ana.user_id,
        owner.user_id,
    }
    notes = Notification.objects.unscoped().filter(event="mention")
    assert list(notes.values_list("recipient_id", "organization_id")) == [
        (ana.user_id, owner.organization_id)
    ]
    assert f"#comment-{comment.pk}" in notes.get().url
    assert not Notification.objects.unscoped().filter(recipient_id=stranger.user_id).exists()


def test_edit_notifies_only_new_mentions(owner, goal):
    ana = make_person(owner, Role.MEMBER, full_name="Ana")
    bo = make_person(owner, Role.MEMBER, full_name="Bo")
    comment = comment_add(
        actor=owner, target_type="goal", target_id=goal.pk, body=f"@[Ana](user:{ana.user_id})"
    )
    comment_edit(
        actor=owner, comment_id=comment.pk, body=f"@[Ana](user:{ana.user_id}) @[Bo](user:{bo.user_id})"
    )
    recipients = (
        Notification.objects.unscoped().filter(event="mention").values_list("recipient_id", flat=True)
    )
    assert sorted(recipients) == sorted([ana.user_id, bo.user_id])
    comment.refresh_from_db()
    assert comment.edited_at is not None


def test_only_author_or_leaders_change_a_comment(owner, goal):
    author = make_person(owner, Role.MEMBER)
    other = make_person(owner, Role.MEMBER)
    leader = make_person(owner, Role.LEADER)
    comment = comment_add(actor=author, target_type="goal", target_id=goal.pk, body="Mine")
    with pytest.raises(PermissionDenied):
        comment_edit(actor=other, comment_id=comment.pk, body="Hijacked")
    with pytest.raises(PermissionDenied):
        comment_delete(actor=other, comment_id=comment.pk)
    comment_edit(actor=author, comment_id=comment.pk, body="Mine, edited")
    deleted = comment_delete(actor=leader, comment_id=comment.pk)
    assert deleted.deleted and deleted.body == ""


def test_another_organization_cannot_edit_or_delete(owner, other_owner, goal):
    comment = comment_add(actor=owner, target_type="goal", target_id=goal.pk, body="Ours")
    with pytest.raises(NotFound):
        comment_edit(actor=other_owner, comment_id=comment.pk, body="Theirs")
    with pytest.raises(NotFound):
        comment_delete(actor=other_owner, comment_id=comment.pk)


def test_comment_on_goal_of_other_cycle(owner):
    cycle = make_cycle(owner, "Other")
    goal = make_goal(owner, cycle)
    assert comment_add(actor=owner, target_type="goal", target_id=goal.pk, body="ok").pk


def test_goal_threads_match_the_thread_and_the_counts_in_one_query(
    owner, other_owner, goal, django_assert_num_queries
):
    krs = [make_key_result(owner, goal, f"Key result {i}") for i in range(3)]
    for body in ("First", "Second"):
        comment_add(actor=owner, target_type="goal", target_id=goal.pk, body=body)
    for kr, n in zip(krs, (2, 1, 0), strict=True):
        for i in range(n):
            comment_add(actor=owner, target_type="key_result", target_id=kr.pk, body=f"On it {i}")
    gone = comment_add(actor=owner, target_type="key_result", target_id=krs[1].pk, body="Gone")
    comment_delete(actor=owner, comment_id=gone.pk)
    comment_delete(actor=owner, comment_id=selectors.comment_list(actor=owner, target_type="goal")[0].pk)
    ids = [kr.pk for kr in krs]
    with django_assert_num_queries(1):
        thread, counts = selectors.goal_threads(actor=owner, goal_id=goal.pk, key_result_ids=ids)
    expected = selectors.comment_list(actor=owner, target_type="goal", target_id=goal.pk)
    assert [(c.pk, c.deleted, c.may_change) for c in thread] == [
        (c.pk, c.deleted, c.may_change) for c in expected
    ]
    assert counts == selectors.comment_counts(actor=owner, target_type="key_result", target_ids=ids)
    assert counts == {krs[0].pk: 2, krs[1].pk: 1}
    assert selectors.goal_threads(actor=other_owner, goal_id=goal.pk, key_result_ids=ids) == ([], {})
