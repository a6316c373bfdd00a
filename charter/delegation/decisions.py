"""Decision records: the one place that enforces delegation levels, for people and agents alike."""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.audit import audit
from charter.core.errors import Conflict, NotFound, ValidationError
from charter.goals.models import Goal
from charter.notifications.services import notify
from charter.organizations.models import Team, TeamMembership

from . import rules
from .authority import Authority, authority_for
from .models import Decision, DecisionDomain, DecisionEvent

TEXT_FIELDS = ("context", "options", "decision", "rationale", "consequences")


@dataclass
class Result:
    """A decision after a record or a response, with the message that says what happened and why."""

    decision: Decision
    message: str
    outcome: rules.Outcome | rules.Step


def _resolve(actor: Actor, team_id, domain_id, goal_ids, supersedes_id) -> dict:
    org, errors, found = actor.organization, {}, {}
    found["team"] = Team.objects.for_org(org).filter(pk=team_id).first() if team_id else None
    found["domain"] = DecisionDomain.objects.for_org(org).filter(pk=domain_id).first() if domain_id else None
    if found["team"] is None:
        errors["team_id"] = ["Choose the team whose decision this is."]
    if found["domain"] is None:
        errors["domain_id"] = ["Choose the decision domain (such as Hiring or Pricing)."]
    ids = sorted(set(goal_ids or ()))
    found["goals"] = list(Goal.objects.for_org(org).filter(pk__in=ids)) if ids else []
    if len(found["goals"]) != len(ids):
        errors["goal_ids"] = ["One of the linked goals does not exist."]
    found["supersedes"] = None
    if supersedes_id:
        found["supersedes"] = (
            Decision.objects.for_org(org).select_related("team", "domain").filter(pk=supersedes_id).first()
        )
        if found["supersedes"] is None or found["supersedes"].status == rules.SUPERSEDED:
            errors["supersedes_id"] = ["The decision to supersede does not exist or is already superseded."]
    return found | {"errors": errors}


def _check_supersede(actor: Actor, auth: Authority, old: Decision | None, acting_for_id) -> None:
    """Superseding needs the authority to make the old decision, evaluated on its own team and domain."""
    if old is None:
        return
    same = (old.team_id, old.domain_id) == (auth.team.pk, auth.domain.pk)
    there = auth if same else authority_for(actor, old.team, old.domain, acting_for_id=acting_for_id)
    why = rules.supersede_refusal(there.record_outcome(), same_team_and_domain=same)
    if why:
        raise ValidationError(
            why.format(
                title=old.title, team=old.team.name, domain=old.domain.name, level=there.level_info.label
            ),
            field="supersedes_id",
        )


