"""Reads of the Slack installation and of who is who between Slack and Charter."""

from charter.core.actor import Actor
from charter.organizations.models import Membership

from .models import SlackInstallation, SlackLink


def installation_get(*, actor: Actor) -> SlackInstallation | None:
    """The organization's installation for its settings page; None before one is entered."""
    actor.require("slack.manage")
    return SlackInstallation.objects.for_org(actor.organization).first()


def installation_for_team(*, team_id: str) -> SlackInstallation | None:
    """The active installation of a Slack workspace, with its organization: the one door from a request
    that names a workspace to an organization (the request is then checked with its signing secret)."""
    if not team_id:
        return None
    found = SlackInstallation.objects.unscoped().select_related("organization")
    return found.filter(team_id=team_id, is_active=True).first()


def installation_of(*, organization_id: int) -> SlackInstallation | None:
    """An organization's active installation (for what Charter posts)."""
    found = SlackInstallation.objects.for_org(organization_id).select_related("organization")
    return found.filter(is_active=True).first()


def linked_user(*, installation: SlackInstallation, slack_user_id: str):
    """The Charter person a Slack user of this workspace is linked to, while still an active member."""
    link = (
        SlackLink.objects.for_org(installation.organization_id)
        .select_related("user")
        .filter(slack_user_id=slack_user_id, user__is_active=True)
        .first()
    )
    if link is None or not _is_member(installation.organization_id, link.user_id):
        return None
    return link.user


def slack_ids(*, organization_id: int, user_ids) -> dict[int, str]:
    """{person: Slack user id} for the people of `user_ids` who are linked."""
    links = SlackLink.objects.for_org(organization_id).filter(user_id__in=list(user_ids))
    return dict(links.values_list("user_id", "slack_user_id"))


def member_by_email(*, organization_id: int, email: str):
    """The active member of the organization with this email (case aside), or None."""
    if not email:
        return None
    membership = (
        Membership.objects.for_org(organization_id)
        .select_related("user")
        .filter(is_active=True, user__is_active=True, user__kind="person", user__email__iexact=email.strip())
        .first()
    )
    return membership and membership.user


def _is_member(organization_id: int, user_id: int) -> bool:
    return Membership.objects.for_org(organization_id).filter(user_id=user_id, is_active=True).exists()
