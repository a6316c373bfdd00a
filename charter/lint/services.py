"""Writes of lint: an organization's settings (rules on or off, thresholds), by its admins."""

from django.db import transaction

from charter.core.actor import Actor
from charter.core.audit import audit
from charter.core.errors import ValidationError

from . import registry
from .models import LintSettings


def _threshold_errors(thresholds: dict) -> tuple[dict, dict]:
    """The overrides that differ from the defaults, and the problems (field `CODE.name`)."""
    clean, errors = {}, {}
    for code, values in (thresholds or {}).items():
        rule = registry.RULES.get(code)
        for name, value in (values or {}).items():
            field = f"{code}.{name}"
            if rule is None or name not in rule.thresholds:
                errors[field] = [f"Unknown threshold {field}."]
            elif not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                errors[field] = [f"{field} must be a number of zero or more."]
            elif isinstance(rule.thresholds[name], float) and value > 1:
                errors[field] = [f"{field} is a share between 0 and 1."]
            elif value != rule.thresholds[name]:
                kind = type(rule.thresholds[name])
                clean.setdefault(code, {})[name] = kind(value)
    return clean, errors


def lint_settings_update(
    *, actor: Actor, disabled: list[str], thresholds: dict | None = None
) -> LintSettings:
    """Turn rules on or off and set thresholds for the whole organization."""
    actor.require("lint.configure")
    unknown = sorted(set(disabled) - set(registry.RULES))
    clean, errors = _threshold_errors(thresholds or {})
    if unknown:
        known = ", ".join(registry.RULES)
        errors["disabled"] = [f"Unknown rule {', '.join(unknown)}; the rules are {known}."]
    if errors:
        raise ValidationError("The lint settings are not valid.", errors=errors)
    with transaction.atomic():
        settings, _ = (
            LintSettings.objects.for_org(actor.organization)
            .select_for_update()
            .get_or_create(organization=actor.organization)
        )
        before = {"disabled": settings.disabled, "thresholds": settings.thresholds}
        settings.disabled = sorted(set(disabled))
        settings.thresholds = clean
        settings.version += 1
        settings.save()
        after = {"disabled": settings.disabled, "thresholds": settings.thresholds}
        audit(
            actor,
            "lint_settings.update",
            settings,
            {k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )
    return settings