def person_today(user) -> date:
    """Today in the person's time zone (their profile's, else the installation's)."""
    try:
        zone = ZoneInfo(user.time_zone or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(settings.TIME_ZONE)
    return timezone.now().astimezone(zone).date()


def _url(decision: Decision) -> str:
    return reverse("decision_detail", kwargs={"decision_id": decision.pk})


def _notify(actor: Actor, event: str, decision: Decision, recipient_ids, title: str, body: str = "") -> None:
    if event and recipient_ids:
        notify(
            actor=actor,
            event=event,
            recipient_ids=recipient_ids,
            title=title,
            url=_url(decision),
            body=body,
            object_type="decision",
            object_id=decision.pk,
        )


def _acted_for(actor: Actor, auth: Authority, decision: Decision, message: str) -> str:
    """Acting for a leader: the message says so, and the leader stood in for is told what was done."""
    if not auth.acting_for_id:
        return message
    name = auth.name(auth.acting_for_id)
    _notify(
        actor,
        rules.TOLD,
        decision,
        [auth.acting_for_id],
        f"{decision.title}: {actor.user} acted for you",
        message,
    )
    return f"{message} You acted for {name}."


def _team_ids(actor: Actor, team: Team) -> list[int]:
    return list(
        TeamMembership.objects.for_org(actor.organization).filter(team=team).values_list("user_id", flat=True)
    )


def _recipients(actor: Actor, auth: Authority, outcome: rules.Outcome, addressee_id: int | None) -> list[int]:
    """The addressed leader; for the team side, its lead, else everyone in the team."""
    if outcome.addressee == "team" and addressee_id is None:
        return _team_ids(actor, auth.team)
    return [addressee_id] if addressee_id else []


def decision_record(
    *,
    actor: Actor,
    team_id: int | None,
    domain_id: int | None,
    title: str,
    decision: str,
    context: str = "",
    options: str = "",
    rationale: str = "",
    consequences: str = "",
    goal_ids: list[int] | None = None,
    supersedes_id: int | None = None,
    acting_for_id: int | None = None,
    needed_by: date | None = None,
) -> Result:
    """Record a decision; the team's level in the domain and the actor's relation decide what it becomes.

    `needed_by` (optional) is the day the answer is needed; it may not be before the recorder's today.

    An owner or admin may record for a leader of the team's chain (`acting_for_id`): the record then
    follows that leader's authority, and the history keeps both.
    """
    actor.require("decision.record")
    found = _resolve(actor, team_id, domain_id, goal_ids, supersedes_id)
    errors = found.pop("errors")
    if not title.strip():
        errors["title"] = ["A decision needs a title: what is decided, in a few words."]
    if not decision.strip():
        errors["decision"] = ["Say what is (or is proposed to be) decided."]
    if why := rules.needed_by_error(needed_by, person_today(actor.user)):
        errors["needed_by"] = [why]
    if errors:
        raise ValidationError("The decision is not valid.", errors=errors)
    texts = {"context": context, "options": options, "decision": decision}
    texts |= {"rationale": rationale, "consequences": consequences}
    with transaction.atomic():
        auth = authority_for(actor, found["team"], found["domain"], acting_for_id=acting_for_id)
        outcome = auth.record_outcome()
        _check_supersede(actor, auth, found["supersedes"], acting_for_id)
        texts = {k: v.strip() for k, v in texts.items()}
        record = _create(actor, auth, outcome, title.strip(), texts | {"needed_by": needed_by}, found)
        message = outcome.render(
            domain=auth.domain.name, team=auth.team.name, leader=auth.name(record.addressed_to_id)
        )
        _notify(
            actor, outcome.notify, record, _recipients(actor, auth, outcome, record.addressed_to_id),
            f"{record.title}: {rules.AWAITING_WORDS.get(outcome.awaiting, 'decided, for your information')}",
            message,
        )  # fmt: skip
        message = _acted_for(actor, auth, record, message)
    return Result(record, message, outcome)


def _create(actor: Actor, auth: Authority, outcome: rules.Outcome, title: str, texts: dict, found: dict):
    now, decided = timezone.now(), outcome.status == rules.DECIDED
    record = Decision.objects.create(
        organization=actor.organization,
        title=title,
        **texts,
        domain=auth.domain,
        team=auth.team,
        status=outcome.status,
        level=auth.level,
        relation=auth.relation,
        awaiting=outcome.awaiting,
        addressed_to_id=auth.leader_for(outcome.addressee),
        recorded_by=actor.user,
        decided_by=actor.user if decided else None,
        consulted=outcome.consulted,
        advice_requested=outcome.advice_requested,
        escalated=outcome.escalated,
        escalated_at=now if outcome.escalated else None,
        proposed_at=now,
        decided_at=now if decided else None,
        supersedes=found["supersedes"],
    )
    record.goals.set(found["goals"])
    DecisionEvent.objects.create(
        organization=actor.organization,
        decision=record,
        actor=actor.user,
        acting_for_id=auth.acting_for_id,
        kind="recorded",
        status=record.status,
    )
    if decided:
        _supersede(actor, record)
    changes = {"status": record.status, "level": auth.level}
    if record.needed_by:
        changes["needed_by"] = record.needed_by.isoformat()
    audit(actor, "decision.record", record, changes | _acting(auth))
    return record


def _acting(auth: Authority) -> dict:
    return {"acting_for": auth.acting_for_id} if auth.acting_for_id else {}


def _supersede(actor: Actor, record: Decision) -> None:
    old = record.supersedes
    if old is None or old.status == rules.SUPERSEDED:
        return
    old.status, old.awaiting = rules.SUPERSEDED, ""
    old.save(update_fields=["status", "awaiting", "updated_at"])
    DecisionEvent.objects.create(
        organization=actor.organization, decision=old, actor=actor.user, kind="superseded",
        status=old.status, note=f"Superseded by “{record.title}”.",
    )  # fmt: skip
    audit(actor, "decision.supersede", old, {"superseded_by": record.pk})


# ---- responses ------------------------------------------------------------------------------------


def _locked(actor: Actor, decision_id: int) -> Decision:
    record = (
        Decision.objects.for_org(actor.organization)
        .select_for_update(of=("self",))
        .select_related("team", "domain", "supersedes", "recorded_by", "addressed_to")
        .filter(pk=decision_id)
        .first()
    )
    if record is None:
        raise NotFound("No such decision.")
    return record


def decision_respond(
    *, actor: Actor, decision_id: int, action: str, note: str = "", acting_for_id: int | None = None
) -> Result:
    """Agree, advise, decide, escalate or withdraw an open record: only the side it waits for may (withdraw:
    only its proposer); an agent never makes it decided above its cap. An owner or admin may answer for
    a leader of the team's chain (`acting_for_id`).

    A refusal is a Conflict (409): the role may respond, but this record does not wait for this person.
    """
    actor.require("decision.respond")
    with transaction.atomic():
        record = _locked(actor, decision_id)
        auth = authority_for(actor, record.team, record.domain, acting_for_id=acting_for_id)
        position = rules.Position(
            relation=auth.relation,
            is_addressee=auth.is_addressee(record.addressed_to_id, record.recorded_by_id),
            is_proposer=record.recorded_by_id == actor.user_id,
            agent_cap=auth.agent_cap,
        )
        step = rules.respond_step(action, record.awaiting, record.level, position)
        if not step.allowed:
            team_side = record.awaiting.startswith("team")
            waiting_on = (
                str(record.addressed_to) if record.addressed_to else ("the team" if team_side else "")
            )
            raise Conflict(
                step.message.format(
                    leader=waiting_on or "a leader", team=record.team.name, proposer=str(record.recorded_by)
                )
            )
        if action == rules.ADVISE and not note.strip():
            raise ValidationError("Write your advice: the team decides with it in hand.", field="note")
        message = _apply(actor, auth, record, step, action, note.strip())
        message = _acted_for(actor, auth, record, message)
    return Result(record, message, step)


def _apply(actor: Actor, auth: Authority, record: Decision, step: rules.Step, action: str, note: str) -> str:
    now, before = timezone.now(), record.addressed_to_id
    record.status, record.awaiting = step.status, step.awaiting
    message = step.message
    if step.addressee == "up":
        target = auth.leader_escalation(before)
        if target is None:
            raise Conflict("There is nobody above to escalate to; decide it here.")
        record.addressed_to_id, record.escalated, record.escalated_at = target, True, now
        message = message.format(next=auth.name(target))
    elif step.addressee == "proposer":
        record.addressed_to_id = record.recorded_by_id
    if action == rules.ADVISE:
        record.advice, record.advised_by, record.advised_at = note, actor.user, now
    if step.status == rules.DECIDED:
        record.decided_by, record.decided_at = actor.user, now
        _supersede(actor, record)
    record.save()
    DecisionEvent.objects.create(
        organization=actor.organization, decision=record, actor=actor.user, acting_for_id=auth.acting_for_id,
        kind=action, status=record.status, note=note,
    )  # fmt: skip
    changes = {"status": record.status, "addressed_to": record.addressed_to_id}
    audit(actor, f"decision.{action}", record, changes | _acting(auth))
    recipients = [record.recorded_by_id] if step.status == rules.DECIDED else [record.addressed_to_id]
    _notify(actor, step.notify, record, recipients, f"{record.title}: {message}", note)
    return message
