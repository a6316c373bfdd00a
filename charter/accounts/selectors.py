"""Reads of the account flows that come before a session (so before any actor)."""

from charter.organizations.models import User


def pending_two_factor_user(user_id) -> User | None:
    """The person whose password was right and whose code is due; None when they can no longer sign in
    or no longer have two-factor."""
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id, is_active=True, two_factor=True, kind=User.Kind.PERSON).first()
