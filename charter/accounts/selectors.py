"""Reads of the account flows that come before a session (so before any actor)."""

from charter.organizations.models import Membership, Organization, Role, User

from .models import SingleSignOn


def pending_two_factor_user(user_id) -> User | None:
    """The person whose password was right and whose code is due; None when they can no longer sign in
    or no longer have two-factor."""
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id, is_active=True, two_factor=True, kind=User.Kind.PERSON).first()


# ---- single sign-on (ADR 25) ----------------------------------------------------------------------


def global_provider():
    """The installation's provider from CHARTER_OIDC_*, or None when it is not configured."""
    from django.conf import settings

    from .oidc import Provider

    if not (settings.CHARTER_OIDC_ISSUER and settings.CHARTER_OIDC_CLIENT_ID):
        return None
    return Provider(
        name=settings.CHARTER_OIDC_NAME or "single sign-on",
        issuer=settings.CHARTER_OIDC_ISSUER,
        client_id=settings.CHARTER_OIDC_CLIENT_ID,
        client_secret=settings.CHARTER_OIDC_CLIENT_SECRET,
        allow_private=settings.CHARTER_OIDC_ALLOW_PRIVATE,
    )


def sso_settings_of(organization) -> SingleSignOn | None:
    return SingleSignOn.objects.for_org(organization).first()


def organization_provider(organization):
    """The provider an organization's people sign in with: its own, else the installation's, else None."""
    from .oidc import Provider

    own = sso_settings_of(organization)
    if own is not None and own.issuer and own.client_id:
        return Provider(
            name=own.name or organization.name,
            issuer=own.issuer,
            client_id=own.client_id,
            client_secret=own.client_secret,
            allow_private=own.allow_private,
            organization_id=organization.pk,
        )
    return global_provider()


def organization_by_slug(slug: str) -> Organization | None:
    return Organization.objects.filter(slug=slug).first() if isinstance(slug, str) else None


def provider_for_key(key) -> object | None:
    """The provider a sign-in in progress named: "global", or an organization's id."""
    if key == "global":
        return global_provider()
    if not isinstance(key, int):
        return None
    organization = Organization.objects.filter(pk=key).first()
    provider = organization and organization_provider(organization)
    return provider if provider and provider.organization_id == key else None


def sso_only_refusal(user) -> tuple[str, list]:
    """Why a password may not sign this person in ("" when it may), and the organizations where an owner
    signs in with a password although the organization asks for single sign-on only (break-glass).
    SSO-only counts only while the organization has a provider (its own, or the installation's): when the
    installation's is removed, passwords work again rather than lock everyone out."""
    sso_only = SingleSignOn.objects.unscoped().filter(sso_only=True)
    if global_provider() is None:
        sso_only = sso_only.exclude(issuer="")
    rows = list(
        Membership.objects.unscoped()
        .filter(user=user, is_active=True, organization__in=sso_only.values("organization"))
        .select_related("organization")
    )
    blocking = [m.organization.name for m in rows if m.role != Role.OWNER]
    if blocking:
        return (
            f"{', '.join(sorted(blocking))} signs in with single sign-on only: use the “Sign in with …” "
            "button (or the sign-in link your admin shared).",
            [],
        )
    return "", [m.organization for m in rows]
