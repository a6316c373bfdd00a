"""The sweeps' world gets a pending invitation (its id, and the token of its link)."""

from charter.organizations.services import invitation_create


def add_to_world(world) -> None:
    slug = world.owner.organization.slug
    (invitation, link), *_ = invitation_create(
        actor=world.owner, emails=[f"invitee@{slug}.example"], role="member"
    ).sent
    world.ids["invitation_id"] = invitation.pk
    world.ids["invitation_token"] = link.rstrip("/").rsplit("/", 1)[-1]
    world.ids["organization_slug"] = slug
