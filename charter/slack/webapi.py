"""Charter's calls to Slack: the Web API through the official client (its address from
CHARTER_SLACK_API_URL), and the response URLs Slack gives with a command or a click."""

import logging

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from .models import SlackInstallation

logger = logging.getLogger(__name__)
TIMEOUT = 10


def client(installation: SlackInstallation) -> WebClient:
    return WebClient(token=installation.bot_token, base_url=settings.CHARTER_SLACK_API_URL, timeout=TIMEOUT)


def user_email(installation: SlackInstallation, slack_user_id: str) -> str:
    """The email of a Slack user's profile (users:read.email); empty when Slack has none or refuses."""
    try:
        answer = client(installation).users_info(user=slack_user_id)
    except SlackApiError as exc:
        logger.warning("Slack users.info refused for %s: %s", slack_user_id, exc.response.get("error"))
        return ""
    return ((answer.get("user") or {}).get("profile") or {}).get("email") or ""


def user_id_by_email(installation: SlackInstallation, email: str) -> str:
    """The Slack user of the workspace with this email; empty when there is none."""
    try:
        answer = client(installation).users_lookupByEmail(email=email)
    except SlackApiError as exc:
        if exc.response.get("error") != "users_not_found":
            logger.warning("Slack users.lookupByEmail refused: %s", exc.response.get("error"))
        return ""
    return (answer.get("user") or {}).get("id") or ""


def post_direct(installation: SlackInstallation, slack_user_id: str, *, text: str, blocks: list) -> bool:
    """A message to the person's direct conversation with the app."""
    try:
        web = client(installation)
        channel = web.conversations_open(users=slack_user_id)["channel"]["id"]
        web.chat_postMessage(channel=channel, text=text, blocks=blocks)
    except SlackApiError as exc:
        logger.warning("Slack refused a direct message: %s", exc.response.get("error"))
        return False
    return True


def open_view(installation: SlackInstallation, trigger_id: str, view: dict) -> bool:
    try:
        client(installation).views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        logger.warning("Slack refused to open a view: %s", exc.response.get("error"))
        return False
    return True


def respond(
    response_url: str, *, text: str, blocks: list | None = None, replace_original: bool = False
) -> bool:
    """Answer a command or a click through its response URL (only the person sees it)."""
    if not response_url.startswith(settings.CHARTER_SLACK_RESPONSE_URL_PREFIX):
        logger.warning(
            "A Slack response URL outside %s was ignored.", settings.CHARTER_SLACK_RESPONSE_URL_PREFIX
        )
        return False
    answer = WebhookClient(response_url, timeout=TIMEOUT).send(
        text=text, blocks=blocks, response_type="ephemeral", replace_original=replace_original
    )
    return answer.status_code == 200
