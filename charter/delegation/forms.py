"""HTML forms for decision domains, delegation levels, decision records and responses."""

from django import forms

from charter.core.forms import StyledForm

from . import rules


def _optional_int(value):
    return int(value) if value not in (None, "") else None


def _act_for_field():
    return forms.TypedChoiceField(
        label="Act for",
        coerce=_optional_int,
        empty_value=None,
        required=False,
        help_text="Owners and admins: stand in for an absent leader of this team's chain. The step follows "
        "their authority; the history and audit keep both of you.",
    )


def _act_for_choices(form, act_for) -> None:
    """The "Act for" select only for those who may act for someone (owners, admins); else no field."""
    if act_for:
        form.fields["acting_for_id"].choices = [("", "— Myself —"), *act_for]
    else:
        del form.fields["acting_for_id"]


class DomainForm(StyledForm):
    """A decision domain: its name, what it covers, typical decisions."""

    name = forms.CharField(max_length=120, help_text="Such as Hiring, Budget under 10k, Tech stack, Pricing.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    examples = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Typical decisions, so people know what falls in it.",
    )


class LevelForm(StyledForm):
    """A team's level in a domain, with the reason kept in the history; the "Inherit again" button
    (`inherit`) clears the team's own level instead."""

    level = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        choices=[(n, f"{lv.label} — {lv.summary}") for n, lv in rules.LEVELS.items()],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why it changes: kept with the level in the history.",
        error_messages={"required": "Say why the level changes: the history keeps the reason."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.inherit = bool(self.data.get("inherit"))

    def clean(self):
        data = super().clean()
        if self.inherit:
            data["level"] = None
        elif data.get("level") is None and "level" not in self.errors:
            self.add_error("level", "Choose a level from 1 (tell) to 7 (delegate).")
        return data


class DecisionForm(StyledForm):
    """A decision record; what it becomes depends on the team's level and the recorder's relation."""

    team_id = forms.TypedChoiceField(label="Team", coerce=_optional_int, empty_value=None)
    domain_id = forms.TypedChoiceField(label="Decision domain", coerce=_optional_int, empty_value=None)
    title = forms.CharField(max_length=200, help_text="What is decided, in a few words.")
    context = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Why now.")
    options = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="What was considered."
    )
    decision = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="What is (proposed to be) decided."
    )
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    consequences = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    goal_ids = forms.TypedMultipleChoiceField(label="Linked goals", coerce=int, required=False)
    supersedes_id = forms.TypedChoiceField(
        label="Supersedes", coerce=_optional_int, empty_value=None, required=False
    )
    needed_by = forms.DateField(
        label="Decide by",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "The decide-by day must be a date, such as 2027-01-31."},
        help_text="Optional: the day the answer is needed. It shows on the decision, in the log and in the "
        "calendar feeds of whoever it waits for.",
    )
    acting_for_id = _act_for_field()

    def __init__(
        self, *args, teams=(), domains=(), goals=(), decisions=(), preview_url="", act_for=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        _act_for_choices(self, act_for)
        self.fields["team_id"].choices = [("", "— Choose —")] + [(t.pk, t.name) for t in teams]
        self.fields["domain_id"].choices = [("", "— Choose —")] + [(d.pk, d.name) for d in domains]
        self.fields["goal_ids"].choices = [(g.pk, g.title) for g in goals]
        self.fields["supersedes_id"].choices = [("", "— None —")] + [(d.pk, d.title) for d in decisions]
        for name in ("team_id", "domain_id"):
            # Tell, before saving, what the level means for the recorder.
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": preview_url,
                    "hx-trigger": "change",
                    "hx-target": "#outcome-preview",
                    "hx-swap": "outerHTML",
                    "hx-sync": "closest form:replace",  # the last change wins, not the slowest answer
                    "hx-include": "[name=team_id],[name=domain_id]",
                }
            )


class RespondForm(StyledForm):
    """A response to an open decision: agree, give advice, decide, escalate further, or (its proposer)
    withdraw it."""

    action = forms.ChoiceField(
        choices=[
            (rules.AGREE, "Agree"),
            (rules.ADVISE, "Give advice"),
            (rules.DECIDE, "Decide"),
            (rules.ESCALATE, "Escalate further"),
            (rules.WITHDRAW, "Withdraw"),
        ]
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Advice or note",
        help_text="Advice is required to advise; a note is kept in the history.",
    )
    acting_for_id = _act_for_field()

    def __init__(self, *args, act_for=(), **kwargs):
        super().__init__(*args, **kwargs)
        _act_for_choices(self, act_for)


class PokerOpenForm(StyledForm):
    """A delegation poker session: the team, the domains to play, who picks, an optional deadline."""

    title = forms.CharField(max_length=200, required=False, help_text="Empty: “Delegation poker: <team>”.")
    team_id = forms.TypedChoiceField(label="Team", coerce=int, help_text="Whose levels are played.")
    domain_ids = forms.TypedMultipleChoiceField(
        label="Decision domains",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one decision domain to play."},
    )
    participant_ids = forms.TypedMultipleChoiceField(
        label="People who pick",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None chosen: the team's people. You play too. Agents and viewers do not pick.",
    )
    deadline = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="For a session played over days: the cards turn by themselves then. Empty: when all "
        "have picked, or when you turn them.",
    )

    def __init__(self, *args, teams=(), domains=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team_id"].choices = [(t.pk, t.name) for t in teams]
        self.fields["domain_ids"].choices = [(d.pk, d.name) for d in domains]
        self.fields["participant_ids"].choices = list(people)


class PokerLevelForm(StyledForm):
    """The level a leader sets from a turned session; the reason is added to the session's own."""

    level = forms.TypedChoiceField(
        coerce=int, choices=[(n, f"{lv.label}") for n, lv in rules.LEVELS.items()], label="Level"
    )
    reason = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Added to the reason kept on the board, which names this session and its spread.",
    )


class AdviceSettingsForm(StyledForm):
    """The thresholds of the delegation advice rules, one number each (the defaults shown as initial)."""

    def __init__(self, *args, thresholds: rules.AdviceThresholds, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = rules.AdviceThresholds()
        for name, words in rules.THRESHOLD_WORDS.items():
            default = getattr(defaults, name)
            field = forms.IntegerField if isinstance(default, int) else forms.FloatField
            self.fields[name] = field(
                label=words, initial=getattr(thresholds, name), help_text=f"Default {default}.", min_value=0
            )

    def overrides(self) -> dict:
        """The values that differ from the defaults (the others keep following them)."""
        defaults = rules.AdviceThresholds()
        return {k: v for k, v in self.cleaned_data.items() if v != getattr(defaults, k)}
