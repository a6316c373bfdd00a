"""Every write on decision domains and the delegation board; decision records are in `decisions`."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.audit import audit, changed_fields
from charter.core.errors import Conflict, NotFound, ValidationError
from charter.organizations.models import Team

from . import poker, rules, selectors
from .decisions import decision_record, decision_respond  # noqa: F401 - the one service module to call
from .models import (
    AdviceAnswer,
    AdviceSettings,
    DecisionDomain,
    DelegationChange,
    DelegationLevel,
    PokerItem,
    PokerPick,
)
from .poker import poker_open, poker_pick, poker_reveal, poker_reveal_due  # noqa: F401 - delegation poker

# ---- decision domains -----------------------------------------------------------------------------


def _domain_errors(actor: Actor, name: str, exclude: int | None) -> dict[str, list[str]]:
    if not name.strip():
        return {"name": ["A decision domain needs a name, such as Hiring or Pricing."]}
    taken = (
        DecisionDomain.objects.for_org(actor.organization)
        .filter(name__iexact=name.strip())
        .exclude(pk=exclude)
        .exists()
    )
    return {"name": [f"There is already a decision domain called {name.strip()}."]} if taken else {}


def domain_create(*, actor: Actor, name: str, description: str = "", examples: str = "") -> DecisionDomain:
    actor.require("decision_domain.manage")
    errors = _domain_errors(actor, name, None)
    if errors:
        raise ValidationError("The decision domain is not valid.", errors=errors)
    with transaction.atomic():
        domain = DecisionDomain.objects.create(
            organization=actor.organization,
            name=name.strip(),
            description=description.strip(),
            examples=examples.strip(),
        )
        audit(actor, "decision_domain.create", domain)
    return domain


def _locked_domain(actor: Actor, domain_id: int) -> DecisionDomain:
    domain = (
        DecisionDomain.objects.for_org(actor.organization).select_for_update().filter(pk=domain_id).first()
    )
    if domain is None:
        raise NotFound("No such decision domain.")
    return domain


def domain_update(
    *, actor: Actor, domain_id: int, name: str, description: str = "", examples: str = ""
) -> DecisionDomain:
    actor.require("decision_domain.manage")
    with transaction.atomic():
        domain = _locked_domain(actor, domain_id)
        errors = _domain_errors(actor, name, domain.pk)
        if errors:
            raise ValidationError("The decision domain is not valid.", errors=errors)
        values = {"name": name.strip(), "description": description.strip(), "examples": examples.strip()}
        changes = changed_fields(domain, values)
        if changes:
            domain.save()
            audit(actor, "decision_domain.update", domain, changes)
    return domain


def domain_delete(*, actor: Actor, domain_id: int) -> None:
    """Delete a domain with its levels; refused while decisions are recorded in it (they need it)."""
    actor.require("decision_domain.manage")
    with transaction.atomic():
        domain = _locked_domain(actor, domain_id)
        count = domain.decisions.count()
        if count:
            raise Conflict(f"“{domain.name}” has {count} decision(s) recorded; it stays while they exist.")
        audit(actor, "decision_domain.delete", domain)
        domain.delete()


# ---- the delegation board -------------------------------------------------------------------------


def _level_errors(level, reason: str) -> dict[str, list[str]]:
    errors = {}
    if level is not None and level not in rules.LEVELS:
        errors["level"] = [f"A delegation level is 1 (tell) to 7 (delegate), not {level!r}."]
    if not (reason or "").strip():
        errors["reason"] = ["Say why the level changes: the history keeps the reason."]
    return errors


def delegation_set(
    *, actor: Actor, team_id: int, domain_id: int, level: int | None, reason: str
) -> DelegationLevel | None:
    """Set a team's level in a domain, or clear it (`level` None) so the team inherits again; every change
    is kept with its reason, author and time. Returns the level set (None once cleared)."""
    return _delegation_set(actor, team_id, domain_id, level, reason)[0]


def _delegation_set(
    actor: Actor, team_id: int, domain_id: int, level: int | None, reason: str
) -> tuple[DelegationLevel | None, DelegationChange]:
    """`delegation_set`, with the history row it wrote (which advice and poker link to)."""
    actor.require("delegation.set")
    org = actor.organization
    team = Team.objects.for_org(org).filter(pk=team_id).first()
    domain = DecisionDomain.objects.for_org(org).filter(pk=domain_id).first()
    if team is None or domain is None:
        raise NotFound("No such team." if team is None else "No such decision domain.")
    errors = _level_errors(level, reason)
    if errors:
        raise ValidationError("The delegation level is not valid.", errors=errors)
    with transaction.atomic():
        current = (
            DelegationLevel.objects.for_org(org).select_for_update().filter(team=team, domain=domain).first()
        )
        previous = current.level if current else None
        if level is None:
            if current is None:
                raise Conflict(f"{team.name} has no level of its own for {domain.name}: it already inherits.")
            audit(actor, "delegation.clear", current, {"level": [previous, None], "reason": reason.strip()})
            current.delete()
            current = None
        else:
            if current is None:
                current = DelegationLevel(organization=org, team=team, domain=domain)
            current.level = level
            current.save()
            audit(actor, "delegation.set", current, {"level": [previous, level], "reason": reason.strip()})
        change = DelegationChange.objects.create(
            organization=org,
            team=team,
            domain=domain,
            level=level,
            previous_level=previous,
            reason=reason.strip(),
            author=actor.user,
        )
    return current, change


# ---- delegation advice ----------------------------------------------------------------------------


def _advice_now(actor: Actor, team_id: int, domain_id: int, kind: str):
    cell = selectors.cell_advice(actor=actor, team_id=team_id, domain_id=domain_id)  # NotFound: foreign
    if kind not in rules.ADVICE_KINDS:
        raise NotFound(f"No such kind of advice: {kind!r}.")
    item = next((a for a in cell["advice"] if a.kind == kind), None)
    if item is None:
        raise Conflict(
            "This advice no longer holds: the level or the history changed since it was shown. Open the "
            "cell again to see what its history says now."
        )
    return item


def _answer(actor: Actor, item, answer: str, reason: str, change=None) -> AdviceAnswer:
    return AdviceAnswer.objects.create(
        organization=actor.organization,
        team_id=item.team_id,
        domain_id=item.domain_id,
        kind=item.kind,
        answer=answer,
        level=item.level,
        suggested_level=item.suggested_level,
        evidence=item.evidence,
        figures=item.figures,
        reason=reason,
        leader_id=item.leader_id,
        change=change,
        author=actor.user,
    )


def advice_accept(*, actor: Actor, team_id: int, domain_id: int, kind: str) -> AdviceAnswer:
    """Accept advice: the cell's level changes to the suggested one through `delegation_set`, with the
    evidence as the recorded reason; the answer is kept and audited."""
    actor.require("delegation.set")
    with transaction.atomic():
        item = _advice_now(actor, team_id, domain_id, kind)
        reason = f"Delegation advice accepted ({rules.ADVICE_NAMES[kind].lower()}): {item.evidence}"
        _, change = _delegation_set(actor, team_id, domain_id, item.suggested_level, reason)
        answer = _answer(actor, item, rules.ACCEPTED, "", change)
        audit(
            actor,
            "delegation_advice.accept",
            answer,
            {"kind": kind, "level": [item.level, item.suggested_level], "evidence": item.evidence},
        )
    return answer


def advice_dismiss(*, actor: Actor, team_id: int, domain_id: int, kind: str, reason: str) -> AdviceAnswer:
    """Dismiss advice with a reason: the level stays; the rule of this kind for this cell then reads only
    the records made after the dismissal. Kept and audited."""
    actor.require("delegation.set")
    if not (reason or "").strip():
        raise ValidationError(
            "Say why you dismiss the advice: the reason is kept with it.",
            errors={"reason": ["Say why you dismiss the advice: the reason is kept with it."]},
        )
    with transaction.atomic():
        item = _advice_now(actor, team_id, domain_id, kind)
        answer = _answer(actor, item, rules.DISMISSED, reason.strip())
        audit(
            actor,
            "delegation_advice.dismiss",
            answer,
            {"kind": kind, "level": item.level, "evidence": item.evidence, "reason": reason.strip()},
        )
    return answer


def advice_settings_update(*, actor: Actor, thresholds: dict) -> AdviceSettings:
    """Set the organization's thresholds of the advice rules (the ones not given keep their defaults)."""
    actor.require("organization.manage")
    errors = rules.threshold_errors(thresholds)
    if errors:
        raise ValidationError("The advice thresholds are not valid.", errors=errors)
    with transaction.atomic():
        row, _ = (
            AdviceSettings.objects.for_org(actor.organization)
            .select_for_update()
            .get_or_create(organization=actor.organization)
        )
        before = dict(row.thresholds)
        row.thresholds = dict(thresholds)
        row.save()
        audit(actor, "delegation_advice.settings", row, {"thresholds": [before, row.thresholds]})
    return row


