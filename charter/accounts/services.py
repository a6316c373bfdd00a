"""Every write about a person's own account: profile, email, sessions, password reset, two-factor.

The person acts on their own row only, so each write needs `account.manage` (every role has it) and is
audited in the organization the person is working in. The two writes that come before a session
exists (a password set from a reset link, a recovery code spent at sign-in) are audited in every
organization the person is an active member of: the link or the code is the proof of who acts.
"""

import zoneinfo
from base64 import b32encode
from functools import cache

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from charter.core.actor import Actor
from charter.core.audit import audit, changed_fields
from charter.core.errors import ValidationError
from charter.organizations.models import User
from charter.organizations.selectors import organizations_of

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
