"""What a Slack command or click does, acting as the Charter person the Slack user is linked to: the same
services and permission checks as the web; a refusal is told to the person and nothing changes."""

import logging
import math

from django.db import transaction

from charter.backbriefs import services as backbriefs
from charter.core.errors import DomainError
from charter.delegation import services as delegation
from charter.goals import services as goals
from charter.organizations.selectors import actor_for

from . import blocks, selectors, services, webapi
from .models import SlackInstallation

logger = logging.getLogger(__name__)
NOT_LINKED = (
    "Nobody in {organization} has the email of your Slack profile, so Charter does not know who you are. "
    "Ask an admin to invite that address, or change your Slack email to the one you sign in with."
)
HELP = "`/charter checkin`: this week's check-in on your key results. `/charter brief`: your mission brief."


def person(installation: SlackInstallation, slack_user_id: str):
    """The Charter person of a Slack user: linked before, or found now by the email of their Slack profile."""
    user = selectors.linked_user(installation=installation, slack_user_id=slack_user_id)
    if user is None:
        email = webapi.user_email(installation, slack_user_id)
        user = services.link_by_email(installation=installation, slack_user_id=slack_user_id, email=email)
    return user


def actor_of(installation: SlackInstallation, slack_user_id: str):
    """The actor a Slack user acts as in the installation's organization; None when not (or no longer) one
    of its people."""
    user = slack_user_id and person(installation, slack_user_id)
    return user and actor_for(user=user, organization=installation.organization, via="slack")


def not_linked(installation: SlackInstallation) -> str:
    return NOT_LINKED.format(organization=installation.organization.name)


# ---- buttons ------------------------------------------------------------------------------------------

RESPONSES = {blocks.AGREE: "agree", blocks.DECIDE: "decide"}


def button(installation: SlackInstallation, slack_user_id: str, action_id: str, value: str) -> str:
    """Run a notification's button as the person who clicked it; the sentence to tell them."""
    actor = actor_of(installation, slack_user_id)
    if actor is None:
        return not_linked(installation)
    try:
        object_id = int(value)
    except ValueError:
        return "This button names nothing Charter knows."
    try:
        if action_id in RESPONSES:
            result = delegation.decision_respond(
                actor=actor, decision_id=object_id, action=RESPONSES[action_id]
            )
            return f"“{result.decision.title}”: {result.message}"
        if action_id == blocks.CONFIRM:
            back_brief = backbriefs.back_brief_confirm(actor=actor, back_brief_id=object_id)
            return f"Back-brief on “{back_brief.goal.title}” confirmed: the intent is shared."
    except DomainError as exc:
        return f"Nothing changed: {exc.message}"
    return "This button does nothing (yet)."


# ---- modals -------------------------------------------------------------------------------------------


def _field_errors(exc: DomainError) -> dict[str, str]:
    return {name: " ".join(messages) for name, messages in exc.errors.items()} or {"": exc.message}


def check_in_submit(installation: SlackInstallation, slack_user_id: str, view: dict) -> dict:
    """Record the check-ins of a submitted modal, all or none; Slack's `errors` answer names each block
    whose input was refused (and the modal stays open with the person's input)."""
    shown, given = blocks.check_in_values(view)
    first = blocks.value_block(shown[0]) if shown else "kr_value"
    actor = actor_of(installation, slack_user_id)
    if actor is None:
        return {first: not_linked(installation)}
    errors, entries = {}, []
    for pk, raw in given.items():
        if not raw["value"]:
            continue
        try:
            value = float(raw["value"].replace(",", ""))
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            errors[blocks.value_block(pk)] = (
                f"“{raw['value'][:40]}” is not a number: write one, such as 42 or 3.5."
            )
            continue
        if not raw["confidence"]:
            errors[blocks.confidence_block(pk)] = "Pick your confidence, from 0 (no chance) to 10 (certain)."
            continue
        entries.append((pk, value, int(raw["confidence"]), raw["note"]))
    if errors:
        return errors
    if not entries:
        return {first: "Give a value for at least one key result (or close the window)."}
    with transaction.atomic():
        for pk, value, confidence, note in entries:
            try:
                goals.check_in_record(
                    actor=actor, key_result_id=pk, value=value, confidence=confidence, note=note
                )
            except DomainError as exc:
                where = {"value": blocks.value_block(pk), "confidence": blocks.confidence_block(pk),
                         "note": blocks.note_block(pk)}  # fmt: skip
                for field, message in _field_errors(exc).items():
                    block = where.get(field, blocks.value_block(pk))
                    errors[block] = f"{errors[block]} {message}" if block in errors else message
        if errors:
            transaction.set_rollback(True)
    return errors


def advice_submit(installation: SlackInstallation, slack_user_id: str, view: dict) -> dict:
    """Send the advice typed in the modal; a refusal stays in the modal, under the advice."""
    actor = actor_of(installation, slack_user_id)
    if actor is None:
        return {"advice": not_linked(installation)}
    state = ((view.get("state") or {}).get("values") or {}).get("advice") or {}
    note = ((state.get("advice") or {}).get("value") or "").strip()
    try:
        decision_id = int(view.get("private_metadata") or "")
    except ValueError:
        return {"advice": "This window names no decision Charter knows."}
    try:
        delegation.decision_respond(actor=actor, decision_id=decision_id, action="advise", note=note)
    except DomainError as exc:
        return {"advice": cut_message(exc.message)}
    return {}


def cut_message(text: str) -> str:
    return blocks.cut(text, 2000)
