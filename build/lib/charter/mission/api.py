"""API of the mission: parse, one call, schema out."""

from ninja import Router

from charter.core.api import action

from . import selectors, services
from .schemas import MissionIn, MissionOut

router = Router(tags=["mission"])


@router.get(
    "/mission", response=MissionOut, operation_id="mission_get", openapi_extra=action("organization.view")
)
def mission_get(request):
    """The mission, vision and values; empty (revision 0) while none was written."""
    return selectors.mission_get(actor=request.auth)


@router.put(
    "/mission", response=MissionOut, operation_id="mission_update", openapi_extra=action("mission.edit")
)
def mission_update(request, payload: MissionIn):
    """Replace the mission; each change becomes a revision with its reason."""
    return services.mission_update(actor=request.auth, **payload.model_dump())
