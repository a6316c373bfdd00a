"""API of lessons: one's lessons, start and check an exercise, everyone's progress (admins)."""

from ninja import Router

from charter.core.api import action

from . import selectors, services
from .schemas import CheckOut, LessonOut, PersonLessonsOut

router = Router(tags=["lessons"])
READ = action("organization.view")
TAKE = action("lesson.take")


def _out(lesson, progress) -> dict:
    out = {
        field: getattr(lesson, field) for field in ("key", "topic", "title", "summary", "exercise", "minutes")
    }
    if progress:
        out.update(
            started_at=progress.started_at,
            completed_at=progress.completed_at,
            evidence=progress.evidence,
            evidence_url=progress.evidence_url,
        )
    return out


@router.get("/lessons", response=list[LessonOut], operation_id="lesson_list", openapi_extra=READ)
def lesson_list(request):
    """The four lessons with the caller's state: started, done (when, and the evidence)."""
    return [_out(item["lesson"], item["progress"]) for item in selectors.my_lessons(actor=request.auth)]


@router.get("/lessons/progress", response=list[PersonLessonsOut], operation_id="lesson_progress",
            openapi_extra=action("people.manage"))  # fmt: skip
def lesson_progress(request):
    """Every active person's lessons, done or not (owners and admins)."""
    table = selectors.people_progress(actor=request.auth)
    keys = [lesson.key for lesson in table["lessons"]]
    return [
        {
            "person_id": row["person"].pk,
            "name": row["person"].full_name or row["person"].email,
            "lessons": {
                key: cell.completed_at if cell else None for key, cell in zip(keys, row["cells"], strict=True)
            },
            "done": row["done"],
        }
        for row in table["people"]
    ]


@router.post("/lessons/{key}/start", response=LessonOut, operation_id="lesson_start", openapi_extra=TAKE)
def lesson_start(request, key: str):
    """Start the lesson's exercise: what the caller does from now on counts."""
    progress = services.lesson_start(actor=request.auth, key=key)
    return _out(selectors.lesson_get(key), progress)


@router.post("/lessons/{key}/check", response=CheckOut, operation_id="lesson_check", openapi_extra=TAKE)
def lesson_check(request, key: str):
    """Check the exercise on the caller's data; done is recorded with its evidence, else what is left."""
    progress, check = services.lesson_check(actor=request.auth, key=key)
    return {
        **_out(selectors.lesson_get(key), progress),
        "done": check.done,
        "to_do": check.to_do,
        "url": check.url,
    }
