"""Factories for decision domains, levels and decisions, through the services."""

import itertools
from dataclasses import dataclass

from charter.delegation import services
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team

_seq = itertools.count(1)


def make_domain(actor, name=None, **kwargs):
    return services.domain_create(actor=actor, name=name or f"Domain {next(_seq)}", **kwargs)


def set_level(actor, team, domain, level, reason="Because we trust them."):
    return services.delegation_set(
        actor=actor, team_id=team.pk, domain_id=domain.pk, level=level, reason=reason
    )


def record(actor, team, domain, title=None, **kwargs):
    kwargs.setdefault("decision", "We do it this way.")
    return services.decision_record(
        actor=actor, team_id=team.pk, domain_id=domain.pk, title=title or f"Decision {next(_seq)}", **kwargs
    )


@dataclass
class Cast:
    """A company team led by `boss`; below it Product (lead `ana`, member `bob`); Sales (`carl`)."""

    owner: object
    company: object
    product: object
    sales: object
    domain: object
    boss: object
    ana: object
    bob: object
    carl: object

    def by_relation(self, relation: str):
        return {"member": self.bob, "lead": self.ana, "leader_above": self.boss, "outsider": self.carl}[
            relation
        ]


def make_cast(owner) -> Cast:
    company = make_team(owner, "Company")
    product = make_team(owner, "Product", parent=company)
    sales = make_team(owner, "Sales", parent=company)
    boss = make_person(owner, Role.MEMBER, team=company, is_lead=True, full_name="Bea Boss")
    ana = make_person(owner, Role.MEMBER, team=product, is_lead=True, full_name="Ana Lead")
    bob = make_person(owner, Role.MEMBER, team=product, full_name="Bob Member")
    carl = make_person(owner, Role.MEMBER, team=sales, full_name="Carl Sales")
    domain = make_domain(owner, "Pricing")
    return Cast(owner, company, product, sales, domain, boss, ana, bob, carl)
