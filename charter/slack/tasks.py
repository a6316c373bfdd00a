"""The Slack app's slow work, off the request so Slack gets its answer within three seconds: opening a
modal after reading the person's key results, the brief, answers to clicks, and the direct messages of
notifications. Each task takes ids and plain values."""

import logging

from django.db import transaction
from django.tasks import task

from charter.agents.brief import my_brief
from charter.agents.brief_markdown import brief_markdown
from charter.core.errors import DomainError
from charter.delegation import selectors as delegation
from charter.goals import selectors as goals
from charter.notifications.models import Notification

from . import blocks, handlers, selectors, services, webapi
from .models import SlackInstallation

logger = logging.getLogger(__name__)
# The notifications that come to Slack, each with its buttons (blocks._buttons).
EVENTS = frozenset({"decision.needs_you", "back_brief.submitted", "check_in.due"})


def channel(*, actor, event: str, notifications: list) -> None:
    """The notifications registry's Slack channel: after commit, the worker posts the ones Slack carries."""
    if event not in EVENTS:
        return
    ids = [n.pk for n in notifications]
    transaction.on_commit(lambda: notifications_post.enqueue(notification_ids=ids))


def _installation(installation_id: int) -> SlackInstallation | None:
    found = SlackInstallation.objects.unscoped().select_related("organization")
    return found.filter(pk=installation_id, is_active=True).first()


@task
def notifications_post(notification_ids: list[int]) -> int:
    """Post each notification to its recipient's direct messages, linking people by email on the way
    (users.lookupByEmail); a person with no Slack account of that email gets nothing. Returns how many."""
    rows = list(Notification.objects.unscoped().select_related("recipient").filter(pk__in=notification_ids))
    posted = 0
    for organization_id in sorted({n.organization_id for n in rows}):
        installation = selectors.installation_of(organization_id=organization_id)
        if installation is None:
            continue
        mine = [n for n in rows if n.organization_id == organization_id]
        linked = selectors.slack_ids(organization_id=organization_id, user_ids={n.recipient_id for n in mine})
        for notification in mine:
            slack_user_id = linked.get(notification.recipient_id)
            if slack_user_id is None:
                slack_user_id = webapi.user_id_by_email(installation, notification.recipient.email)
                if not slack_user_id:
                    continue
                user = services.link_by_email(
                    installation=installation, slack_user_id=slack_user_id, email=notification.recipient.email
                )
                if user is None:
                    continue
                linked[notification.recipient_id] = slack_user_id
            text = blocks.cut(notification.title, 3000)
            blocks_ = blocks.notification_blocks(notification)
            posted += webapi.post_direct(installation, slack_user_id, text=text, blocks=blocks_)
    return posted


@task
def command_run(
    installation_id: int, slack_user_id: str, command: str, trigger_id: str, response_url: str
) -> str:
    """`/charter checkin` opens the modal of the person's key results; `/charter brief` answers the brief."""
    installation = _installation(installation_id)
    if installation is None:
        return "no installation"
    actor = handlers.actor_of(installation, slack_user_id)
    if actor is None:
        webapi.respond(response_url, text=handlers.not_linked(installation))
        return "not linked"
    if command == "checkin":
        if not actor.can("check_in.create"):
            webapi.respond(response_url, text=f"Your role ({actor.role}) may not check in.")
            return "refused"
        view = blocks.check_in_view(
            goals.my_key_results(actor=actor), organization=installation.organization.name
        )
        return "opened" if webapi.open_view(installation, trigger_id, view) else "failed"
    if command == "brief":
        try:
            markdown = brief_markdown(my_brief(actor=actor), full=False, ids=False)
        except DomainError as exc:
            webapi.respond(response_url, text=exc.message)
            return "refused"
        webapi.respond(response_url, text="Your mission brief", blocks=blocks.text_blocks(markdown))
        return "brief"
    return "unknown"


@task
def advice_open(
    installation_id: int, slack_user_id: str, decision_id: int, trigger_id: str, response_url: str
) -> str:
    """The Advise button: a modal for the advice (a decision needs it written)."""
    installation = _installation(installation_id)
    actor = installation and handlers.actor_of(installation, slack_user_id)
    if actor is None:
        if installation:
            webapi.respond(response_url, text=handlers.not_linked(installation))
        return "not linked"
    try:
        decision = delegation.decision_get(actor=actor, decision_id=decision_id)
    except DomainError as exc:
        webapi.respond(response_url, text=exc.message)
        return "refused"
    return (
        "opened"
        if webapi.open_view(installation, trigger_id, blocks.advice_view(decision.pk, decision.title))
        else "failed"
    )


@task
def respond(response_url: str, text: str) -> bool:
    """Tell the person who clicked what their click did (or why nothing changed), through the click's
    response URL."""
    return webapi.respond(response_url, text=text)
