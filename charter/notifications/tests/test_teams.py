"""Microsoft Teams webhooks: the Adaptive Card of each event, checked, and delivered to a local server."""

import hashlib
import hmac
import json

import pytest
from django.conf import settings
from django.urls import reverse

from charter.core.errors import ValidationError
from charter.notifications import cards, catalog, delivery
from charter.notifications.models import Webhook, WebhookDelivery
from charter.notifications.services import notify
from charter.notifications.webhooks import webhook_create, webhook_test, webhook_update
from charter.organizations.models import Role
from charter.organizations.services import token_create
from charter.organizations.tests.factories import make_person

from .adaptive_card import card_problems, message_problems


def _card(message):
    return message["attachments"][0]["content"]


def _buttons(card):
    return {a["title"]: a["url"] for a in card["actions"]}


@pytest.mark.parametrize("event", [e.code for e in catalog.WEBHOOK_EVENTS])
def test_every_events_card_is_a_valid_adaptive_card_with_the_emails_links(event):
    message = cards.teams_message(
        event=event,
        title="Pick a *vendor* <at>everyone</at>",
        link=f"{settings.CHARTER_BASE_URL}/decisions/7/",
        body="Line one\nline two",
        facts=[("Organization", "Acme"), ("By", "Ada"), ("Empty", "")],
    )
    assert message_problems(message) == []
    card = _card(message)
    assert card["body"][0]["text"] == catalog.label(event)
    assert card["body"][1]["text"] == "Pick a \\*vendor\\* <at>everyone</at>"  # Markdown marks stay text
    assert card["body"][3]["facts"] == [
        {"title": "Organization", "value": "Acme"},
        {"title": "By", "value": "Ada"},
    ]
    # The email's links: the thing itself, the inbox, the choice of emails.
    base = settings.CHARTER_BASE_URL
    assert _buttons(card) == {
        "Open in Charter": f"{base}/decisions/7/",
        "Your inbox": base + reverse("notification_list"),
        "Choose your notifications": base + reverse("notification_preferences"),
    }


def test_the_checker_finds_what_a_card_gets_wrong():
    good = cards.teams_message(event="mention", title="T", link="", body="", facts=[])
    assert message_problems(good) == [] and "FactSet" not in json.dumps(good)
    bad = _card(json.loads(json.dumps(good)))
    bad["version"] = "1.2"
    bad["body"][0]["size"] = "Huge"
    bad["body"].append({"type": "FactSet", "facts": [{"title": "x"}]})
    bad["actions"].append({"type": "Action.OpenUrl", "title": "rel", "url": "/relative"})
    bad["bodyy"] = []
    problems = card_problems(bad)
    assert any(p.startswith("card.version") for p in problems)
    assert any("card.body[0].size" in p for p in problems)
    assert any("card.body[2].facts[0]" in p for p in problems)
    assert any("card.actions[2].url" in p for p in problems)
    assert any("card.bodyy" in p for p in problems)
    assert message_problems({"type": "message", "attachments": []}) != []


def test_a_teams_card_is_delivered_signed_to_a_local_server(
    owner, endpoint, django_capture_on_commit_callbacks
):
    teams = webhook_create(
        actor=owner,
        name="Teams",
        url=endpoint.url,
        events=["decision.needs_you"],
        allow_private=True,
        format="teams",
    )
    assert teams.format == "teams"
    member = make_person(owner, Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            actor=owner,
            event="decision.needs_you",
            recipient_ids=[member.user_id],
            title="Pick a vendor",
            url="/decisions/7/",
            body="Advice by Friday",
            object_type="decision",
            object_id=7,
        )
    (request,) = endpoint.requests
    headers, body = request["headers"], request["body"]
    expected = hmac.new(
        teams.secret.encode(), headers["X-Charter-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Charter-Signature"] == f"sha256={expected}"
    assert headers["Content-Type"] == "application/json"
    message = json.loads(body)
    assert message_problems(message) == []
    card = _card(message)
    texts = [b.get("text") for b in card["body"]]
    assert texts[:3] == ["Decision needs you", "Pick a vendor", "Advice by Friday"]
    facts = {f["title"]: f["value"] for f in card["body"][3]["facts"]}
    assert facts["Organization"] == owner.organization.name and facts["About"] == "decision 7"
    assert _buttons(card)["Open in Charter"] == f"{settings.CHARTER_BASE_URL}/decisions/7/"
    d = WebhookDelivery.objects.for_org(owner.organization).get()
    assert d.status == "succeeded" and d.payload == message


def test_teams_and_charter_hooks_each_get_their_format_and_retries_keep_it(
    owner, endpoint, django_capture_on_commit_callbacks
):
    for name, fmt in (("Plain", "charter"), ("Teams", "teams")):
        webhook_create(actor=owner, name=name, url=endpoint.url, events=["*"], allow_private=True, format=fmt)
    endpoint.codes = [503, 503]
    with django_capture_on_commit_callbacks(execute=True):
        notify(actor=owner, event="mention", recipient_ids=[make_person(owner).user_id], title="Hi")
    for d in WebhookDelivery.objects.for_org(owner.organization).filter(status="retrying"):
        assert delivery.deliver(d.pk) == "succeeded"
    bodies = [json.loads(r["body"]) for r in endpoint.requests]
    assert len(bodies) == 4
    kinds = sorted("teams" if b.get("type") == "message" else "charter" for b in bodies)
    assert kinds == ["charter", "charter", "teams", "teams"]
    assert all(message_problems(b) == [] for b in bodies if b.get("type") == "message")


def test_a_test_delivery_of_a_teams_hook_is_a_card(owner, endpoint):
    hook = webhook_create(
        actor=owner, name="T", url=endpoint.url, events=[], allow_private=True, format="teams"
    )
    d = webhook_test(actor=owner, webhook_id=hook.pk)
    assert delivery.deliver(d.pk) == "succeeded"
    message = json.loads(endpoint.requests[0]["body"])
    assert message_problems(message) == []
    assert _card(message)["body"][1]["text"] == "Test of the webhook T"


def test_an_unknown_format_is_a_field_error(owner):
    with pytest.raises(ValidationError) as caught:
        webhook_create(actor=owner, name="X", url="https://hooks.example.com/x", events=[], format="xml")
    assert "format" in caught.value.errors
    hook = webhook_create(actor=owner, name="X", url="https://hooks.example.com/x", events=[])
    assert webhook_update(actor=owner, webhook_id=hook.pk, format="teams").format == "teams"


def test_format_through_the_form_and_the_api(client, owner, login):
    web = login(owner)
    answer = web.post(
        reverse("webhook_create"),
        {
            "name": "Teams",
            "url": "https://example.webhook.office.com/x",
            "format": "teams",
            "is_active": "on",
        },
    )
    assert answer.status_code == 302
    assert Webhook.objects.for_org(owner.organization).get().format == "teams"
    page = web.get(reverse("webhook_edit", args=[Webhook.objects.for_org(owner.organization).get().pk]))
    assert b'value="teams" selected' in page.content
    bearer = {"Authorization": f"Bearer {token_create(actor=owner, name='t')[1]}"}
    body = {"name": "Flow", "url": "https://prod.westeurope.logic.azure.com/x", "format": "teams"}
    made = client.post("/api/v1/webhooks", json.dumps(body), content_type="application/json", headers=bearer)
    assert made.status_code == 201 and made.json()["format"] == "teams"
    body["format"] = "xml"
    refused = client.post(
        "/api/v1/webhooks", json.dumps(body), content_type="application/json", headers=bearer
    )
    assert refused.status_code == 422
