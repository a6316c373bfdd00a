"""The mission form: statement, vision, a reason (required once a mission exists), and the values as
name/meaning rows that can be added and removed."""

from django import forms

from charter.core.forms import StyledForm

from .services import REASON_NEEDED


class MissionForm(StyledForm):
    subject = "mission"

    statement = forms.CharField(
        label="Mission",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the organization exists and for whom, in one or two sentences.",
        error_messages={"required": "The mission needs a statement: why the organization exists."},
    )
    vision = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The future the organization works towards, as people would see it.",
    )
    reason = forms.CharField(
        label="Reason for this change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the revision, so that everyone can see why the mission changed.",
    )

    def __init__(self, *args, first: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        if first:
            reason.help_text = "Not needed for the first version; every later change asks why."
        else:  # marked required; the service says what is missing
            reason.required = True
            reason.error_messages["required"] = REASON_NEEDED
            reason.help_text = "Required: " + reason.help_text[0].lower() + reason.help_text[1:]


class ValueForm(StyledForm):
    subject = "value"

    name = forms.CharField(
        required=False, max_length=80, widget=forms.TextInput(attrs={"placeholder": "e.g. Customers first"})
    )
    meaning = forms.CharField(
        label="What it means in practice",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "e.g. We answer every customer on the day they ask."}
        ),
    )


# Three empty rows beyond the existing values (without script; "Add a value" adds more), each with a
# "Remove" box; the service skips rows left empty.
ValueFormSet = forms.formset_factory(ValueForm, extra=3, max_num=20, can_delete=True)