# ---- delegation poker: the level set from a session (the other writes are in `poker`) --------------


def poker_set_level(
    *, actor: Actor, session_id: int, domain_id: int, level: int, reason: str = ""
) -> PokerItem:
    """Set the team's level in a domain from a turned session, through the board's own service: the change
    is kept with a reason that names the session and its spread, and the session links to that change."""
    actor.require("delegation.set")
    with transaction.atomic():
        session = poker.locked(actor, session_id)
        item = (
            PokerItem.objects.for_org(actor.organization)
            .select_related("domain")
            .filter(session=session, domain_id=domain_id)
            .first()
        )
        if item is None:
            raise NotFound("This session does not play that decision domain.")
        if not poker.settle_deadline(actor, session):
            raise Conflict("Turn the cards first: the level is set from the spread.")
        if level not in rules.LEVELS:
            raise ValidationError(
                f"A delegation level is 1 (tell) to 7 (delegate), not {level!r}.", field="level"
            )
        levels = list(
            PokerPick.objects.for_org(actor.organization).filter(item=item).values_list("level", flat=True)
        )
        spread = rules.spread(levels)
        said = f"picks {spread.low}–{spread.high}, median {spread.median:g}" if levels else "no picks"
        full = f"Delegation poker “{session.title}” (session {session.pk}): {said}."
        if (reason or "").strip():
            full += " " + reason.strip()
        _, change = _delegation_set(actor, session.team_id, domain_id, level, full)
        item.level_set, item.change, item.set_by, item.set_at = level, change, actor.user, timezone.now()
        item.save(update_fields=["level_set", "change", "set_by", "set_at"])
        session.version = F("version") + 1
        session.save(update_fields=["version"])
        audit(actor, "delegation_poker.set_level", session, {"domain": domain_id, "level": level})
    return item
