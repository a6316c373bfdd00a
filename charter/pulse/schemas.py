"""Schemas of pulse surveys, shared by the API, MCP tools and command line. Results are aggregates only."""

from datetime import date
from typing import Literal

from ninja import Field, Schema

from charter.core.schemas import InSchema

Recurrence = Literal["weekly", "biweekly", "monthly"]
AudienceKind = Literal["organization", "teams"]
QuestionKind = Literal["scale5", "scale10", "text"]


class QuestionIn(InSchema):
    text: str = Field(max_length=200)
    kind: QuestionKind = "scale5"
    code: str = Field("", description="engagement, satisfaction, clarity, autonomy or safety; empty: custom.")


class QuestionOut(Schema):
    id: int
    position: int
    code: str
    text: str
    kind: QuestionKind


class SurveyIn(InSchema):
    title: str = Field(max_length=120)
    recurrence: Recurrence = "biweekly"
    audience: AudienceKind = "organization"
    team_ids: list[int] = Field(default_factory=list, description="The teams asked, when audience is teams.")
    questions: list[QuestionIn] | None = Field(None, description="Omit for the five default questions.")
    active: bool = True
    first_opens_on: date | None = Field(None, description="When the first round opens (default: today).")


class SurveyOut(Schema):
    id: int
    title: str
    recurrence: Recurrence
    audience: AudienceKind
    team_ids: list[int]
    active: bool
    next_opens_on: date | None
    questions: list[QuestionOut]

    @staticmethod
    def resolve_team_ids(obj) -> list[int]:
        return [t.pk for t in obj.teams.all()]

    @staticmethod
    def resolve_questions(obj) -> list:
        return list(obj.questions.all())


class RoundOut(Schema):
    id: int
    survey_id: int
    number: int
    opens_on: date
    closes_on: date
    audience_size: int
    respondents: int = Field(0, description="How many people answered (never who).")


class AnswerIn(InSchema):
    question_id: int
    value: int | None = Field(None, description="For scale questions: 1-5 or 0-10.")
    text: str = Field("", max_length=500, description="For short-text questions.")


class RoundAnswerIn(InSchema):
    answers: list[AnswerIn]
    team_id: int | None = Field(None, description="One of your teams in the audience (kept at 5+ members).")


class AnsweredOut(Schema):
    round_id: int
    answered: bool = True


class CountOut(Schema):
    value: int
    count: int


class QuestionResultOut(Schema):
    question_id: int
    text: str
    kind: QuestionKind
    mean: float | None
    enps: float | None = Field(description="Promoters (9-10) minus detractors (0-6), in %; 0-10 questions.")
    distribution: list[CountOut]
    comments: list[str] = Field(description="Short-text answers, sorted alphabetically.")


class RoundResultOut(Schema):
    round_id: int
    number: int
    opens_on: date
    closes_on: date
    respondents: int
    audience_size: int
    response_rate: float | None
    enough: bool = Field(
        description="The round has closed with at least 5 respondents: only then are figures shown."
    )
    message: str = Field("", description="Why no figures are shown (the round is open, or too few answered).")
    questions: list[QuestionResultOut] = Field(
        description="Empty while the round is open (no figure moves with one answer) and under 5 respondents."
    )


class ResultsOut(Schema):
    survey_id: int
    team_id: int | None
    min_group: int
    rounds: list[RoundResultOut] = Field(description="Newest first.")
