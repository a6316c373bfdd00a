from .selectors import organizations_of


def current_organization(request):
    actor = getattr(request, "actor", None)
    if actor is None:
        return {}
    return {
        "actor": actor,
        "organization": actor.organization,
        "my_organizations": lambda: _my_organizations(actor),
    }


def _my_organizations(actor):
    """The switcher's list. The actor's query counted the person's active organizations: when that is
    one, it is the actor's own (the actor exists only for an active member), so nothing is read."""
    if actor.organization_count == 1:
        return [actor.organization]
    return organizations_of(user=actor.user)
