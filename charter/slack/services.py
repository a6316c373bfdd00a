"""Writes of the Slack app: the installation an owner or admin enters, and the links found by email."""

import re

from django.db import IntegrityError, transaction

from charter.core.actor import Actor
from charter.core.audit import audit, changed_fields
from charter.core.errors import ValidationError
from charter.notifications.services import system_actor

from . import selectors
from .models import SlackInstallation, SlackLink

TEAM_ID = re.compile(r"^[TE][A-Z0-9]{2,31}$")
SECRET = re.compile(r"^[A-Za-z0-9]{16,128}$")


def _errors(team_id: str, bot_token: str, signing_secret: str, *, new: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not TEAM_ID.match(team_id):
        errors["team_id"] = ["The workspace id starts with T (or E for Enterprise Grid), such as T0123ABCD."]
    bad_token = (
        not bot_token.startswith("xoxb-") or len(bot_token) > 255 or any(c.isspace() for c in bot_token)
    )
    if (bot_token or new) and bad_token:
        errors["bot_token"] = ["The bot token starts with xoxb- (OAuth & Permissions in the app's settings)."]
    if (signing_secret or new) and not SECRET.match(signing_secret):
        errors["signing_secret"] = ["The signing secret is 16 to 128 letters and digits (Basic Information)."]
    return errors


def installation_save(
    *, actor: Actor, team_id: str, bot_token: str = "", signing_secret: str = "", is_active: bool = True
) -> SlackInstallation:
    """Enter or change the organization's Slack installation; a blank token or secret keeps the stored one.
    The secrets are encrypted at rest and never written to the audit trail (only that they changed)."""
    actor.require("slack.manage")
    team_id, bot_token, signing_secret = team_id.strip().upper(), bot_token.strip(), signing_secret.strip()
    with transaction.atomic():
        installation = SlackInstallation.objects.for_org(actor.organization).select_for_update().first()
        errors = _errors(team_id, bot_token, signing_secret, new=installation is None)
        taken = SlackInstallation.objects.unscoped().filter(team_id=team_id)
        if installation is not None:
            taken = taken.exclude(pk=installation.pk)
        if "team_id" not in errors and taken.exists():
            errors["team_id"] = ["This Slack workspace is connected to another organization."]
        if errors:
            raise ValidationError("The Slack settings are not valid.", errors=errors)
        created, old_team = installation is None, installation and installation.team_id
        if created:
            installation = SlackInstallation(organization=actor.organization)
            changes = {
                "team_id": team_id,
                "is_active": is_active,
                "bot_token": "set",
                "signing_secret": "set",
            }
        else:
            changes = changed_fields(installation, {"team_id": team_id, "is_active": is_active})
            for name, value in (("bot_token", bot_token), ("signing_secret", signing_secret)):
                if value and value != getattr(installation, name):
                    changes[name] = "changed"
        if old_team and old_team != team_id:  # another workspace: its people are other people
            SlackLink.objects.for_org(actor.organization).delete()
        installation.team_id, installation.is_active = team_id, is_active
        installation.bot_token = bot_token or installation.bot_token
        installation.signing_secret = signing_secret or installation.signing_secret
        if changes:
            installation.save()
            audit(actor, "slack.install" if created else "slack.update", installation, changes)
    return installation


def link_by_email(*, installation: SlackInstallation, slack_user_id: str, email: str):
    """Link a Slack user of the workspace to the active member of the organization with the same email;
    returns the person, or None when nobody of the organization has that email."""
    user = selectors.member_by_email(organization_id=installation.organization_id, email=email)
    if user is None:
        return None
    actor = system_actor(installation.organization, user_id=user.pk)
    try:
        with transaction.atomic():
            links = SlackLink.objects.for_org(installation.organization_id)
            links.filter(user_id=user.pk).exclude(slack_user_id=slack_user_id).delete()
            link, created = links.get_or_create(
                organization_id=installation.organization_id,
                slack_user_id=slack_user_id,
                defaults={"user": user},
            )
            if link.user_id != user.pk:  # the Slack user's email now names another person
                link.user = user
                link.save(update_fields=["user"])
                created = True
            if created:
                audit(actor, "slack.link", link, {"slack_user_id": slack_user_id, "user_id": user.pk})
    except IntegrityError:  # two requests of the same person at once: the other one linked them
        pass
    return user
