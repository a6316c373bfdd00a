"""Forms of the account pages: parsing only, the rules are in services."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms

from charter.core.forms import StyledForm
from charter.organizations.models import User

from .services import time_zone_names


class _OwnIds:
    """Forms that share the account page name their fields' ids apart (three have a password field)."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ProfileForm(StyledForm):
    full_name = forms.CharField(
        label="Name",
        max_length=150,
        error_messages={"max_length": "Keep your name to 150 characters."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        help_text="Times on every page are shown in this zone.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = f"The installation's ({settings.TIME_ZONE})"
        self.fields["time_zone"].choices = [("", default)] + [(n, n) for n in time_zone_names()]


class EmailChangeForm(_OwnIds, StyledForm):
    id_prefix = "email"
    email = forms.EmailField(
        label="New email address",
        error_messages={"invalid": "Not an email address."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Current password",
        strip=False,
        help_text="Your sign-in address changes only with your password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordResetRequestForm(StyledForm, auth_forms.PasswordResetForm):
    """Django's reset form, reaching people too: an account created without a password (by an import)
    gets its first one this way. Agents never sign in, so they get no link."""

    email = forms.EmailField(
        label="Email",
        max_length=254,
        error_messages={"invalid": "Not an email address."},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email):
        people = User.objects.filter(email__iexact=email.strip(), is_active=True, kind=User.Kind.PERSON)
        return iter(people)


class SetPasswordForm(StyledForm, auth_forms.SetPasswordForm):
    """Django's form for a new password from a reset link (Charter's password validators)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = "At least 12 characters, not a common password."
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password2"].help_text = ""
        self.error_messages["password_mismatch"] = "The two new passwords differ."

    def save(self, commit=True):  # the view saves through services.password_reset_complete
        raise NotImplementedError


class CodeForm(StyledForm):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6 digits your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class EnrolForm(StyledForm):
    code = forms.CharField(
        label="Code from your app",
        max_length=16,
        help_text="The 6 digits your app shows for Charter, to check that it is set up.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class DisableForm(_OwnIds, StyledForm):
    id_prefix = "off"
    password = forms.CharField(
        label="Current password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label="Or a code",
        required=False,
        max_length=32,
        help_text="From your app, or a recovery code.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class RegenerateForm(_OwnIds, StyledForm):
    id_prefix = "codes"
    password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SingleSignOnForm(StyledForm):
    """An organization's single sign-on settings (the rules are in `services.sso_settings_update`)."""

    name = forms.CharField(
        label="Provider name on the button",
        max_length=60,
        required=False,
        help_text="The sign-in button reads “Sign in with <name>” (e.g. Google, Okta). Empty: the "
        "organization's name.",
    )
    issuer = forms.CharField(
        label="Issuer URL",
        max_length=500,
        required=False,
        help_text="The provider's issuer: Charter reads <issuer>/.well-known/openid-configuration. Empty: "
        "the installation's provider, if its administrator set one.",
    )
    client_id = forms.CharField(label="Client ID", max_length=255, required=False)
    client_secret = forms.CharField(
        label="Client secret",
        max_length=500,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="Kept encrypted and never shown again; leave empty to keep the one saved.",
    )
    allow_private = forms.BooleanField(
        label="The provider is on a private network",
        required=False,
        help_text="Allow an issuer at a private or loopback address (a Keycloak inside your network).",
    )
    sso_only = forms.BooleanField(
        label="Single sign-on only",
        required=False,
        help_text="People of this organization cannot sign in with a password. Owners still can, as a "
        "way in when the provider fails; each such sign-in is audited.",
    )
    join_by_sso = forms.BooleanField(
        label="Let people at the sign-up domain join by single sign-on",
        required=False,
        help_text="A verified address at the organization's sign-up domain that Charter does not know "
        "joins as a member at its first sign-in. Otherwise only invited people sign in.",
    )
