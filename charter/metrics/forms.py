"""HTML forms for metrics, values and data sources; field names follow the services' arguments."""

from django import forms

from charter.core.forms import StyledForm

from .models import DataSource, Metric


def _optional_int(value):
    return int(value) if value not in (None, "") else None


class MetricForm(StyledForm):
    """A metric: what it measures, who owns it, which way is better, its thresholds, linked goals."""

    name = forms.CharField(max_length=120, help_text="Such as “Weekly active teams”.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    unit = forms.CharField(max_length=24, required=False, help_text="Such as %, ms, teams.")
    team_id = forms.TypedChoiceField(
        label="Owner team", coerce=_optional_int, required=False, empty_value=None
    )
    direction = forms.ChoiceField(choices=Metric.Direction.choices)
    healthy = forms.FloatField(required=False, help_text="The target: at or better than this it is healthy.")
    warning = forms.FloatField(required=False, help_text="At or worse than this it is a warning.")
    critical = forms.FloatField(required=False, help_text="At or worse than this it is critical.")
    goal_ids = forms.TypedMultipleChoiceField(
        label="Linked goals", coerce=int, required=False, help_text="Goals this metric informs."
    )

    def __init__(self, *args, teams=(), goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team_id"].choices = [("", "No team")] + [(t.pk, t.name) for t in teams]
        self.fields["goal_ids"].choices = [(g.pk, f"{g.title} ({g.cycle.name})") for g in goals]

    @staticmethod
    def initial_of(metric) -> dict:
        fields = ("name", "description", "unit", "team_id", "direction", "healthy", "warning", "critical")
        return {**{k: getattr(metric, k) for k in fields}, "goal_ids": [g.pk for g in metric.goals.all()]}


class ValueForm(StyledForm):
    """A value recorded by hand."""

    value = forms.FloatField()
    note = forms.CharField(max_length=500, required=False)


class SourceForm(StyledForm):
    """A data source; what it feeds is fixed at creation (hidden ids)."""

    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=DataSource.Kind.choices)
    url = forms.URLField(label="URL", max_length=500, required=False, help_text="The document to pull.")
    json_path = forms.CharField(
        label="JSON path",
        max_length=200,
        required=False,
        help_text="Where the number is: data.items[0].value",
    )
    csv_column = forms.CharField(
        label="CSV column",
        max_length=80,
        required=False,
        help_text="The header name, or its position from 0.",
    )
    csv_row = forms.IntegerField(
        label="CSV row", initial=-1, help_text="-1 is the last data row, 0 the first."
    )
    interval_minutes = forms.IntegerField(label="Pull every (minutes)", initial=60, min_value=5)
    is_active = forms.BooleanField(label="Active", required=False, initial=True)
    allow_private = forms.BooleanField(
        label="Allow private addresses",
        required=False,
        help_text="Admins only: for sources inside your network.",
    )
    metric_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    key_result_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @staticmethod
    def initial_of(source) -> dict:
        fields = ("name", "kind", "url", "json_path", "csv_column", "csv_row", "interval_minutes")
        return {
            **{k: getattr(source, k) for k in fields},
            "is_active": source.is_active,
            "allow_private": source.allow_private,
        }
