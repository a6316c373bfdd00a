"""Schemas of the lessons API."""

from datetime import datetime

from ninja import Schema


class LessonOut(Schema):
    key: str
    topic: str
    title: str
    summary: str
    exercise: str
    minutes: int
    started_at: datetime | None = None
    completed_at: datetime | None = None
    evidence: str = ""
    evidence_url: str = ""


class CheckOut(LessonOut):
    done: bool
    to_do: str = ""
    url: str = ""


class PersonLessonsOut(Schema):
    person_id: int
    name: str
    lessons: dict[str, datetime | None]  # lesson key -> completed at (None: not done)
    done: int
