"""Figures of a scope (organization or team) and cycle, stored with the stamp of the inputs they came from."""

from django.db import models

from charter.core.models import OrgScopedModel


class StoredFigures(OrgScopedModel):
    """Indicators and factors as computed (`Figure` fields per item), valid while the stamp still holds.

    The stamp is what any change of the inputs changes: the organization's audited writes (max id and
    count, so a transaction that commits late still moves it), pulse participations (answers are not
    audited), the organization's attainment mark and stale days, and `valid_until` for the figures that
    move with time (the current cycle's weeks and goals going stale). See `insights.store`.
    """

    cycle = models.ForeignKey("goals.Cycle", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("organizations.Team", on_delete=models.CASCADE, null=True, related_name="+")
    team_key = models.IntegerField(help_text="The team's id, 0 for the organization (unique, unlike null).")
    audit_max = models.BigIntegerField()
    audit_count = models.BigIntegerField()
    pulse_count = models.BigIntegerField()
    attainment_mark = models.FloatField()
    stale_days = models.IntegerField()
    valid_until = models.DateTimeField(null=True, help_text="None: the figures do not move with time.")
    indicators = models.JSONField()
    factors = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "cycle", "team_key"], name="insights_figures_once"
            )
        ]
