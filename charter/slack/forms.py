from django import forms

from charter.core.forms import StyledForm


class SlackSettingsForm(StyledForm):
    team_id = forms.CharField(
        label="Workspace id",
        max_length=32,
        help_text="Your Slack workspace's id, starting with T (in Slack: the workspace menu, then About).",
    )
    bot_token = forms.CharField(
        label="Bot token",
        max_length=255,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="xoxb-…, from OAuth & Permissions. Leave empty to keep the stored one.",
    )
    signing_secret = forms.CharField(
        label="Signing secret",
        max_length=255,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="From Basic Information, App Credentials. Leave empty to keep the stored one.",
    )
    is_active = forms.BooleanField(label="Active", required=False, initial=True)
