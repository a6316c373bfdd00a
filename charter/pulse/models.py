"""Pulse surveys: recurring rounds, participation (who answered) and anonymous answers (what was said).

Anonymity is structural: `Response` and `Answer` carry no user, no timestamp and random UUID keys, and
nothing links them to `RoundParticipation`. While a round is open its answers wait in one `BallotBox`
row, a list shuffled on every answer, so no row is stored per answer (a row's place in storage, SQLite's
rowid or PostgreSQL's ctid, and its transaction, xmin, would line up with the participation written
with it); when the round closes they become `Response` and `Answer` rows in random order (`sealed`).
"""

import uuid

from django.conf import settings
from django.db import models

from charter.core.models import OrgScopedModel


class Survey(OrgScopedModel):
    """A short recurring survey sent to the whole organization or to chosen teams."""

    class Recurrence(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        BIWEEKLY = "biweekly", "Every two weeks"
        MONTHLY = "monthly", "Monthly"

    class Audience(models.TextChoices):
        ORGANIZATION = "organization", "Whole organization"
        TEAMS = "teams", "Chosen teams"

    title = models.CharField(max_length=120)
    recurrence = models.CharField(max_length=16, choices=Recurrence.choices, default=Recurrence.BIWEEKLY)
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.ORGANIZATION)
    teams = models.ManyToManyField("organizations.Team", blank=True, related_name="+")
    active = models.BooleanField(default=True)
    # The scheduler opens the next round on this date (None: not scheduled, e.g. inactive).
    next_opens_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["active", "next_opens_on"])]

    def __str__(self):
        return self.title


class Question(OrgScopedModel):
    """One question of a survey: a 1-5 scale, a 0-10 scale or a short text."""

    class Kind(models.TextChoices):
        SCALE5 = "scale5", "Scale 1 to 5"
        SCALE10 = "scale10", "Scale 0 to 10"
        TEXT = "text", "Short text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    # engagement, satisfaction, clarity, autonomy, safety, or "" for a custom question
    code = models.CharField(max_length=24, blank=True)
    text = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.SCALE5)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class SurveyRound(OrgScopedModel):
    """One recurrence of a survey: open from `opens_on` to `closes_on` (inclusive)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    opens_on = models.DateField()
    closes_on = models.DateField()
    audience_size = models.PositiveIntegerField(default=0)  # people asked, counted when it opened
    sealed = models.BooleanField(default=False)  # responses rewritten in random order after closing

    class Meta:
        ordering = ["-opens_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="pulse_round_number_unique"),
            models.UniqueConstraint(fields=["survey", "opens_on"], name="pulse_round_opens_unique"),
        ]

    def __str__(self):
        return f"{self.survey} #{self.number}"


class RoundParticipation(OrgScopedModel):
    """That a person answered a round (never what): stops double answers, gives response rates.

    No timestamp and a random key on purpose: nothing here may line up with a `Response`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="pulse_answer_once")]

    def __str__(self):
        return f"{self.user_id} answered {self.round_id}"


class BallotBox(OrgScopedModel):
    """An open round's answers: one row, rewritten in a new random order by every answer.

    `entries` is a list of [team id or null, [[question id, value or null, text], ...]], one per response.
    """

    round = models.OneToOneField(SurveyRound, on_delete=models.CASCADE, primary_key=True, related_name="box")
    entries = models.JSONField(default=list, blank=True)

    def __str__(self):
        return f"ballot box of {self.round_id}"


class Response(OrgScopedModel):
    """One anonymous set of answers to a round: no person, no time, a team only when it has 5+ members."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    team = models.ForeignKey(
        "organizations.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"response to {self.round_id}"


class Answer(OrgScopedModel):
    """One anonymous answer to one question: a number on the question's scale, or a short text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.CharField(max_length=500, blank=True)

    def __str__(self):
        return f"answer to {self.question_id}"
