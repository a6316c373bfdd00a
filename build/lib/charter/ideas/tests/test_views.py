"""Ideas pages: board, list, idea page, submit, htmx vote, move, goal panel, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter.discussion.services import comment_add
from charter.goals.tests.factories import make_goal
from charter.ideas.models import Idea
from charter.ideas.services import idea_move, idea_vote
from charter.ideas.tests.factories import make_idea
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(owner, cycle):
    return make_goal(owner, cycle, "Reduce churn")


def _grow(owner, voters, goal, ideas: list, until: int) -> None:
    """Ideas with votes, comments and a linked goal, in every status."""
    statuses = ["new", "exploring", "parked", "rejected"]
    while len(ideas) < until:
        i = len(ideas)
        idea = make_idea(owner, f"Idea {i:03}", description="**bold**", goal_ids=[goal.pk])
        for voter in voters[: i % 3 + 1]:
            idea_vote(actor=voter, idea_id=idea.pk)
        comment_add(actor=owner, target_type="idea", target_id=idea.pk, body=f"Comment {i}")
        if statuses[i % 4] != "new":
            idea_move(actor=owner, idea_id=idea.pk, to_status=statuses[i % 4], reason="Sorting")
        ideas.append(idea)


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_ideas(owner, goal, login, django_assert_num_queries):
    client = login(owner)
    voters = [owner, *(make_person(owner, Role.MEMBER) for _ in range(2))]
    ideas: list = []
    _grow(owner, voters, goal, ideas, 10)
    urls = [
        reverse("idea_board"),
        reverse("idea_board") + f"?goal={goal.pk}",
        reverse("idea_list"),
        reverse("idea_list") + f"?status=exploring&goal={goal.pk}&sort=newest",
        reverse("goal_detail", args=[goal.pk]),
    ]
    counts = {url: _count(client, url) for url in urls}
    _grow(owner, voters, goal, ideas, 100)
    for url in urls:
        with django_assert_num_queries(counts[url]):
            assert client.get(url).status_code == 200
    assert "Idea 099" in client.get(reverse("idea_list")).content.decode()


def test_board_shows_columns_cards_votes_and_comment_counts(owner, goal, login):
    idea = make_idea(owner, "Checklist", goal_ids=[goal.pk])
    idea_vote(actor=owner, idea_id=idea.pk)
    comment_add(actor=owner, target_type="idea", target_id=idea.pk, body="Yes")
    html = login(owner).get(reverse("idea_board")).content.decode()
    for label in ("New", "Exploring", "Adopted", "Parked", "Rejected"):
        assert label in html
    assert "Checklist" in html and "1 comment" in html and 'aria-pressed="true"' in html


def test_list_sorts_by_newest(owner, login):
    make_idea(owner, "First")
    make_idea(owner, "Second")
    html = login(owner).get(reverse("idea_list") + "?sort=newest").content.decode()
    assert html.index("Second") < html.index("First")


def test_htmx_vote_toggles_and_returns_the_button(owner, login):
    idea = make_idea(owner)
    client = login(make_person(owner, Role.MEMBER))
    url = reverse("idea_vote", args=[idea.pk])
    first = client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert 'aria-pressed="true"' in first and "</span> 1<span" in first.replace("\n", "").replace("  ", "")
    second = client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert 'aria-pressed="false"' in second


def test_submit_form_errors_and_success(owner, goal, login):
    client = login(owner)
    assert "Reduce churn" in client.get(reverse("idea_create") + f"?goal={goal.pk}").content.decode()
    bad = client.post(reverse("idea_create"), {"title": "", "goal_ids": [goal.pk]})
    assert bad.status_code == 200 and "required" in bad.content.decode()
    response = client.post(reverse("idea_create"), {"title": "Checklist", "goal_ids": [goal.pk]})
    idea = Idea.objects.for_org(owner.organization).get()
    assert response["Location"] == reverse("idea_detail", args=[idea.pk])


def test_idea_page_renders_markdown_safely_with_history_and_comments(owner, login):
    idea = make_idea(owner, description="**Bold** <script>alert(1)</script> [x](javascript:alert(1))")
    idea_move(actor=owner, idea_id=idea.pk, to_status="exploring", reason="Let us look")
    html = login(owner).get(reverse("idea_detail", args=[idea.pk])).content.decode()
    assert "<strong>Bold</strong>" in html and "<script>alert" not in html and 'href="javascript' not in html
    assert "Let us look" in html and "New → Exploring" in html
    assert 'id="comments-idea-' in html


def test_move_form_adopts_into_a_goal(owner, goal, login):
    idea = make_idea(owner)
    client = login(owner)
    url = reverse("idea_move", args=[idea.pk])
    missing = client.post(url, {"to_status": "adopted", "reason": "Yes"})
    assert "which goal or key result" in missing.content.decode()
    client.post(url, {"to_status": "adopted", "reason": "Yes", "adopted_goal_id": goal.pk})
    idea.refresh_from_db()
    assert idea.status == "adopted" and idea.adopted_goal_id == goal.pk
    page = client.get(reverse("goal_detail", args=[goal.pk])).content.decode()
    assert idea.title in page


def test_foreign_idea_is_404(owner, other_owner, login):
    idea = make_idea(other_owner)
    client = login(owner)
    assert client.get(reverse("idea_detail", args=[idea.pk])).status_code == 404
    assert client.post(reverse("idea_vote", args=[idea.pk])).status_code == 404


def test_edit_page_saves_and_refuses_others_inside_a_200(owner, login):
    author = make_person(owner, Role.MEMBER)
    idea = make_idea(author, "Draft")
    client = login(author)
    client.post(reverse("idea_edit", args=[idea.pk]), {"title": "Better", "description": "x"})
    idea.refresh_from_db()
    assert idea.title == "Better"
    other = login(make_person(owner, Role.MEMBER))
    page = other.get(reverse("idea_edit", args=[idea.pk]))
    assert page.status_code == 200 and "Only its author" in page.content.decode()
