"""The sweeps' world gets a SCIM token (the settings page's revoke route names one)."""

from charter.organizations.services import scim_token_create


def add_to_world(world):
    token, _ = scim_token_create(actor=world.owner, name="Sweep IdP")
    world.ids["scim_token_id"] = token.pk
