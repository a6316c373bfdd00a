"""Comment pages: the thread on the goal page, htmx add, edit, delete, autocomplete, isolation."""

import pytest
from django.urls import reverse

from charter.discussion.models import Comment
from charter.discussion.services import comment_add
from charter.goals.tests.factories import make_goal, make_key_result
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(owner, cycle):
    return make_goal(owner, cycle, "Reduce churn")


def test_goal_page_shows_thread_and_key_result_counts(owner, goal, login):
    kr = make_key_result(owner, goal, "Churn below 3%")
    comment_add(actor=owner, target_type="goal", target_id=goal.pk, body="**Bold** idea <script>x</script>")
    comment_add(actor=owner, target_type="key_result", target_id=kr.pk, body="On the KR")
    html = login(owner).get(reverse("goal_detail", args=[goal.pk])).content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script>x" not in html
    assert reverse("key_result_comments", args=[kr.pk]) in html
    assert "1 comment" in html
    assert "data-comment-form" in html


def test_htmx_post_returns_the_new_comment(owner, goal, login):
    client = login(owner)
    response = client.post(
        reverse("comment_create"),
        {"target_type": "goal", "target_id": goal.pk, "body": "Via _htmx_"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<em>htmx</em>" in html
    assert f'id="comments-goal-{goal.pk}-count" hx-swap-oob="true"' in html
    assert Comment.objects.for_org(owner.organization).count() == 1


def test_htmx_post_with_empty_body_shows_the_error_and_saves_nothing(owner, goal, login):
    response = login(owner).post(
        reverse("comment_create"),
        {"target_type": "goal", "target_id": goal.pk, "body": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "find .comment-errors"
    assert "Fill in the comment." in response.content.decode()  # Charter's message, not Django's stock one
    assert not Comment.objects.for_org(owner.organization).exists()


def test_plain_post_redirects_to_the_comment(owner, goal, login):
    response = login(owner).post(
        reverse("comment_create"), {"target_type": "goal", "target_id": goal.pk, "body": "Plain"}
    )
    comment = Comment.objects.for_org(owner.organization).get()
    assert response["Location"] == reverse("goal_detail", args=[goal.pk]) + f"#comment-{comment.pk}"


def test_comment_on_another_organizations_goal_is_404(owner, other_owner, cycle, login):
    from charter.goals.tests.factories import make_cycle

    foreign = make_goal(other_owner, make_cycle(other_owner))
    response = login(owner).post(
        reverse("comment_create"), {"target_type": "goal", "target_id": foreign.pk, "body": "Hi"}
    )
    assert response.status_code == 404
    assert not Comment.objects.unscoped().exists()


def test_edit_and_delete(owner, goal, login):
    comment = comment_add(actor=owner, target_type="goal", target_id=goal.pk, body="First")
    client = login(owner)
    assert "First" in client.get(reverse("comment_edit", args=[comment.pk])).content.decode()
    client.post(reverse("comment_edit", args=[comment.pk]), {"body": "Second"})
    comment.refresh_from_db()
    assert comment.body == "Second"
    response = client.post(reverse("comment_delete", args=[comment.pk]), headers={"HX-Request": "true"})
    assert "This comment was deleted." in response.content.decode()


def test_someone_else_cannot_edit(owner, goal, login):
    comment = comment_add(actor=owner, target_type="goal", target_id=goal.pk, body="Owner's")
    member = make_person(owner, Role.MEMBER)
    response = login(member).post(reverse("comment_edit", args=[comment.pk]), {"body": "Mine now"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Owner's"


def test_mention_autocomplete_lists_members_only(owner, other_owner, login):
    make_person(owner, Role.MEMBER, full_name="Annabel Lee")
    make_person(other_owner, Role.MEMBER, full_name="Annabel Stranger")
    html = login(owner).get(reverse("mention_people") + "?q=anna").content.decode()
    assert "Annabel Lee" in html and "Stranger" not in html
    assert "(user:" in html


def test_key_result_page_shows_its_thread(owner, goal, login):
    kr = make_key_result(owner, goal, "Churn below 3%")
    comment_add(actor=owner, target_type="key_result", target_id=kr.pk, body="KR talk")
    html = login(owner).get(reverse("key_result_comments", args=[kr.pk])).content.decode()
    assert "Churn below 3%" in html and "KR talk" in html
