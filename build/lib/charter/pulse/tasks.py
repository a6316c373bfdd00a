"""Background work of pulse surveys: open rounds that fall due and seal closed ones (ids in, safe twice)."""

from django.tasks import task
from django.utils import timezone

from . import answering, services
from .models import Survey, SurveyRound


@task()
def pulse_round_open_due(survey_id: int) -> bool:
    return services.round_open_due(survey_id=survey_id) is not None


@task()
def pulse_round_seal(round_id: int) -> bool:
    return answering.round_seal(round_id=round_id)


def pulse_rounds_enqueue(period: str) -> None:
    """The scheduler's minute job: one cheap indexed query each; tasks only for surveys and rounds due."""
    today = timezone.localdate()
    due = Survey.objects.unscoped().filter(active=True, next_opens_on__lte=today).values_list("pk", flat=True)
    for survey_id in due:
        pulse_round_open_due.enqueue(survey_id=survey_id)
    closed = (
        SurveyRound.objects.unscoped().filter(sealed=False, closes_on__lt=today).values_list("pk", flat=True)
    )
    for round_id in closed:
        pulse_round_seal.enqueue(round_id=round_id)
