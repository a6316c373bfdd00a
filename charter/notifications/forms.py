"""HTML forms of webhooks and notification preferences; field names follow the services' arguments."""

from django import forms

from charter.core.forms import StyledForm

from . import catalog
from .models import Webhook


class WebhookForm(StyledForm):
    name = forms.CharField(max_length=100, widget=forms.TextInput)
    url = forms.CharField(
        label="URL",
        max_length=500,
        help_text="Where Charter POSTs each event (http or https; Slack incoming webhooks work as they are).",
        widget=forms.URLInput(attrs={"placeholder": "https://hooks.example.com/…"}),
    )
    format = forms.ChoiceField(
        label="Format",
        choices=Webhook.Format.choices,
        initial=Webhook.Format.CHARTER,
        required=False,
        help_text="Microsoft Teams: an Adaptive Card for a Teams incoming webhook or a Workflows "
        "“When a Teams webhook request is received” URL.",
    )
    events = forms.MultipleChoiceField(
        choices=[(e.code, e.label) for e in catalog.WEBHOOK_EVENTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The events this webhook receives.",
    )
    is_active = forms.BooleanField(
        label="Active",
        required=False,
        initial=True,
        widget=forms.CheckboxInput,
    )
    allow_private = forms.BooleanField(
        label="Allow private network targets",
        required=False,
        widget=forms.CheckboxInput,
        help_text="Lets this webhook reach addresses of your private network or this machine. "
        "Only for trusted internal services: anyone who can edit it could probe your network.",
    )

    def clean_format(self):
        return self.cleaned_data.get("format") or Webhook.Format.CHARTER


class PreferencesForm(StyledForm):
    """One checkbox per event and channel: `<code>__in_app`, `<code>__email`."""

    def __init__(self, *args, table: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for row in table:
            code = row["event"].code
            for channel in ("in_app", "email"):
                self.fields[f"{code}__{channel}"] = forms.BooleanField(required=False, initial=row[channel])
            self.rows.append({**row, "in_app": self[f"{code}__in_app"], "email": self[f"{code}__email"]})

    def choices(self) -> dict[str, dict[str, bool]]:
        data = self.cleaned_data
        return {
            e.code: {"in_app": data[f"{e.code}__in_app"], "email": data[f"{e.code}__email"]}
            for e in catalog.EVENTS
        }
