"""Pulse test data through the services: a survey with its open round, and people answering it."""

from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person
from charter.pulse import answering
from charter.pulse.services import round_open, survey_create


def make_survey(owner, **kwargs):
    survey = survey_create(actor=owner, title=kwargs.pop("title", "Team pulse"), **kwargs)
    return survey, round_open(actor=owner, survey_id=survey.pk)


def answer(actor, rnd, *, engagement=4, enps=8, text="fine", team_id=None):
    values = {"engagement": engagement, "satisfaction": enps}
    answers = {
        q.pk: (text if q.kind == "text" else values.get(q.code, 3)) for q in rnd.survey.questions.all()
    }
    return answering.round_answer(actor=actor, round_id=rnd.pk, answers=answers, team_id=team_id)


def respondents(owner, n, team=None):
    return [make_person(owner, Role.MEMBER, team=team) for _ in range(n)]


def close(rnd, days_ago=1):
    """Move a round into the past so that it has closed (results show only for closed rounds)."""
    from datetime import timedelta

    from django.utils import timezone

    closes = timezone.localdate() - timedelta(days=days_ago)
    opens = min(rnd.opens_on, closes)  # dates stay near today (insights read rounds by their period)
    type(rnd).objects.for_org(rnd.organization_id).filter(pk=rnd.pk).update(opens_on=opens, closes_on=closes)
    rnd.opens_on, rnd.closes_on = opens, closes
    return rnd


def stored_teams(organization) -> list:
    """The team kept with each stored response: sealed rows, and open rounds' ballot boxes."""
    from charter.pulse.models import BallotBox, Response

    teams = list(Response.objects.for_org(organization).values_list("team_id", flat=True))
    for entries in BallotBox.objects.for_org(organization).values_list("entries", flat=True):
        teams += [team for team, _ in entries]
    return sorted(teams, key=str)
