"""Lesson pages, the account card and the API: reachable, same checks, query counts that do not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter.goals.tests.factories import make_goal
from charter.ideas.tests.factories import make_idea
from charter.lessons import rules, services
from charter.organizations.models import Role
from charter.organizations.services import token_create
from charter.organizations.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lesson_pages_walk_a_leader_from_start_to_the_next_step(owner, cycle, login):
    client = login(owner)
    listing = client.get(reverse("lesson_list")).content.decode()
    for lesson in rules.LESSONS.values():
        assert lesson.title in listing
    assert reverse("lesson_progress") in listing
    assert reverse("lesson_list") in client.get(reverse("help")).content.decode()

    page = client.get(reverse("lesson_detail", args=["innovation"])).content.decode()
    assert "Start the exercise" in page and "Ideas die of silence" in page
    response = client.post(reverse("lesson_start", args=["innovation"]), follow=True)
    assert "Exercise started" in response.content.decode()
    assert "Ask your team for ideas" in response.content.decode()
    response = client.post(reverse("lesson_check", args=["innovation"]), follow=True)
    assert "Not yet." in response.content.decode()
    account = client.get(reverse("account")).content.decode()
    assert "Your lessons" in account and "Exercise started" in account


def test_unknown_lesson_is_404_and_a_viewer_cannot_start(owner, login, client):
    assert login(owner).get(reverse("lesson_detail", args=["juggling"])).status_code == 404
    viewer = make_person(owner, Role.VIEWER)
    client = login(viewer)
    page = client.get(reverse("lesson_detail", args=["delegation"])).content.decode()
    assert "Your role reads the lessons" in page
    assert client.post(reverse("lesson_start", args=["delegation"])).status_code == 403
    assert client.get(reverse("lesson_progress")).status_code == 403


def test_query_counts_do_not_grow_with_people_or_ideas(owner, cycle, login, django_assert_num_queries):
    client = login(owner)
    goal = make_goal(owner, cycle, "Faster onboarding")
    services.lesson_start(actor=owner, key="innovation")
    people = [make_person(owner, Role.MEMBER) for _ in range(2)]
    for person in people:
        services.lesson_start(actor=person, key="delegation")
        make_idea(person, "An idea", goal_ids=[goal.pk])
    urls = [
        reverse("lesson_list"),
        reverse("lesson_progress"),
        reverse("lesson_detail", args=["innovation"]),
        reverse("account"),
    ]
    for url in urls:  # the first request of a session reads more (the session, the actor)
        client.get(url)
    counts = {url: _count(client, url) for url in urls}
    for _ in range(8):
        person = make_person(owner, Role.MEMBER)
        services.lesson_start(actor=person, key="communication")
        make_idea(person, "Another idea", goal_ids=[goal.pk])
    for url in urls:
        with django_assert_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_api_lists_starts_checks_and_shows_progress_to_admins(client, owner, other_owner, cycle):
    headers = {"Authorization": f"Bearer {token_create(actor=owner, name='t')[1]}"}
    listed = client.get("/api/v1/lessons", headers=headers).json()
    assert [item["key"] for item in listed] == list(rules.LESSONS)
    assert listed[0]["started_at"] is None
    started = client.post("/api/v1/lessons/communication/start", headers=headers).json()
    assert started["started_at"] and started["completed_at"] is None
    checked = client.post("/api/v1/lessons/communication/check", headers=headers).json()
    assert checked["done"] is False and "back-brief" in checked["to_do"]
    assert client.post("/api/v1/lessons/juggling/check", headers=headers).status_code == 404
    progress = client.get("/api/v1/lessons/progress", headers=headers).json()
    assert [row["name"] for row in progress] == [owner.user.full_name]
    assert progress[0]["lessons"] == dict.fromkeys(rules.LESSONS)

    member = make_person(owner, Role.MEMBER)
    member_headers = {"Authorization": f"Bearer {token_create(actor=member, name='m')[1]}"}
    assert client.get("/api/v1/lessons/progress", headers=member_headers).status_code == 403
