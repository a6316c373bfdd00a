from django import forms

from charter.core.forms import StyledForm


class ScimTokenForm(StyledForm):
    name = forms.CharField(
        max_length=80, help_text="The identity provider that uses it, e.g. “Okta” or “Entra ID”."
    )
