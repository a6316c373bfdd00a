"""HTML forms for cycles, goals, key results and check-ins; field names follow the services' arguments."""

from django import forms
from django.utils import timezone

from charter.core.forms import StyledForm

from . import rules
from .models import Cycle, KeyResult

# Help for each intent field: what it is, a good and a bad example (shown in the help panel).
INTENT_HELP = {
    "purpose": (
        "Why this matters: the problem or chance behind the goal, so the team can judge trade-offs.",
        "Customers leave because onboarding is slow; faster onboarding keeps them.",
        "Do onboarding.",
    ),
    "end_state": (
        "What success looks like when the cycle ends, seen from outside the team.",
        "A new customer is set up and using the product on day one, without a call to support.",
        "Onboarding project finished.",
    ),
    "constraints": (
        "What must not happen on the way: the limits the team works within.",
        "No new headcount; support response times must not get worse.",
        "Follow the plan.",
    ),
    "freedoms": (
        "What the team may decide alone, without asking.",
        "The team chooses tools, order of work and which onboarding steps to drop.",
        "Ask before changing anything.",
    ),
}

KIND_HELP = {
    "increase": (
        "Higher is better: start where you are, target where you want to be.",
        "Weekly active teams from 120 to 200",
        "Grow usage",
    ),
    "decrease": (
        "Lower is better: the target is below the start.",
        "Median onboarding time from 9 days to 2 days",
        "Make onboarding faster",
    ),
    "range": (
        "Stay within bounds: target is the lower bound, upper bound the highest acceptable value.",
        "Keep p95 page load between 0.2 and 0.8 seconds",
        "Good performance",
    ),
    "milestone": (
        "Done or not. Prefer a measurable kind: a milestone is often a task, not an outcome.",
        "Self-serve onboarding live for all new customers",
        "Write the onboarding doc",
    ),
}

# The at-risk rule in words, shown beside every confidence field (`rules.status` applies it).
CONFIDENCE_RULE = (
    f"{rules.AT_RISK_CONFIDENCE} or lower marks it at risk, {rules.OFF_TRACK_CONFIDENCE} or lower off track."
)

CONFIDENCE_HELP = (
    "How sure you are to reach the target by the end of the cycle: 0 no chance, 5 a coin toss, 10 certain. "
    "Good: 4 with a note on what blocks you. Bad: always 10."
)


def _optional_int(value):
    return int(value) if value not in (None, "") else None


