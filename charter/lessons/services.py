"""Every write on lessons: start an exercise, and record it done once its check finds the evidence."""

from django.db import transaction
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.audit import audit

from . import selectors
from .models import LessonProgress


def lesson_start(*, actor: Actor, key: str) -> LessonProgress:
    """Start the lesson's exercise: what the actor does from now on counts. Starting again keeps the first
    start (and a completion)."""
    actor.require("lesson.take", "Viewers read the lessons; the exercises need a role that changes goals.")
    selectors.lesson_get(key)
    with transaction.atomic():
        progress, created = LessonProgress.objects.for_org(actor.organization).get_or_create(
            organization_id=actor.organization_id,
            person_id=actor.user_id,
            lesson=key,
            defaults={"started_at": timezone.now()},
        )
        if created:
            audit(actor, "lesson.start", progress, {"lesson": key})
    return progress


def lesson_check(*, actor: Actor, key: str) -> tuple[LessonProgress, selectors.Check]:
    """Check the exercise on the actor's data; when done, record when and the evidence (audited)."""
    actor.require("lesson.take", "Viewers read the lessons; the exercises need a role that changes goals.")
    with transaction.atomic():
        progress = lesson_start(actor=actor, key=key)
        progress = LessonProgress.objects.for_org(actor.organization).select_for_update().get(pk=progress.pk)
        check = selectors.exercise_check(actor=actor, key=key)
        if check.done and not progress.completed_at:
            progress.completed_at = timezone.now()
            progress.evidence, progress.evidence_url = check.evidence, check.url
            progress.save(update_fields=["completed_at", "evidence", "evidence_url"])
            audit(actor, "lesson.complete", progress, {"lesson": key, "evidence": check.evidence})
    return progress, check
