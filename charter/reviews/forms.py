"""Forms of the review page: a goal's grade, its adaptation, the team's retrospective."""

from django import forms

from charter.core.forms import StyledForm

from .models import GoalGrade

INTENT_FIELDS = ("purpose", "end_state", "constraints", "freedoms")
_AREA = {"rows": 2}


class GradeForm(StyledForm):
    grade = forms.FloatField(
        min_value=0,
        max_value=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": 0, "max": 1}),
        help_text="0.0 (nothing achieved) to 1.0 (fully achieved).",
    )


class AdaptForm(StyledForm):
    """What happens to a goal next; the revise fields start with the goal's current texts and targets."""

    adaptation = forms.ChoiceField(choices=GoalGrade.Adaptation.choices, widget=forms.Select)
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs=_AREA),
        help_text="Why: required to revise or drop; kept in the goal's history.",
    )
    to_cycle_id = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Carry over to",
        widget=forms.Select,
    )
    purpose = forms.CharField(required=False, widget=forms.Textarea(attrs=_AREA), label="Purpose (why)")
    end_state = forms.CharField(required=False, widget=forms.Textarea(attrs=_AREA), label="End state")
    constraints = forms.CharField(required=False, widget=forms.Textarea(attrs=_AREA))
    freedoms = forms.CharField(required=False, widget=forms.Textarea(attrs=_AREA))

    def __init__(self, *args, goal, cycles, **kwargs):
        kwargs.setdefault("initial", {f: getattr(goal, f) for f in INTENT_FIELDS})
        kwargs.setdefault("prefix", f"adapt-{goal.pk}")
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.fields["to_cycle_id"].choices = [("", "—")] + [(c.pk, c.name) for c in cycles]
        for kr in goal.key_results.all():
            name = f"kr_{kr.pk}"
            self.fields[name] = forms.FloatField(
                required=False,
                label=f"Target of “{kr.title}”",
                initial=kr.target,
                widget=forms.NumberInput(attrs={"step": "any"}),
            )

    def service_kwargs(self) -> dict:
        """The adaptation, with only the texts and targets that differ from the goal's."""
        data = self.cleaned_data
        kwargs = {
            "adaptation": data["adaptation"],
            "reason": data["reason"],
            "to_cycle_id": data["to_cycle_id"],
        }
        if data["adaptation"] == GoalGrade.Adaptation.REVISE:
            kwargs["goal_changes"] = {f: data[f] for f in INTENT_FIELDS if data[f] != getattr(self.goal, f)}
            kwargs["key_result_changes"] = [
                {"id": kr.pk, "target": data[f"kr_{kr.pk}"]}
                for kr in self.goal.key_results.all()
                if data[f"kr_{kr.pk}"] is not None and data[f"kr_{kr.pk}"] != kr.target
            ]
        return kwargs


class RetrospectiveForm(StyledForm):
    what_worked = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    what_did_not = forms.CharField(
        required=False,
        label="What did not",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    what_we_change = forms.CharField(
        required=False,
        label="What we change",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
