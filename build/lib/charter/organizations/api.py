"""API of organizations, teams, people and personal tokens: parse, one call, schema out."""

from ninja import Router
from ninja.pagination import paginate

from charter.core.api import Paginated, action

from . import selectors, services
from .schemas import OrganizationOut, PersonOut, TeamDetailOut, TeamOut, TokenCreatedOut, TokenIn, TokenOut

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
