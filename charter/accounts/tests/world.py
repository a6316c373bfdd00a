"""The sweeps' world: a password reset link of the owner, for the reset page's URL keywords."""

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def add_to_world(world) -> None:
    user = world.owner.user
    world.ids["uidb64"] = urlsafe_base64_encode(force_bytes(user.pk))
    world.ids["token"] = default_token_generator.make_token(user)