class GoalForm(StyledForm):
    """A goal with its intent and alignment; choices come from selectors passed in by the view."""

    subject = "goal"

    title = forms.CharField(
        max_length=200, help_text="The outcome, in a few words: “Customers onboard in a day”."
    )
    cycle_id = forms.TypedChoiceField(label="Cycle", coerce=int)
    team_id = forms.TypedChoiceField(
        label="Team",
        coerce=_optional_int,
        required=False,
        empty_value=None,
        help_text="Leave empty for a goal of the whole organization (strategic).",
    )
    owner_id = forms.TypedChoiceField(label="Accountable person", coerce=int)
    parent_id = forms.TypedChoiceField(
        label="Contributes to",
        coerce=_optional_int,
        required=False,
        empty_value=None,
        help_text="The goal this one contributes to; its progress rolls up there.",
    )
    supports_ids = forms.TypedMultipleChoiceField(
        label="Supports",
        coerce=int,
        required=False,
        help_text="Other goals this one helps (shown, not rolled up).",
    )
    purpose = forms.CharField(label="Purpose", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    end_state = forms.CharField(label="End state", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    constraints = forms.CharField(
        label="Constraints", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    freedoms = forms.CharField(label="Freedoms", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    weight = forms.FloatField(
        initial=1.0, min_value=0.01, max_value=100, help_text="How much it counts in its parent's progress."
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, cycles=(), teams=(), people=(), goals=(), exclude_goal_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle_id"].choices = [(c.pk, c.name) for c in cycles]
        self.fields["team_id"].choices = [("", "— Whole organization —")] + [
            (t.pk, f"{t.parent.name} › {t.name}" if t.parent_id else t.name) for t in teams
        ]
        self.fields["owner_id"].choices = [(p.pk, p.full_name or p.email) for p in people]
        goal_choices = [(g.pk, f"{g.title} ({g.cycle.name})") for g in goals if g.pk != exclude_goal_id]
        self.fields["parent_id"].choices = [("", "— None —"), *goal_choices]
        self.fields["supports_ids"].choices = goal_choices
        for name, (text, _good, _bad) in INTENT_HELP.items():
            self.fields[name].help_text = text

    @staticmethod
    def initial_of(goal) -> dict:
        return {
            "title": goal.title,
            "cycle_id": goal.cycle_id,
            "team_id": goal.team_id,
            "owner_id": goal.owner_id,
            "parent_id": goal.parent_id,
            "supports_ids": [g.pk for g in goal.supports.all()],
            "purpose": goal.purpose,
            "end_state": goal.end_state,
            "constraints": goal.constraints,
            "freedoms": goal.freedoms,
            "description": goal.description,
            "weight": goal.weight,
            "version": goal.version,
        }


class KeyResultForm(StyledForm):
    """A key result; fields that do not apply to the chosen kind are hidden by the page script."""

    subject = "key result"

    title = forms.CharField(max_length=200, help_text="What is measured: “Median onboarding time in days”.")
    kind = forms.ChoiceField(choices=KeyResult.Kind.choices, initial="increase")
    unit = forms.CharField(max_length=24, required=False, help_text="%, days, €, customers …")
    start = forms.FloatField(required=False, help_text="Where it stands when the cycle begins.")
    target = forms.FloatField(required=False, help_text="Where you want it. For a range: the lower bound.")
    target_max = forms.FloatField(label="Upper bound", required=False, help_text="For a range only.")
    weight = forms.FloatField(initial=1.0, min_value=0.01, max_value=100)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    owner_id = forms.TypedChoiceField(
        label="Owner",
        coerce=_optional_int,
        required=False,
        empty_value=None,
        help_text="Who checks in; empty means the goal's accountable person.",
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_id"].choices = [("", "— Goal's accountable person —")] + [
            (p.pk, p.full_name or p.email) for p in people
        ]
        self.fields["kind"].widget.attrs["data-kr-kind"] = ""

    @staticmethod
    def initial_of(kr) -> dict:
        return {
            f: getattr(kr, f)
            for f in (
                "title",
                "kind",
                "unit",
                "start",
                "target",
                "target_max",
                "weight",
                "owner_id",
                "version",
            )
        }


class CheckInForm(StyledForm):
    """One check-in row: the new value, confidence 0-10 and a note."""

    subject = "check-in"

    value = forms.FloatField(
        error_messages={
            "required": "Enter the current value.",
            "invalid": "Enter a number, such as 42 or 3.5.",
        }
    )
    confidence = forms.IntegerField(
        min_value=0,
        max_value=10,
        help_text=CONFIDENCE_RULE,
        error_messages={
            "required": "Give a confidence from 0 (no chance) to 10 (certain): how sure are you to reach "
            "the target?",
            "min_value": "Confidence is 0 (no chance) to 10 (certain).",
            "max_value": "Confidence is 0 (no chance) to 10 (certain).",
            "invalid": "Confidence is a whole number from 0 to 10.",
        },
    )
    note = forms.CharField(required=False, max_length=2000)


class NewCycleForm(StyledForm):
    """A cycle made from inside the goal form (prefix "new_cycle"), active at once, so that a first goal
    has somewhere to go without leaving the page."""

    subject = "cycle"

    name = forms.CharField(label="Cycle name", max_length=80, help_text="Such as Q1 2027.")
    starts_on = forms.DateField(label="Start date", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="End date", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, cycles=(), **kwargs):
        name, starts_on, ends_on = rules.free_quarter(timezone.localdate(), (c.name for c in cycles))
        kwargs.setdefault("initial", {"name": name, "starts_on": starts_on, "ends_on": ends_on})
        super().__init__(*args, prefix="new_cycle", **kwargs)


class CycleForm(StyledForm):
    """A cycle: name, dates and state."""

    subject = "cycle"

    name = forms.CharField(max_length=80, help_text="Such as 2026 Q1.")
    starts_on = forms.DateField(label="Start date", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="End date", widget=forms.DateInput(attrs={"type": "date"}))
    state = forms.ChoiceField(choices=Cycle.State.choices, initial=Cycle.State.PLANNING)

    @staticmethod
    def initial_of(cycle) -> dict:
        return {
            "name": cycle.name,
            "starts_on": cycle.starts_on.isoformat(),
            "ends_on": cycle.ends_on.isoformat(),
            "state": cycle.state,
        }
