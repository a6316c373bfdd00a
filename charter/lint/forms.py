"""The settings form: one switch per rule and one number per threshold, built from the rules."""

from django import forms

from charter.core.forms import StyledForm

from . import registry


def threshold_field(code: str, name: str) -> str:
    return f"{code}.{name}"


class LintSettingsForm(StyledForm):
    """Fields `on_CH001` (rule on) and `CH004.max_key_results` (a threshold), for every rule."""

    def __init__(self, *args, rule_rows: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.rule_rows = rule_rows
        for row in rule_rows:
            r = row["rule"]
            self.fields[f"on_{r.code}"] = forms.BooleanField(
                required=False, initial=row["enabled"], label=f"{r.code} {r.name}"
            )
            for name, value in row["thresholds"].items():
                field_class = (
                    forms.FloatField if isinstance(r.thresholds[name], float) else forms.IntegerField
                )
                self.fields[threshold_field(r.code, name)] = field_class(
                    min_value=0, initial=value, label=name.replace("_", " ")
                )

    def rows(self):
        """Per rule: the rule, its switch and its threshold fields (bound), for the template."""
        return [
            {
                "rule": row["rule"],
                "switch": self[f"on_{row['rule'].code}"],
                "thresholds": [self[threshold_field(row["rule"].code, n)] for n in row["thresholds"]],
            }
            for row in self.rule_rows
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        thresholds: dict = {}
        for code, r in registry.RULES.items():
            for name in r.thresholds:
                thresholds.setdefault(code, {})[name] = data[threshold_field(code, name)]
        return {
            "disabled": [code for code in registry.RULES if not data[f"on_{code}"]],
            "thresholds": thresholds,
        }
