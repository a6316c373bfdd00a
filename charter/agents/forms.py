"""Forms of agents and their tokens: parsing only, the rules are in the services."""

from django import forms

from charter.core.forms import StyledForm
from charter.organizations.permissions import SCOPES

SCOPE_WORDS = {
    "read": "Read: the mission, goals, briefs",
    "check_in": "Check in on key results",
    "propose": "Propose: record decisions, submit back-briefs, propose ideas",
    "decide": "Decide: respond to proposals addressed to it",
    "comment": "Comment",
    "inbox": "Inbox: mark its notifications read, choose their channels",
    "delegate": "Delegate: set delegation levels, accept or dismiss delegation advice (leaders)",
}


class AgentForm(StyledForm):
    name = forms.CharField(max_length=150, help_text="How people will see it, e.g. “Triage bot”.")
    sponsor_id = forms.TypedChoiceField(
        label="Sponsor", coerce=int, help_text="The person who answers for it."
    )
    team_id = forms.TypedChoiceField(label="Team", coerce=int)
    purpose = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    decision_cap = forms.IntegerField(
        label="Decides alone up to level",
        required=False,
        min_value=0,
        max_value=7,
        help_text="Its own cap, 0 (only proposes) to 7, not above the organization's; empty: follow it.",
    )

    def __init__(self, *args, people=(), teams=(), organization_cap=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor_id"].choices = [("", "—")] + [(p.pk, str(p)) for p in people]
        self.fields["team_id"].choices = [("", "—")] + [(t.pk, t.name) for t in teams]
        if organization_cap is not None:
            self.fields["decision_cap"].help_text = (
                f"Its own cap, 0 (only proposes) to {organization_cap} (the organization's); "
                f"empty: the organization's ({organization_cap})."
            )


class AgentTokenForm(StyledForm):
    name = forms.CharField(max_length=80, help_text="Where it runs, e.g. “Claude Desktop”.")
    scopes = forms.MultipleChoiceField(
        choices=[(s, SCOPE_WORDS.get(s, s)) for s in SCOPES],
        widget=forms.CheckboxSelectMultiple,
        initial=["read"],
    )
    days = forms.IntegerField(label="Expires after (days)", min_value=1, max_value=3650, initial=30)
