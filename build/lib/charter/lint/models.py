"""Per-organization lint settings: which rules are off and the thresholds that differ from the defaults."""

from django.db import models

from charter.core.models import OrgScopedModel


class LintSettings(OrgScopedModel):
    """One row per organization (created on first save); absent means every rule on with its defaults."""

    disabled = models.JSONField(default=list, blank=True, help_text="Codes of the rules that are off.")
    thresholds = models.JSONField(default=dict, blank=True, help_text="{code: {name: value}} overrides.")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"], name="lint_settings_one_per_org")]

    def __str__(self):
        return f"Lint settings of organization {self.organization_id}"
