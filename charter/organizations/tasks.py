"""Background tasks of organizations: the invitation email. Tasks take ids and are safe to run twice."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string

from . import invitations
from .models import Invitation


@task()
def invitation_email_send(invitation_id: int) -> bool:
    """Email the invitation's link (rebuilt from its salt: no secret travels in the task queue).

    Nothing is sent for an invitation no longer pending; a resend changes the salt, so a late run of an
    earlier task sends the current link, never a dead one."""
    invitation = (
        Invitation.objects.unscoped()
        .select_related("organization", "team", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return False
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "inviter": invitation.invited_by,
        "link": invitations.link(invitations.raw_token(invitation.token_salt)),
        "days": settings.CHARTER_INVITATION_DAYS,
    }
    org = invitation.organization.name
    inviter = invitation.invited_by and invitation.invited_by.full_name
    message = EmailMultiAlternatives(
        subject=f"{inviter} invites you to {org} on Charter"
        if inviter
        else f"Your link to join {org} on Charter",
        body=render_to_string("organizations/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
    message.attach_alternative(render_to_string("organizations/email/invitation.html", context), "text/html")
    message.send()
    return True
