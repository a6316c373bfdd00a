"""HTML forms of ideas; field names follow the services' arguments."""

from django import forms

from charter.core.forms import StyledForm

from .models import Idea


class IdeaForm(StyledForm):
    title = forms.CharField(
        max_length=200,
        widget=forms.TextInput(attrs={"autofocus": True}),
        help_text="The proposal in a few words, such as “Self-serve onboarding checklist”.",
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What and why, in Markdown: the problem it solves and how you would try it.",
    )
    goal_ids = forms.TypedMultipleChoiceField(
        label="Linked goals",
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="The goals this idea would help reach (optional).",
    )

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal_ids"].choices = [(g.pk, g.title) for g in goals]


class IdeaMoveForm(StyledForm):
    to_status = forms.ChoiceField(
        label="Move to",
        choices=[(v, label) for v, label in Idea.Status.choices if v != Idea.Status.NEW],
        widget=forms.Select,
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why it moves; the author and everyone later can read it.",
    )
    adopted_goal_id = forms.TypedChoiceField(
        label="It became the goal",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select,
        help_text="When adopting: the goal it became, or pick a key result below.",
    )
    adopted_key_result_id = forms.TypedChoiceField(
        label="Or it became the key result",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select,
    )

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adopted_goal_id"].choices = [("", "—")] + [(g.pk, g.title) for g in goals]
        self.fields["adopted_key_result_id"].choices = [("", "—")] + [
            (g.title, [(kr.pk, kr.title) for kr in g.key_results.all()]) for g in goals if g.key_results.all()
        ]
