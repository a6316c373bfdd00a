"""Every write about a person's own account: profile, email, sessions, password reset, two-factor.

The person acts on their own row only, so each write needs `account.manage` (every role has it) and is
audited in the organization the person is working in. The two writes that come before a session
exists (a password set from a reset link, a recovery code spent at sign-in) are audited in every
organization the person is an active member of: the link or the code is the proof of who acts.
"""

import zoneinfo
from base64 import b32encode
from functools import cache

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from charter.core import crypto, outbound
from charter.core.actor import Actor
from charter.core.audit import audit, changed_fields
from charter.core.crypto import audited
from charter.core.errors import ValidationError
from charter.organizations.models import Membership, Organization, Role, User
from charter.organizations.selectors import organizations_of

from .models import SingleSignOn

RECOVERY_CODES = 10
RECOVERY_DEVICE = "Recovery codes"
AUTHENTICATOR_DEVICE = "Authenticator app"


@cache
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def _own_user(actor: Actor) -> User:
    return User.objects.select_for_update().get(pk=actor.user_id)


# ---- profile --------------------------------------------------------------------------------------


def profile_update(*, actor: Actor, full_name: str, time_zone: str) -> User:
    """The person's own name and time zone (an IANA name; empty: the installation's)."""
    actor.require("account.manage")
    errors = {}
    full_name = full_name.strip()
    if not full_name:
        errors["full_name"] = ["Your name cannot be empty: it is how your team sees you."]
    if time_zone and time_zone not in time_zone_names():
        errors["time_zone"] = ["Choose a time zone from the list, e.g. Europe/Paris."]
    if errors:
        raise ValidationError("Your profile was not saved.", errors=errors)
    with transaction.atomic():
        user = _own_user(actor)
        changes = changed_fields(user, {"full_name": full_name, "time_zone": time_zone})
        if changes:
            user.save(update_fields=list(changes))
            audit(actor, "user.profile_update", user, changes)
    return user


def email_change(*, actor: Actor, email: str, password: str) -> User:
    """The person's sign-in address; it takes their current password."""
    actor.require("account.manage")
    email = email.strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationError("Not an email address.", field="email")
    with transaction.atomic():
        user = _own_user(actor)
        if not user.check_password(password):
            raise ValidationError("This is not your current password.", field="password")
        if email == user.email:
            return user
        if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            raise ValidationError("Another account already signs in with this address.", field="email")
        changes = changed_fields(user, {"email": email})
        user.save(update_fields=["email"])
        audit(actor, "user.email_change", user, changes)
    return user


def sign_out_everywhere(*, actor: Actor) -> User:
    """End every session of the person: the session generation is part of the session hash. The caller
    keeps its own session by renewing its hash (`update_session_auth_hash`)."""
    actor.require("account.manage")
    with transaction.atomic():
        user = _own_user(actor)
        user.session_generation += 1
        user.save(update_fields=["session_generation"])
        audit(actor, "user.sign_out_everywhere", user)
    return user


# ---- password reset -------------------------------------------------------------------------------


def _self_actors(user: User, request_id: str) -> list[Actor]:
    """The person in each of their organizations, for the audit of a write done before signing in."""
    return [
        Actor(user=user, organization=org, role="", request_id=request_id, via="web")
        for org in organizations_of(user=user)
    ]


def password_reset_complete(*, user: User, new_password: str, request_id: str = "") -> User:
    """A new password from a reset link (the view checked the link). The new hash ends every session
    and makes the link, and any other one sent before, useless."""
    try:
        validate_password(new_password, user)
    except DjangoValidationError as exc:
        raise ValidationError("Choose another password.", errors={"new_password1": list(exc.messages)})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        for actor in _self_actors(user, request_id):
            audit(actor, "user.password_reset", user)
    return user


# ---- two-factor -----------------------------------------------------------------------------------


def authenticator_secret(device: TOTPDevice) -> str:
    """The device's secret as people type it into an authenticator app: base32, in groups of four."""
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def two_factor_begin(*, actor: Actor) -> TOTPDevice:
    """The person's authenticator waiting for its first code: the one already begun, or a new one."""
    actor.require("account.manage")
    with transaction.atomic():
        user = _own_user(actor)
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_DEVICE, confirmed=False)
            audit(actor, "user.two_factor_begin", user)
    return device


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def two_factor_confirm(*, actor: Actor, code: str) -> list[str]:
    """Turn on two-factor with the first code of the begun authenticator; returns the recovery codes,
    shown once."""
    actor.require("account.manage")
    with transaction.atomic():
        user = _own_user(actor)
        device = (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
        )
        if device is None:
            raise ValidationError("Start again: there is no authenticator waiting for a code.", field="code")
        if not device.verify_token(_normalized(code)):
            raise ValidationError(
                "That code is not right. Type the 6 digits your app shows now.", field="code"
            )
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        user.two_factor = True
        user.save(update_fields=["two_factor"])
        audit(actor, "user.two_factor_enable", user)
    return codes


