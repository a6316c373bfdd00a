"""Metric health and threshold rules: pure functions, the same for web, API and data sources."""

HIGHER, LOWER = "higher", "lower"
HEALTHY, WARNING, CRITICAL, UNKNOWN = "healthy", "warning", "critical", "unknown"

# Backoff of a failing pull: 1 min, 2, 4 ... capped at six hours.
BACKOFF_SECONDS = 60
BACKOFF_CAP_SECONDS = 6 * 3600


def _at_or_better(direction: str, value: float, threshold: float) -> bool:
    return value >= threshold if direction == HIGHER else value <= threshold


def health(direction: str, value, healthy=None, warning=None, critical=None) -> str:
    """Healthy, warning, critical, or unknown without a value.

    Critical and warning are alarm lines (at or worse than them); healthy is the target (at or better).
    A value past no alarm line but short of the healthy target is a warning; without a healthy target
    anything past the alarm lines is healthy.
    """
    if value is None:
        return UNKNOWN
    if critical is not None and (not _at_or_better(direction, value, critical) or value == critical):
        return CRITICAL
    if warning is not None and (not _at_or_better(direction, value, warning) or value == warning):
        return WARNING
    if healthy is None or _at_or_better(direction, value, healthy):
        return HEALTHY
    return WARNING


def validate_thresholds(direction: str, healthy=None, warning=None, critical=None) -> dict[str, str]:
    """Field errors when the thresholds are out of order for the direction; empty when they make sense."""
    if direction not in (HIGHER, LOWER):
        return {"direction": "Choose whether higher or lower values are better."}
    word = "above" if direction == HIGHER else "below"
    ordered = [
        (n, v)
        for n, v in (("healthy", healthy), ("warning", warning), ("critical", critical))
        if v is not None
    ]
    errors = {}
    for (better_name, better), (worse_name, worse) in zip(ordered, ordered[1:], strict=False):
        if better == worse or not _at_or_better(direction, better, worse):
            errors[worse_name] = (
                f"When {direction} is better, the {better_name} threshold ({better:g}) must be {word} "
                f"the {worse_name} threshold ({worse:g})."
            )
    return errors


def retry_delay_seconds(consecutive_failures: int) -> int:
    """How long a failing source waits before its next try: doubles with each failure, capped."""
    exponent = max(consecutive_failures - 1, 0)
    return min(BACKOFF_SECONDS * 2 ** min(exponent, 20), BACKOFF_CAP_SECONDS)
