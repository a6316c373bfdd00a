"""API of organizations, teams, people and personal tokens: parse, one call, schema out."""

from ninja import Router
from ninja.pagination import paginate

from charter.core.api import Paginated, action

from . import selectors, services
from .schemas import (
    InvitationIn,
    InvitationOut,
    InvitationsCreatedOut,
    InvitationSentOut,
    OrganizationOut,
    PersonOut,
    TeamDetailOut,
    TeamOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)

router = Router(tags=["organizations"])
READ = action("organization.view")


@router.get(
    "/organizations", response=list[OrganizationOut], operation_id="organization_list", openapi_extra=READ
)
@paginate(Paginated)
def organization_list(request):
    """The organizations you belong to."""
    return selectors.organizations_of(user=request.auth.user)


@router.get("/teams", response=list[TeamOut], operation_id="team_list", openapi_extra=READ)
@paginate(Paginated)
def team_list(request):
    return selectors.team_list(actor=request.auth)


@router.get("/teams/{team_id}", response=TeamDetailOut, operation_id="team_get", openapi_extra=READ)
def team_get(request, team_id: int):
    """A team with its members (leads first) and the teams below it."""
    return selectors.team_get(actor=request.auth, team_id=team_id)


@router.get("/people", response=list[PersonOut], operation_id="person_list", openapi_extra=READ)
@paginate(Paginated)
def person_list(request):
    return selectors.person_list(actor=request.auth)


@router.get("/tokens", response=list[TokenOut], operation_id="token_list", openapi_extra=READ)
@paginate(Paginated)
def token_list(request):
    """Your personal tokens in this organization."""
    return selectors.token_list(actor=request.auth)


@router.post(
    "/tokens",
    response={201: TokenCreatedOut},
    operation_id="token_create",
    openapi_extra=action("token.manage"),
)
def token_create(request, payload: TokenIn):
    """A new personal token; its raw value is in this answer only."""
    token, raw = services.token_create(actor=request.auth, name=payload.name, days=payload.days)
    token.token = raw
    return 201, token


@router.delete(
    "/tokens/{token_id}",
    response={204: None},
    operation_id="token_revoke",
    openapi_extra=action("token.manage"),
)
def token_revoke(request, token_id: int):
    services.token_revoke(actor=request.auth, token_id=token_id)
    return 204, None


INVITE = action("people.invite")


def _sent(invitation, link):
    invitation.link = link
    return invitation


@router.get(
    "/invitations", response=list[InvitationOut], operation_id="invitation_list", openapi_extra=INVITE
)
@paginate(Paginated)
def invitation_list(request, pending: bool = False):
    """The organization's invitations, newest first; `pending=true`: only those not accepted nor revoked."""
    return selectors.invitation_list(actor=request.auth, pending_only=pending)


@router.post(
    "/invitations",
    response={201: InvitationsCreatedOut},
    operation_id="invitation_create",
    openapi_extra=INVITE,
)
def invitation_create(request, payload: InvitationIn):
    """Invite one or many addresses: each gets an email with a single-use link, also in this answer
    (only here: it is never stored). A pending invitation of the same address is renewed; members are
    listed in `already_members`."""
    result = services.invitation_create(
        actor=request.auth, emails=payload.emails, role=payload.role, team_id=payload.team_id
    )
    invitations = [_sent(invitation, link) for invitation, link in result.sent]
    return 201, {"invitations": invitations, "already_members": result.already_members}


@router.post(
    "/invitations/{invitation_id}/resend",
    response=InvitationSentOut,
    operation_id="invitation_resend",
    openapi_extra=INVITE,
)
def invitation_resend(request, invitation_id: int):
    """Send a pending or expired invitation again: a new link (the previous one stops working) and a new
    expiry."""
    return _sent(*services.invitation_resend(actor=request.auth, invitation_id=invitation_id))


@router.post(
    "/invitations/{invitation_id}/revoke",
    response=InvitationOut,
    operation_id="invitation_revoke",
    openapi_extra=INVITE,
)
def invitation_revoke(request, invitation_id: int):
    """Withdraw a pending invitation: its link then says it was withdrawn."""
    return services.invitation_revoke(actor=request.auth, invitation_id=invitation_id)
