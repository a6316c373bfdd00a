"""The goal page reads in five queries whatever it shows: every panel of its "goal.detail" slot reads with the
goal's own query (`core.panels.register_read`), so more comments, decisions, ideas, metrics, revisions, key
results, check-ins or a back-brief with its history add rows, never queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter.backbriefs.models import BackBrief
from charter.backbriefs.services import back_brief_request_clarification, back_brief_submit
from charter.delegation.tests.factories import make_domain, record
from charter.discussion.services import comment_add
from charter.goals.services import check_in_record, goal_update
from charter.goals.tests.factories import make_key_result
from charter.ideas.services import idea_create, idea_vote
from charter.metrics.services import metric_create, metric_value_record, source_create
from charter.organizations.models import Role, Team, User
from tests.world import build_world

# The session, then the user with the actor; the goal with its cycle, team, owner, mission statement,
# check-ins and every panel's reads; its key results; its chain of parents, children and supporting goals.
GOAL_PAGE_QUERIES = 5


def _get(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _grow(world, goal_id: int, n: int, start: int) -> None:
    """`n` more of everything the goal page shows, linked to the goal."""
    owner, member, leader = world.owner, world.actors[Role.MEMBER], world.actors[Role.LEADER]
    team = Team.objects.for_org(owner.organization).get(pk=world.ids["team_id"])
    domain = make_domain(owner, f"Domain {start}")
    for i in range(start, start + n):
        kr = make_key_result(owner, _goal(owner, goal_id), f"Result {i}")
        check_in_record(actor=owner, key_result_id=kr.pk, value=i, confidence=6, note=f"Note {i}")
        comment_add(actor=member, target_type="goal", target_id=goal_id, body=f"Comment {i}")
        comment_add(actor=member, target_type="key_result", target_id=kr.pk, body=f"On result {i}")
        record(owner, team, domain, f"Decision {i}", goal_ids=[goal_id])
        idea = idea_create(actor=member, title=f"Idea {i}", description="Try it.", goal_ids=[goal_id])
        idea_vote(actor=leader, idea_id=idea.pk)
        metric = metric_create(actor=leader, name=f"Metric {i}", unit="%", goal_ids=[goal_id])
        metric_value_record(actor=leader, metric_id=metric.pk, value=i)
        source_create(actor=leader, name=f"Feed {i}", kind="inbound", key_result_id=kr.pk)
        goal_update(actor=owner, goal_id=goal_id, reason=f"Reason {i}", description=f"Described {i}")


def _goal(owner, goal_id):
    from charter.goals.selectors import goal_get

    return goal_get(actor=owner, goal_id=goal_id, with_links=False)


@pytest.mark.django_db(transaction=False)
def test_the_goal_page_reads_in_five_queries_whatever_it_shows():
    world = build_world("Acme")
    owner = world.owner
    back_brief = BackBrief.objects.for_org(owner.organization).get(pk=world.ids["back_brief_id"])
    client = Client()
    client.force_login(User.objects.get(pk=owner.user_id))
    url = reverse("goal_detail", args=[back_brief.goal_id])
    client.get(url)  # the first request after signing in saves the session
    count, html = _get(client, url)
    assert count == GOAL_PAGE_QUERIES
    assert 'id="back-brief"' in html and "lint-findings" in html

    _grow(world, back_brief.goal_id, 3, 1)
    back_brief_request_clarification(actor=owner, back_brief_id=back_brief.pk, message="Which inbox?")
    count, html = _get(client, url)
    assert count == GOAL_PAGE_QUERIES
    for shown in (
        "Result 3",
        "Note 3",
        "Comment 3",
        "Decision 3",
        "Idea 3",
        "Metric 3",
        "Feed 3",
        "Reason 3",
    ):
        assert shown in html
    assert "1 comment" in html and "Which inbox?" in html

    _grow(world, back_brief.goal_id, 3, 4)
    writer = BackBrief.objects.for_org(owner.organization).get(pk=back_brief.pk).submitted_by
    back_brief_submit(
        actor=_actor(writer, owner),
        back_brief_id=back_brief.pk,
        intent="Again.",
        plan="A rota.",
        concerns="None.",
        needs="Time.",
    )
    count, html = _get(client, url)
    assert count == GOAL_PAGE_QUERIES
    assert "Idea 6" in html and "Reason 6" in html and "History (4)" in html


def _actor(user, owner):
    from charter.organizations.actors import actor_for

    return actor_for(user=user, organization=owner.organization)
