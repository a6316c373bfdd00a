"""Who a survey asks: its audience (active people of the organization or of chosen teams), in one query."""

from django.db.models import Count, Q

from charter.core.actor import Actor
from charter.organizations.models import Membership, Team, TeamMembership, User

from .models import Survey


def audience_user_ids(survey: Survey) -> set[int]:
    """Active people (not agents) the survey asks."""
    org = survey.organization_id
    if survey.audience == Survey.Audience.ORGANIZATION:
        rows = Membership.objects.for_org(org).filter(is_active=True, user__kind=User.Kind.PERSON)
    else:
        active = Membership.objects.for_org(org).filter(is_active=True).values("user_id")
        rows = TeamMembership.objects.for_org(org).filter(
            team__in=survey.teams.all(), user__kind=User.Kind.PERSON, user_id__in=active
        )
    return set(rows.values_list("user_id", flat=True))


def answer_team_ids(actor: Actor, survey: Survey) -> list[int]:
    """The teams a respondent may say they answer for: theirs, within the survey's audience."""
    mine = set(actor.team_ids)
    if survey.audience == Survey.Audience.TEAMS:
        mine &= {t.pk for t in survey.teams.all()}
    return sorted(mine)


def in_audience(actor: Actor, survey: Survey) -> bool:
    if getattr(actor.user, "kind", User.Kind.PERSON) != User.Kind.PERSON:
        return False
    return survey.audience == Survey.Audience.ORGANIZATION or bool(answer_team_ids(actor, survey))


def team_sizes(organization_id: int, team_ids) -> dict[int, int]:
    """Active people per team, one query."""
    active = Membership.objects.for_org(organization_id).filter(is_active=True).values("user_id")
    rows = (
        Team.objects.for_org(organization_id)
        .filter(pk__in=list(team_ids))
        .annotate(
            size=Count(
                "memberships",
                filter=Q(memberships__user_id__in=active, memberships__user__kind=User.Kind.PERSON),
            )
        )
        .values_list("pk", "size")
    )
    return dict(rows)
