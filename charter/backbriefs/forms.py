"""HTML forms of back-briefs; the service says what is missing, so fields are not required here."""

from django import forms

from charter.core.forms import StyledForm


def _text(label: str, help_text: str, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, required=False, widget=forms.Textarea(attrs={"rows": rows})
    )


class BackBriefForm(StyledForm):
    """The team's restatement: intent in its own words, plan, concerns, needs."""

    intent = _text(
        "The intent, in our words", "Why the goal matters and what success looks like, as we see it."
    )
    plan = _text("Our plan", "How we intend to get there: the main moves, not a task list.")
    concerns = _text("Our concerns", "Risks, conflicts, what could stop us; “none” if nothing does.", 2)
    needs = _text(
        "What we need", "From the leader or other teams: people, decisions, access; or “nothing”.", 2
    )

    @classmethod
    def initial_of(cls, back_brief) -> dict:
        return {name: getattr(back_brief, name) for name in cls.base_fields}


class ClarifyForm(StyledForm):
    """What the reviewer asks the team to clarify."""

    message = _text(
        "What needs clarifying",
        "Say what is missing or misunderstood; the team answers with a new back-brief.",
        2,
    )
