"""Finding 10 of issue 15: a notification carried a URL but no object type and id.

Every caller of `notifications.services.notify` is driven here through its own service, and each row it
writes must name its object; the inbox API, the inbox page and the webhook payload carry them.
"""

import json
from types import SimpleNamespace

import pytest

from charter.backbriefs.tests.factories import make_given
from charter.delegation.tests.factories import make_cast, record, set_level
from charter.discussion.services import comment_add
from charter.goals.tests.factories import make_goal
from charter.ideas.services import idea_move
from charter.ideas.tests.factories import make_idea
from charter.notifications import delivery
from charter.notifications.delivery import DISABLE_AFTER
from charter.notifications.models import Notification, WebhookDelivery
from charter.notifications.tasks import goal_at_risk_notify
from charter.notifications.webhooks import webhook_create, webhook_test
from charter.organizations.models import Role
from charter.organizations.services import token_create
from charter.organizations.tests.factories import make_person, make_team


def _objects(owner, event):
    rows = Notification.objects.for_org(owner.organization).filter(event=event)
    return set(rows.values_list("object_type", "object_id"))


def test_a_decision_notification_names_the_decision(owner):
    cast = make_cast(owner)
    set_level(cast.owner, cast.product, cast.domain, 3)
    decision = record(cast.bob, cast.product, cast.domain, "Raise prices").decision
    assert _objects(owner, "decision.needs_you") == {("decision", decision.pk)}


def test_a_back_brief_notification_names_the_back_brief(owner, cycle):
    given = make_given(owner, cycle)
    assert _objects(owner, "back_brief.requested") == {("back_brief", given.back_brief.pk)}


def test_a_mention_names_the_comment(owner, cycle):
    ana = make_person(owner, Role.MEMBER, full_name="Ana")
    goal = make_goal(owner, cycle, "Grow")
    comment = comment_add(
        actor=owner, target_type="goal", target_id=goal.pk, body=f"@[Ana](user:{ana.user_id}) look"
    )
    assert _objects(owner, "mention") == {("comment", comment.pk)}


def test_an_adopted_idea_names_the_idea(owner, cycle):
    author = make_person(owner, Role.MEMBER)
    idea = make_idea(author)
    goal = make_goal(owner, cycle, "Grow")
    idea_move(actor=owner, idea_id=idea.pk, to_status="adopted", reason="Yes", adopted_goal_id=goal.pk)
    assert _objects(owner, "idea.adopted") == {("idea", idea.pk)}


def test_a_goal_at_risk_names_the_goal(owner):
    team = make_team(owner, "Growth")
    make_person(owner, team=team, is_lead=True)
    context = SimpleNamespace(task_result=SimpleNamespace(id="t-1"))
    goal_at_risk_notify.func(
        context,
        organization_id=owner.organization_id,
        actor_id=owner.user_id,
        owner_id=owner.user_id,
        team_id=team.pk,
        title="Grow is off track",
        url="/goals/7/",
        goal_id=7,
    )
    assert _objects(owner, "goal.at_risk") == {("goal", 7)}


def test_a_disabled_webhook_names_the_webhook(owner):
    make_person(owner, Role.ADMIN)
    hook = webhook_create(
        actor=owner, name="Dead", url="http://127.0.0.1:9/x", events=["*"], allow_private=True
    )
    for _ in range(DISABLE_AFTER):
        delivery.deliver(webhook_test(actor=owner, webhook_id=hook.pk).pk)
    assert _objects(owner, "webhook.disabled") == {("webhook", hook.pk)}


def test_the_api_the_inbox_page_and_the_webhook_carry_the_object(
    client, owner, login, django_capture_on_commit_callbacks
):
    cast = make_cast(owner)
    set_level(cast.owner, cast.product, cast.domain, 3)
    hook = webhook_create(
        actor=owner, name="All", url="http://127.0.0.1:9/x", events=["*"], allow_private=True
    )
    decision = record(cast.bob, cast.product, cast.domain, "Raise prices").decision
    headers = {"Authorization": f"Bearer {token_create(actor=cast.ana, name='t')[1]}"}
    (item,) = client.get("/api/v1/notifications", headers=headers).json()["items"]
    assert (item["object_type"], item["object_id"]) == ("decision", decision.pk)

    page = login(cast.ana).get("/notifications/").content.decode()
    assert f'data-object-type="decision" data-object-id="{decision.pk}"' in page

    payload = WebhookDelivery.objects.for_org(owner.organization).get(webhook=hook).payload
    assert payload["event"]["object"] == {"type": "decision", "id": decision.pk}
    json.dumps(payload)  # stored as JSON, sent as is


def test_notify_takes_the_type_and_the_id_together(owner):
    from charter.notifications.services import notify

    with pytest.raises(ValueError):
        notify(actor=owner, event="mention", recipient_ids=[], title="x", object_type="goal")
