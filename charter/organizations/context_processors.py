from .selectors import organizations_of


def current_organization(request):
    actor = getattr(request, "actor", None)
    if actor is None:
        return {}
    return {
        "actor": actor,
        "organization": actor.organization,
        "my_organizations": lambda: organizations_of(user=actor.user),
    }
