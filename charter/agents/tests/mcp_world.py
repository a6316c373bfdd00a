"""A small organization for the MCP tests: a team with a lead and a member, a goal, a key result, two
decision domains (one the team decides alone, one only its leader decides), and tokens; also a second
organization. `build()` runs in the test process or, printing JSON, in the subprocess tests' database."""

import json

from django.utils import timezone

from charter.delegation import services as delegation_services
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.organizations.models import ApiToken, Role
from charter.organizations.services import token_create, token_revoke
from charter.organizations.tests.factories import make_org, make_person, make_team


def build() -> dict:
    owner = make_org("Acme")
    team = make_team(owner, "Platform")
    lead = make_person(owner, Role.LEADER, team=team, is_lead=True, full_name="Lena Lead")
    member = make_person(owner, Role.MEMBER, team=team, full_name="Max Member")
    cycle = make_cycle(owner, "2026 Q4")
    goal = make_goal(lead, cycle, "Make deploys boring", team_id=team.pk, owner_id=member.user_id)
    kr = make_key_result(lead, goal, "Deploys without incident", owner_id=member.user_id)
    free = delegation_services.domain_create(actor=owner, name="Tooling")
    held = delegation_services.domain_create(actor=owner, name="Hiring")
    delegation_services.delegation_set(
        actor=owner, team_id=team.pk, domain_id=free.pk, level=7, reason="Ours."
    )
    delegation_services.delegation_set(
        actor=owner, team_id=team.pk, domain_id=held.pk, level=1, reason="Lead."
    )
    other = make_org("Globex")
    revoked, expired = token_create(actor=member, name="revoked"), token_create(actor=member, name="expired")
    token_revoke(actor=member, token_id=revoked[0].pk)
    ApiToken.objects.for_org(owner.organization).filter(pk=expired[0].pk).update(expires_at=timezone.now())
    return {
        "org_id": owner.organization.pk,
        "org_slug": owner.organization.slug,
        "lead_email": lead.user.email,
        "team_id": team.pk,
        "lead_id": lead.user_id,
        "owner_id": owner.user_id,
        "member_id": member.user_id,
        "goal_id": goal.pk,
        "key_result_id": kr.pk,
        "free_domain_id": free.pk,
        "held_domain_id": held.pk,
        "token": token_create(actor=member, name="mcp")[1],
        "other_token": token_create(actor=other, name="mcp")[1],
        "revoked_token": revoked[1],
        "expired_token": expired[1],
    }


def main():
    """For `charter shell -c`: build the world and print its ids and tokens as JSON."""
    print(json.dumps(build()))
