"""Microsoft Teams: a notification as an Adaptive Card in the message envelope Teams webhooks take.

One place builds the card of every event, from the same values as the Charter payload, so the card and
the email link to the same pages: the thing the notification is about, the inbox and the email settings.
Teams incoming webhooks and Workflows ("When a Teams webhook request is received") both accept it.
"""

from django.conf import settings
from django.urls import reverse

from . import catalog

CARD_VERSION = "1.4"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


def _absolute(url: str) -> str:
    return f"{settings.CHARTER_BASE_URL}{url}" if url.startswith("/") else url


def _plain(text: str) -> str:
    """Adaptive Card TextBlocks read a little Markdown: escape its marks so a title stays text."""
    for mark in ("\\", "*", "_", "[", "]", "(", ")", "`", "~"):
        text = text.replace(mark, "\\" + mark)
    return text


def teams_message(
    *, event: str, title: str, link: str, body: str, facts: list[tuple[str, str]], test: bool = False
) -> dict:
    """The `{"type": "message", "attachments": [AdaptiveCard]}` envelope of one event.

    `link` is the absolute address of what the event is about ("" when about nothing); the card's
    buttons are the email's links: open it, the inbox, the choice of emails.
    """
    items: list[dict] = [
        {
            "type": "TextBlock",
            "text": _plain(catalog.label(event)),
            "isSubtle": True,
            "size": "Small",
            "wrap": True,
        },
        {"type": "TextBlock", "text": _plain(title), "weight": "Bolder", "size": "Medium", "wrap": True},
    ]
    if body:
        items.append({"type": "TextBlock", "text": _plain(body), "wrap": True})
    if shown := [{"title": k, "value": _plain(v)} for k, v in facts if v]:
        items.append({"type": "FactSet", "facts": shown})
    actions = []
    if link:
        actions.append({"type": "Action.OpenUrl", "title": "Open in Charter", "url": link})
    if not test:
        actions.append(
            {"type": "Action.OpenUrl", "title": "Your inbox", "url": _absolute(reverse("notification_list"))}
        )
        actions.append(
            {
                "type": "Action.OpenUrl",
                "title": "Choose your notifications",
                "url": _absolute(reverse("notification_preferences")),
            }
        )
    card = {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "body": items,
        "actions": actions,
        "msteams": {"width": "Full"},
    }
    return {
        "type": "message",
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "contentUrl": None, "content": card}],
    }


def from_payload(payload: dict, *, organization_name: str, actor_name: str) -> dict:
    """The Teams message of a Charter payload (`webhooks.build_payload`): the same event, title and link."""
    e = payload["event"]
    facts = [("Organization", organization_name), ("By", actor_name)]
    if e.get("object"):
        facts.append(("About", f"{e['object']['type']} {e['object']['id']}"))
    return teams_message(
        event=e["code"],
        title=e["title"],
        link=e["url"],
        body=e["body"],
        facts=facts,
        test=e["code"] == "webhook.test",
    )