def recovery_codes_regenerate(*, actor: Actor, password: str) -> list[str]:
    """Ten new recovery codes; the old ones stop working. It takes the current password: a session
    taken over must not be able to mint codes that outlive a password change."""
    actor.require("account.manage")
    with transaction.atomic():
        user = _own_user(actor)
        if not user.two_factor:
            raise ValidationError("Two-factor sign-in is not on: there are no recovery codes to renew.")
        if not user.check_password(password):
            raise ValidationError("This is not your current password.", field="password")
        codes = _new_recovery_codes(user)
        audit(actor, "user.recovery_codes_regenerate", user)
    return codes


def two_factor_disable(*, actor: Actor, password: str = "", code: str = "") -> User:
    """Turn two-factor off; it takes the current password or a code (authenticator or recovery)."""
    actor.require("account.manage")
    with transaction.atomic():
        user = _own_user(actor)
        if not user.two_factor:
            return user
        proven = bool(password) and user.check_password(password)
        if not proven and code:
            proven = _verify(user, code)[0] is not None
        if not proven:
            raise ValidationError(
                "Give your current password or a code from your app to turn two-factor off.",
                field="password",
            )
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        user.two_factor = False
        user.save(update_fields=["two_factor"])
        audit(actor, "user.two_factor_disable", user)
    return user


