"""Reads of pulse surveys, scoped to the actor's organization. Results are aggregates only, and only for
groups of at least 5 respondents; no read here returns a single response."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.errors import NotFound
from charter.organizations.models import Team

from . import answering, audience, queries, rules
from .models import Answer, Question, Response, Survey, SurveyRound


def survey_list(*, actor: Actor) -> list[Survey]:
    return list(
        Survey.objects.for_org(actor.organization)
        .prefetch_related("questions", "teams")
        .annotate(round_count=Count("rounds"))
    )


def survey_get(*, actor: Actor, survey_id: int) -> Survey:
    survey = (
        Survey.objects.for_org(actor.organization)
        .prefetch_related("questions", "teams")
        .filter(pk=survey_id)
        .first()
    )
    if survey is None:
        raise NotFound("No such survey.")
    return survey


def round_list(*, actor: Actor, survey_id: int) -> list[SurveyRound]:
    survey = survey_get(actor=actor, survey_id=survey_id)
    return list(
        SurveyRound.objects.for_org(actor.organization)
        .filter(survey=survey)
        .annotate(respondents=Count("participations"))
    )


def round_get(*, actor: Actor, round_id: int) -> SurveyRound:
    rnd = (
        SurveyRound.objects.for_org(actor.organization)
        .select_related("survey")
        .prefetch_related("survey__questions", "survey__teams")
        .filter(pk=round_id)
        .first()
    )
    if rnd is None:
        raise NotFound("No such round.")
    return rnd


def has_answered(*, actor: Actor, round_id: int) -> bool:
    return (
        SurveyRound.objects.for_org(actor.organization)
        .filter(pk=round_id, participations__user_id=actor.user_id)
        .exists()
    )


def rounds_to_answer(*, actor: Actor) -> list[SurveyRound]:
    """Open rounds in whose audience the actor is and that they have not answered (one query; two more for
    the surveys' questions and teams when there are any). The rounds with their surveys are read in plain
    SQL (`queries.open_rounds_unanswered`)."""
    rounds = queries.open_rounds_unanswered(
        organization_id=actor.organization_id, user_id=actor.user_id, today=timezone.localdate()
    )
    prefetch_related_objects(
        rounds,
        Prefetch("survey__questions", queryset=Question.objects.order_by("position", "id")),
        "survey__teams",
    )
    return [r for r in rounds if audience.in_audience(actor, r.survey)]


def answer_team_choices(*, actor: Actor, rnd: SurveyRound) -> list[tuple[int, str]]:
    """The respondent's teams in the round's audience (names from the actor's teams, one query)."""
    ids = audience.answer_team_ids(actor, rnd.survey)
    if len(ids) < 2:
        return []
    return list(Team.objects.for_org(actor.organization).filter(pk__in=ids).values_list("pk", "name"))


def team_choices(*, actor: Actor) -> list[Team]:
    return list(Team.objects.for_org(actor.organization).order_by("name"))


@dataclass
class RoundResult:
    """One round of one group: how many answered, and (at 5 or more) what they said."""

    round: SurveyRound
    respondents: int
    audience: int
    response_rate: float | None
    enough: bool
    questions: list[tuple[Question, rules.QuestionFigures]] = field(default_factory=list)
    comments: dict[int, list[str]] = field(default_factory=dict)  # text question id -> texts, sorted
    open: bool = False  # still answered: only how many answered is shown

    @property
    def not_enough_message(self) -> str:
        if self.open:
            return (
                f"Results show when this round closes on {self.round.closes_on:%d %b %Y}: while people "
                "answer, only how many answered is shown, so no figure changes with one person's answers."
            )
        return f"Not enough responses to show results ({self.respondents} of at least {rules.MIN_GROUP})."


@dataclass
class SurveyResults:
    """A survey's results for the organization or one team: every round, newest first, and the trend."""

    survey: Survey
    team: Team | None
    rounds: list[RoundResult]
    trend: dict

    @property
    def latest(self) -> RoundResult | None:
        return self.rounds[0] if self.rounds else None


@dataclass(frozen=True)
class PulseSummary:
    """Pulse figures of the organization or one team over a period; all None under 5 respondents."""

    respondents: int
    response_rate: float | None
    engagement: float | None  # 0-100: the engagement question's mean mapped from its scale
    satisfaction_enps: float | None  # -100 to 100
    satisfaction: float | None  # 0-100: eNPS mapped from [-100, 100]
    enough: bool


def _as_date(value):
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def pulse_summary(
    *, organization, team_id: int | None = None, since=None, until=None, team_ids=None
) -> PulseSummary:
    """For the insights engineer: respondents, response rate, engagement and satisfaction (four queries),
    of the rounds that have closed. `team_ids` (a team with its sub-teams) counts the answers kept for any
    of them, from the rounds that asked the organization or any of them; `team_id` is one team alone."""
    # Closed rounds only: a figure that moved with each answer would tell one person's answers.
    answering.seal_closed(getattr(organization, "pk", organization))
    teams = None if team_ids is None and team_id is None else sorted(set(team_ids or ()) | {team_id} - {None})
    rounds = SurveyRound.objects.for_org(organization).filter(closes_on__lt=timezone.localdate())
    if since is not None:
        rounds = rounds.filter(opens_on__gte=_as_date(since))
    if until is not None:
        rounds = rounds.filter(opens_on__lte=_as_date(until))
    if teams is not None:
        rounds = rounds.filter(Q(survey__audience=Survey.Audience.ORGANIZATION) | Q(survey__teams__in=teams))
    rounds = list(rounds.distinct().values_list("pk", "audience_size"))
    responses = Response.objects.for_org(organization).filter(round_id__in=[pk for pk, _ in rounds])
    if teams is not None:
        responses = responses.filter(team_id__in=teams)
    respondents = responses.count()
    if not rules.enough(respondents):
        return PulseSummary(respondents, None, None, None, None, False)
    if teams is not None:
        sizes = audience.team_sizes(getattr(organization, "pk", organization), teams)
        asked = sum(sizes.values()) * len(rounds)
    else:
        asked = sum(size for _, size in rounds)
    counts = _code_counts(organization, responses)
    engagement = rules.scale_to_100(rules.mean(counts["engagement"]), rules.SCALE5)
    enps = rules.enps(counts["satisfaction"])
    return PulseSummary(
        respondents=respondents,
        response_rate=rules.response_rate(respondents, asked),
        engagement=engagement,
        satisfaction_enps=enps,
        satisfaction=rules.enps_to_100(enps),
        enough=True,
    )


def _code_counts(organization, responses) -> dict[str, dict[int, int]]:
    rows = (
        Answer.objects.for_org(organization)
        .filter(
            response__in=responses,
            value__isnull=False,
            question__code__in=["engagement", "satisfaction"],
            question__kind__in=[rules.SCALE5, rules.SCALE10],
        )
        .values("question__code", "question__kind", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, dict[int, int]] = {"engagement": {}, "satisfaction": {}}
    for row in rows:
        bucket = counts[row["question__code"]]
        bucket[row["value"]] = bucket.get(row["value"], 0) + row["n"]
    return counts
