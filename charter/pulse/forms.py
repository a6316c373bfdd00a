"""HTML forms of pulse surveys; field names follow the services' arguments."""

from django import forms

from charter.core.forms import StyledForm

from . import rules
from .models import Question, Survey

EXTRA_QUESTIONS = 3  # blank rows for custom questions on the creation form


class SurveyForm(StyledForm):
    title = forms.CharField(
        max_length=120,
        widget=forms.TextInput(attrs={"autofocus": True}),
        help_text="What people see on their home page, such as “Team pulse”.",
    )
    recurrence = forms.ChoiceField(choices=Survey.Recurrence.choices, widget=forms.Select)
    audience = forms.ChoiceField(
        choices=Survey.Audience.choices,
        widget=forms.RadioSelect,
        help_text="Everyone, or only the people of the teams chosen below.",
    )
    team_ids = forms.TypedMultipleChoiceField(
        label="Teams",
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="When the audience is chosen teams.",
    )
    active = forms.BooleanField(
        required=False, initial=True, help_text="Inactive surveys open no new rounds."
    )

    def __init__(self, *args, teams=(), with_questions=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team_ids"].choices = [(t.pk, t.name) for t in teams]
        self.question_rows = []
        if not with_questions:
            return
        rows = [*rules.DEFAULT_QUESTIONS, *[{"code": "", "text": "", "kind": rules.SCALE5}] * EXTRA_QUESTIONS]
        for i, q in enumerate(rows):
            self.fields[f"q{i}_text"] = forms.CharField(
                label=f"Question {i + 1}",
                required=False,
                max_length=200,
                initial=q["text"],
                widget=forms.TextInput,
            )
            self.fields[f"q{i}_kind"] = forms.ChoiceField(
                label=f"Answer of question {i + 1}",
                choices=Question.Kind.choices,
                initial=q["kind"],
                widget=forms.Select,
            )
            self.fields[f"q{i}_code"] = forms.CharField(
                required=False, initial=q["code"], widget=forms.HiddenInput
            )
            self.question_rows.append((self[f"q{i}_text"], self[f"q{i}_kind"], self[f"q{i}_code"]))

    def service_kwargs(self) -> dict:
        """The cleaned data as the service takes it: questions gathered from the rows, blank ones left out."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("q") or "_" not in k}
        if self.question_rows:
            n = len(self.question_rows)
            data["questions"] = [
                {
                    "text": text,
                    "kind": self.cleaned_data[f"q{i}_kind"],
                    "code": self.cleaned_data[f"q{i}_code"],
                }
                for i in range(n)
                if (text := self.cleaned_data[f"q{i}_text"].strip())
            ]
        return data


class AnswerForm(StyledForm):
    """One field per question (radio buttons for scales), plus the team when the person has several."""

    def __init__(self, *args, questions=(), teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        for q in questions:
            name = f"q{q.pk}"
            if q.kind == rules.TEXT:
                self.fields[name] = forms.CharField(label=q.text, max_length=500, widget=forms.TextInput)
            else:
                low, high = rules.RANGES[q.kind]
                self.fields[name] = forms.TypedChoiceField(
                    label=q.text,
                    coerce=int,
                    choices=[(v, str(v)) for v in range(low, high + 1)],
                    widget=forms.RadioSelect,
                )
        if teams:
            self.fields["team_id"] = forms.TypedChoiceField(
                label="I answer as a member of",
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "Prefer not to say")] + list(teams),
                widget=forms.Select,
                help_text="Kept only for teams of 5 people or more, so that results can be shown per team.",
            )
        self.questions = list(questions)

    def service_kwargs(self) -> dict:
        answers = {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}
        return {"answers": answers, "team_id": self.cleaned_data.get("team_id")}