def _normalized(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _verify(user: User, code: str):
    """(the device that accepted the code, None) or (None, why not). Six digits go to the authenticator,
    anything else to the recovery codes, so a mistyped one never slows the other down. A TOTP code is
    accepted once (django-otp keeps the last used time step); a recovery code is deleted when used."""
    code = _normalized(code)
    is_totp = code.isdigit() and len(code) == 6
    model = TOTPDevice if is_totp else StaticDevice
    device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return None, "That code is not right."
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return None, "Too many wrong codes in a row: wait a few seconds, then type the newest code."
    if device.verify_token(code):
        return device, ""
    if is_totp:
        return None, "That code is not right, or was already used. Type the newest code your app shows."
    return None, "That recovery code is not right, or was already used."


def two_factor_verify(*, user: User, code: str, request_id: str = ""):
    """The second step of signing in: (device, "") when the code is right, else (None, why not). A
    recovery code spent is audited."""
    with transaction.atomic():
        device, reason = _verify(user, code)
        if isinstance(device, StaticDevice):
            left = device.token_set.count()
            for actor in _self_actors(user, request_id):
                audit(actor, "user.recovery_code_use", user, {"codes_left": left})
    return device, reason


# ---- single sign-on (ADR 25) ----------------------------------------------------------------------


def sso_settings_update(
    *,
    actor: Actor,
    name: str = "",
    issuer: str = "",
    client_id: str = "",
    client_secret: str = "",
    allow_private: bool = False,
    sso_only: bool = False,
    join_by_sso: bool = False,
) -> SingleSignOn:
    """An organization's single sign-on settings. An empty secret keeps the stored one (it is never shown
    again); the issuer's discovery document is read at the first sign-in, not here. SSO-only needs a
    provider (the organization's own or the installation's), and joining needs a sign-up domain."""
    actor.require("organization.manage")
    name, issuer, client_id = name.strip(), issuer.strip(), client_id.strip()
    errors: dict[str, list[str]] = {}
    if issuer:
        try:
            outbound.check_url(issuer, allow_private=allow_private, resolve_host=False)
        except outbound.ForbiddenTarget as exc:
            errors["issuer"] = [str(exc)]
        else:
            if not allow_private and not issuer.lower().startswith("https://"):
                errors["issuer"] = ["The issuer must be an https URL, e.g. https://accounts.google.com."]
        if not client_id:
            errors["client_id"] = ["The client ID the provider gave Charter's application."]
    elif client_id or client_secret:
        errors["issuer"] = ["The provider's issuer URL, e.g. https://login.example.com/realms/acme."]
    with transaction.atomic():
        row = SingleSignOn.objects.for_org(actor.organization).select_for_update().first() or SingleSignOn(
            organization=actor.organization
        )
        secret = client_secret or (row.client_secret if issuer and row.issuer else "")
        if issuer and not secret:
            errors["client_secret"] = ["The client secret the provider gave Charter's application."]
        has_provider = bool(issuer) or bool(settings.CHARTER_OIDC_ISSUER and settings.CHARTER_OIDC_CLIENT_ID)
        if sso_only and not has_provider:
            errors["sso_only"] = ["Set up a provider first: SSO-only would leave no way to sign in."]
        if join_by_sso and not actor.organization.signup_domain:
            errors["join_by_sso"] = [
                "Set the organization's sign-up domain first (Organization settings): only addresses there "
                "may join by single sign-on."
            ]
        if errors:
            raise ValidationError("The single sign-on settings were not saved.", errors=errors)
        values = {
            "name": name[:60], "issuer": issuer, "client_id": client_id, "client_secret": secret,
            "allow_private": allow_private, "sso_only": sso_only, "join_by_sso": join_by_sso,
        }  # fmt: skip
        changes = changed_fields(row, values)
        if changes:
            if "client_secret" in changes:
                changes["client_secret"] = "changed"
            row.save()
            audit(actor, "organization.sso_update", row, audited(changes, "issuer"))
    return row


def _sign_in_actor(user: User, membership: Membership, request_id: str) -> Actor:
    org, role = membership.organization, membership.role
    return Actor(user=user, organization=org, role=role, request_id=request_id, via="web")


def sso_sign_in(*, provider, claims: dict, request_id: str = "") -> tuple[User, Organization]:
    """The person an ID token names, signed in to the provider's organization (or, for the installation's
    provider, their first organization that uses it). An account is found by the verified email; a new
    address joins as a member only where the organization lets its sign-up domain join by single sign-on.
    Roles stay Charter's. Each sign-in is audited; SSOError says why one is refused."""
    from .oidc import SSOError, verified_email

    email = verified_email(claims)
    if provider.organization_id is not None:
        orgs = list(Organization.objects.filter(pk=provider.organization_id))
    else:  # the installation's provider serves the organizations without their own
        own = SingleSignOn.objects.unscoped().exclude(issuer="").values("organization")
        orgs = list(Organization.objects.exclude(pk__in=own).order_by("name"))
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is not None and (not user.is_active or user.kind != User.Kind.PERSON):
            raise SSOError(f"The Charter account {email} cannot sign in: ask an admin of your organization.")
        memberships = []
        if user is not None:
            memberships = list(
                Membership.objects.unscoped()
                .filter(user=user, organization__in=orgs)
                .select_related("organization")
                .order_by("organization__name")
            )
        active = [m for m in memberships if m.is_active]
        if not active and memberships:
            names = ", ".join(m.organization.name for m in memberships)
            raise SSOError(
                f"Your membership in {names} is deactivated, so single sign-on cannot sign you in: ask an "
                "admin of the organization."
            )
        if not active:
            membership = _sso_join(user, email, claims, orgs, request_id)
            if membership is None:
                raise SSOError(
                    f"No organization on this Charter knows {email} yet: ask an admin of your organization "
                    "for an invitation."
                )
            user = membership.user
            active = [membership]
        membership = active[0]
        audit(
            _sign_in_actor(user, membership, request_id),
            "user.sso_sign_in",
            user,
            {"issuer": crypto.url_for_audit(provider.issuer), "subject": str(claims["sub"])[:255]},
        )
    return user, membership.organization


def _sso_join(user, email: str, claims: dict, orgs: list, request_id: str) -> Membership | None:
    """A new member of the first organization that lets addresses at this domain join by single sign-on."""
    domain = email.rsplit("@", 1)[1]
    rows = SingleSignOn.objects.unscoped().filter(join_by_sso=True)
    joinable = set(rows.values_list("organization", flat=True))
    org = next((o for o in orgs if o.signup_domain == domain and o.pk in joinable), None)
    if org is None:
        return None
    if user is None:
        name = claims.get("name") if isinstance(claims.get("name"), str) else ""
        user = User.objects.create_user(email, None, full_name=(name.strip() or email.split("@")[0])[:150])
    membership = Membership.objects.create(organization=org, user=user, role=Role.MEMBER)
    audit(_sign_in_actor(user, membership, request_id), "person.join_by_sso", membership, {"email": email})
    return membership


def password_sign_in_check(*, user: User, request_id: str = "") -> str:
    """Before a password signs a person in: "" when it may, else why not (an organization that signs
    in by single sign-on only). An owner keeps the password as a break-glass way in (the provider may be
    down or misconfigured); each such sign-in is audited in that organization."""
    from . import selectors

    refusal, break_glass = selectors.sso_only_refusal(user)
    if refusal:
        return refusal
    if break_glass:
        with transaction.atomic():
            for org in break_glass:
                actor = Actor(user=user, organization=org, role=Role.OWNER, request_id=request_id, via="web")
                audit(actor, "user.sso_break_glass", user)
    return ""
