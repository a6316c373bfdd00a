"""Metrics (KPIs) with their history of values, and the data sources that feed metrics and key results."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from charter.core import outbound
from charter.core.crypto import EncryptedURLField
from charter.core.models import OrgScopedModel

from . import rules


class Metric(OrgScopedModel):
    """An ongoing health measure outside cycles, with thresholds; its current value follows the latest."""

    class Direction(models.TextChoices):
        HIGHER = rules.HIGHER, "Higher is better"
        LOWER = rules.LOWER, "Lower is better"

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=24, blank=True)
    team = models.ForeignKey(
        "organizations.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="metrics"
    )
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    healthy = models.FloatField(null=True, blank=True, help_text="At or better than this it is healthy.")
    warning = models.FloatField(null=True, blank=True, help_text="At or worse than this it is a warning.")
    critical = models.FloatField(null=True, blank=True, help_text="At or worse than this it is critical.")
    goals = models.ManyToManyField("goals.Goal", blank=True, related_name="metrics")
    # Kept by the services on every new value, so lists need no subquery.
    current = models.FloatField(null=True, blank=True)
    current_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="metric_name_unique")]

    def __str__(self):
        return self.name

    @property
    def health(self) -> str:
        return rules.health(self.direction, self.current, self.healthy, self.warning, self.critical)


class MetricValue(OrgScopedModel):
    """One recorded value of a metric: by hand (author) or from a data source."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="values")
    value = models.FloatField()
    recorded_at = models.DateTimeField()
    source = models.ForeignKey(
        "DataSource", null=True, blank=True, on_delete=models.SET_NULL, related_name="metric_values"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["metric", "recorded_at"])]

    def __str__(self):
        return f"{self.metric}: {self.value:g}"


class DataSource(OrgScopedModel):
    """Feeds one key result (as check-ins) or one metric (as values): pushed to, or pulled on a schedule."""

    class Kind(models.TextChoices):
        INBOUND = "inbound", "Inbound (pushed to a secret URL)"
        JSON = "json", "HTTP JSON pull"
        CSV = "csv", "CSV pull"

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    key_result = models.ForeignKey(
        "goals.KeyResult", null=True, blank=True, on_delete=models.CASCADE, related_name="data_sources"
    )
    metric = models.ForeignKey(
        Metric, null=True, blank=True, on_delete=models.CASCADE, related_name="data_sources"
    )
    # Encrypted at rest (core.crypto): it may carry a key.
    url = EncryptedURLField(max_length=outbound.MAX_URL_LENGTH, blank=True)
    json_path = models.CharField(max_length=200, blank=True)
    csv_column = models.CharField(max_length=80, blank=True)
    csv_row = models.IntegerField(default=-1, help_text="Data row to read: -1 is the last, 0 the first.")
    interval_minutes = models.PositiveIntegerField(default=60)
    # SHA-256 of the push token: the token itself is shown once, when the source is created.
    token_hash = models.CharField(max_length=64, unique=True)
    allow_private = models.BooleanField(
        default=False, help_text="Allow addresses of private networks and this machine (admins only)."
    )
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_value = models.FloatField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    next_run_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["kind", "is_active", "next_run_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(key_result__isnull=True, metric__isnull=False)
                | Q(key_result__isnull=False, metric__isnull=True),
                name="data_source_one_target",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_pull(self) -> bool:
        return self.kind != self.Kind.INBOUND

    @property
    def target(self):
        return self.metric if self.metric_id else self.key_result


class SourceRun(OrgScopedModel):
    """One pull or push of a data source: its outcome, value or error, and how long it took."""

    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField()
    ok = models.BooleanField()
    value = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    trigger = models.CharField(max_length=16, default="schedule")  # schedule, manual, inbound

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "started_at"])]

    def __str__(self):
        return f"{self.source} at {self.started_at:%Y-%m-%d %H:%M}: {'ok' if self.ok else 'failed'}"
