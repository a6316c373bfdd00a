"""Decision histories for the advice tests, played through the services at chosen moments."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from django.utils import timezone

from charter.delegation import services
from charter.organizations.models import Role
from charter.organizations.services import team_member_set
from charter.organizations.tests.factories import make_person, make_team

from .factories import make_domain, set_level


@contextmanager
def at(moment):
    """Every `timezone.now()` inside is `moment` (services and auto_now fields alike)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def proposals(proposer, leader, team, domain, n, *, approved=None, wait_days=2.0, start_days=60):
    """`n` proposals by `proposer`, each answered by `leader` after `wait_days`: decided (approved
    unchanged) for the first `approved` (default all), escalated for the others."""
    approved = n if approved is None else approved
    now = timezone.now()
    for i in range(n):
        when = now - timedelta(days=start_days - i * 3)
        with at(when):
            result = services.decision_record(
                actor=proposer, team_id=team.pk, domain_id=domain.pk, title=f"Proposal {i}", decision="Do it."
            )
        with at(when + timedelta(days=wait_days)):
            services.decision_respond(
                actor=leader, decision_id=result.decision.pk, action="decide" if i < approved else "escalate"
            )


def superseded_decisions(member, team, domain, n, superseded, start_days=50):
    """`n` decisions the team takes itself (its level lets it), `superseded` of them replaced by a later
    one."""
    now = timezone.now()
    made = []
    for i in range(n):
        with at(now - timedelta(days=start_days - i * 2)):
            old = made[i - 1] if 0 < i <= superseded else None
            result = services.decision_record(
                actor=member, team_id=team.pk, domain_id=domain.pk, title=f"Own {i}", decision="We do it.",
                supersedes_id=old.pk if old else None,
            )  # fmt: skip
        made.append(result.decision)
    return made


def waiting(proposer, team, domain, n, days_ago):
    """`n` proposals by `proposer` left waiting for `days_ago` days."""
    for i in range(n):
        with at(timezone.now() - timedelta(days=days_ago)):
            services.decision_record(
                actor=proposer, team_id=team.pk, domain_id=domain.pk, title=f"Waiting {i}", decision="Please."
            )


def advice_world(owner) -> dict:
    """Platform (lead Lea, a leader; member Max) under the company (lead: the owner); Budget under 10k at
    level 3 for Platform."""
    company = make_team(owner, "Company")
    team_member_set(actor=owner, team_id=company.pk, user_id=owner.user_id, is_lead=True)
    platform = make_team(owner, "Platform", parent=company)
    lea = make_person(owner, Role.LEADER, team=platform, is_lead=True, full_name="Lea Lead")
    max_ = make_person(owner, Role.MEMBER, team=platform, full_name="Max Member")
    budget = make_domain(owner, "Budget under 10k")
    set_level(owner, platform, budget, 3)
    return {
        "owner": owner,
        "platform": platform,
        "lea": lea,
        "max": max_,
        "budget": budget,
        "company": company,
    }


def raise_history(w, n=15, approved=14):
    """Max's `n` proposals in Budget under 10k, `approved` of them decided by Lea after 2.1 days."""
    proposals(w["max"], w["lea"], w["platform"], w["budget"], n, approved=approved, wait_days=2.1)
