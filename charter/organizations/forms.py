"""Forms for signing in, people, teams, settings and API tokens: parsing only, the rules are in services."""

from django import forms
from django.contrib.auth import authenticate

from charter.core.forms import StyledForm

from . import throttle
from .models import Role
from .selectors import is_agent_email


class EmailLoginForm(StyledForm):
    """Sign in with an email address and a password; the shape Django's LoginView expects."""

    email = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        self.blocked = None  # a throttle.LoginBlock when too many sign-ins failed
        super().__init__(*args, **kwargs)

    def clean(self):
        email, password = self.cleaned_data.get("email"), self.cleaned_data.get("password")
        if email and is_agent_email(email=email):
            raise forms.ValidationError(
                "This is an AI agent's address: agents never sign in to the web; they act through their "
                "API tokens.",
                code="agent_login",
            )
        if email and password:
            # Checked before the password, so a full window refuses even the right one.
            self.blocked = throttle.login_blocked(self.request, email)
            if self.blocked:
                raise forms.ValidationError(self.blocked.message(), code="throttled")
            self.user_cache = authenticate(self.request, email=email.lower(), password=password)
            if self.user_cache is None or not self.user_cache.is_active:
                throttle.login_failed(self.request, email)
                # One message for an unknown email and a wrong password: do not reveal which accounts exist.
                raise forms.ValidationError("The email or the password is not right.", code="invalid_login")
            throttle.login_succeeded(self.request, email)
        return self.cleaned_data

    def get_user(self):
        return self.user_cache


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password = forms.CharField(
        label="New password",
        strip=False,
        help_text="At least 12 characters, not a common password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label="New password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", "The two new passwords differ.")
        return data


class OrganizationSettingsForm(StyledForm):
    name = forms.CharField(max_length=120)
    stale_days = forms.IntegerField(
        label="Stale after (days)",
        min_value=1,
        max_value=365,
        help_text="A goal with no check-in for this many days is marked stale.",
    )
    attainment_mark = forms.FloatField(
        label="Attainment mark",
        min_value=0.01,
        max_value=1.0,
        help_text="A goal graded at or above this (0.0 to 1.0) counts as attained. 0.7 is usual.",
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )
    agent_decision_cap = forms.IntegerField(
        label="Agents decide alone up to level",
        required=False,
        min_value=0,
        max_value=7,
        help_text="The highest delegation level at which AI agents may decide alone; above it their "
        "records become proposals to the team's leader. 0: agents only propose.",
    )
    require_two_factor = forms.BooleanField(
        label="Require two-factor sign-in",
        required=False,
        help_text="Everyone signs in with a code from an authenticator app as well as the password; a "
        "person without one is asked to set it up first. API tokens are not affected.",
    )
    signup_domain = forms.CharField(
        label="Sign-up domain",
        required=False,
        max_length=253,
        help_text="Anyone with an address at this domain (e.g. example.org) may join as a member from the "
        "organization's sign-up page; the link to join is emailed to them. Empty: off.",
    )


class TeamForm(StyledForm):
    subject = "team"

    name = forms.CharField(max_length=120)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    parent_id = forms.TypedChoiceField(
        label="Part of",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="The team this one belongs to; empty for a top-level team.",
    )

    def __init__(self, *args, teams=(), exclude_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent_id"].choices = [("", "— none (top level) —")] + [
            (t.pk, t.name) for t in teams if t.pk != exclude_id
        ]


class TeamMemberForm(StyledForm):
    user_id = forms.TypedChoiceField(label="Person", coerce=int)
    is_lead = forms.BooleanField(label="Leads this team", required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user_id"].choices = [("", "Choose a person…")] + [
            (u.pk, f"{u} ({u.email})") for u in people
        ]


class PersonCreateForm(StyledForm):
    subject = "person"

    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    full_name = forms.CharField(label="Name", max_length=150)
    title = forms.CharField(required=False, max_length=120, help_text="What they do, e.g. Head of Sales.")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)
    team_ids = forms.TypedMultipleChoiceField(
        label="Teams", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    password = forms.CharField(
        label="Initial password",
        strip=False,
        required=False,
        help_text="Share it privately; they change it after signing in. Leave empty for an existing account.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
    )

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team_ids"].choices = [(t.pk, t.name) for t in teams]


class PersonEditForm(StyledForm):
    role = forms.ChoiceField(choices=Role.choices)
    title = forms.CharField(required=False, max_length=120)
    is_active = forms.BooleanField(
        label="Active", required=False, help_text="An inactive person cannot sign in to this organization."
    )


class TokenForm(StyledForm):
    name = forms.CharField(max_length=80, help_text="Where it is used, e.g. “CI pipeline” or “Sales agent”.")
    days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=3650,
        initial=90,
        help_text="Short-lived tokens are safer; 90 days is the default.",
    )


_SLUG_HELP = "Lower-case letters, digits and hyphens; made from the name unless you change it."


class _PasswordTwice(StyledForm):
    """A new password typed twice (the rules are Django's validators, applied by the service)."""

    password = forms.CharField(
        label="Password",
        strip=False,
        help_text="At least 12 characters, not a common password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", "The two passwords differ: type the same one twice.")
        return data


class _OrganizationFields(forms.Form):
    def clean_slug(self):
        from django.utils.text import slugify

        return (
            self.cleaned_data.get("slug")
            or slugify(self.data.get(self.add_prefix(self._name_field), ""))[:50]
        )


class SetupForm(_PasswordTwice, _OrganizationFields):
    """The first run: the first owner and the organization."""

    _name_field = "organization_name"
    full_name = forms.CharField(
        label="Your name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
    )
    email = forms.EmailField(label="Your email", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    organization_name = forms.CharField(
        label="Organization", max_length=120, help_text="Your company, association or team, e.g. Acme."
    )
    slug = forms.CharField(label="Short name", max_length=50, required=False, help_text=_SLUG_HELP)
    field_order = ["full_name", "email", "password", "password_again", "organization_name", "slug"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization_name"].widget.attrs["data-slug-source"] = "slug"


class OrganizationCreateForm(StyledForm, _OrganizationFields):
    subject = "organization"

    _name_field = "name"
    name = forms.CharField(
        label="Name",
        max_length=120,
        widget=forms.TextInput(attrs={"autofocus": True, "data-slug-source": "slug"}),
    )
    slug = forms.CharField(label="Short name", max_length=50, required=False, help_text=_SLUG_HELP)


class InvitationForm(StyledForm):
    emails = forms.CharField(
        label="Email addresses",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "ada@example.org, grace@example.org"}),
        help_text="One or many, separated by commas, spaces or new lines.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)
    team_id = forms.TypedChoiceField(label="Team", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, teams=(), roles=Role.choices, **kwargs):
        super().__init__(*args, **kwargs)
        # Every role parses (an admin asking for owner is then refused with 403); the list offers `roles`.
        self.fields["role"].widget.choices = roles
        self.fields["team_id"].choices = [("", "— no team —")] + [(t.pk, t.name) for t in teams]


class InvitationAcceptForm(_PasswordTwice):
    full_name = forms.CharField(
        label="Your name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
    )
    field_order = ["full_name", "password", "password_again"]


class SignupForm(StyledForm):
    email = forms.EmailField(
        label="Your work email", widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
