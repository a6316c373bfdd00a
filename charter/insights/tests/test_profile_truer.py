"""Issue 18, item 6: the profile's inputs on hand-built data. Task-like key results lower Focus; waiting and
escalated proposals count in the latency and a leader deciding alone does not score as empowered; a team's
pulse answers include its sub-teams'; a goals file's check-in history keeps participation."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from charter.backbriefs.models import BackBrief
from charter.delegation.models import Decision
from charter.delegation.services import decision_respond
from charter.delegation.tests.factories import make_domain, record, set_level
from charter.goals.models import Cycle, KeyResult
from charter.goals.services import check_in_record
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.insights import rules, selectors
from charter.organizations.models import Organization, Role, User
from charter.organizations.selectors import actor_for
from charter.organizations.tests.factories import make_person, make_team
from charter.pulse.tests.factories import answer, close, make_survey

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def _figures(owner, cycle, team=None):
    return selectors.compute(owner, cycle, team)


# ---- Focus reads the key results ----------------------------------------------------------------------


def test_focus_rule_counts_task_like_key_results_against_it():
    assert rules.focus(2, 2, 2, 4, 4).value == 100.0
    assert rules.focus(2, 2, 2, 1, 4).value == 75.0  # (1 + 1 + 0.25) / 3
    assert rules.focus(2, 2, 2, 0, 0).value == 100.0  # no key results: that part is left out
    assert rules.focus(0, 0, 0).value is None
    assert "outcome" in rules.focus(1, 1, 1, 1, 1).formula and "CH003" in rules.focus(1, 1, 1).formula


def test_task_like_key_results_lower_focus(owner, cycle):
    goal = make_goal(owner, cycle, "Clinics love the booking flow")
    make_key_result(owner, goal, "Bookings finished without help", start=40, target=80)
    make_key_result(owner, goal, "Net promoter score of clinics", start=10, target=40)
    outcomes = _figures(owner, cycle).figure("focus").value
    make_key_result(owner, goal, "Implement the new calendar", kind="milestone")
    make_key_result(owner, goal, "Launch the mobile app", kind="milestone")
    tasks = _figures(owner, cycle).figure("focus")
    assert outcomes == 100.0 and tasks.value == round(100 * (1 + 1 + 0.5) / 3, 1)
    assert "2 of 4 key results outcomes" in tasks.detail


# ---- decision latency: waiting and escalated ones count, a leader's "tell" is no speed -------------------


def test_decision_waits_rule():
    now = T0 + timedelta(hours=100)
    waits = [
        rules.Wait(T0, T0 + timedelta(hours=10), False, False),  # decided after 10 h
        rules.Wait(T0, None, True, False),  # still waiting: 100 h so far
        rules.Wait(T0 + timedelta(hours=40), None, True, False),  # escalated, waiting: 60 h so far
        rules.Wait(T0, T0, False, True),  # a leader decided alone at once: left out
        rules.Wait(T0, None, False, False),  # withdrawn: left out
        rules.Wait(T0, T0, False, False),  # the team decided itself at once: no wait at all
    ]
    hours = rules.decision_waits(waits, now)
    assert sorted(hours) == [0.0, 10.0, 60.0, 100.0]
    figure = rules.decision_latency(hours, waiting=2)
    assert figure.value == 35.0 and figure.detail == "2 decided decisions, 2 still waiting"
    assert "still waiting" in figure.formula and "leader took alone" in figure.formula


@pytest.fixture
def company(owner):
    team = make_team(owner, "Platform")
    lead = make_person(owner, Role.LEADER, team=team, is_lead=True)
    member = make_person(owner, Role.MEMBER, team=team)
    return team, lead, member


def test_a_leader_deciding_alone_does_not_score_as_empowered(owner, cycle, company):
    team, lead, member = company
    domain = make_domain(owner, "Pricing")
    set_level(owner, team, domain, 1)  # tell: the leader decides
    parent = make_team(owner, "Company")
    team.parent = parent
    team.save(update_fields=["parent"])
    boss = make_person(owner, Role.LEADER, team=parent, is_lead=True)
    for n in range(3):
        assert record(boss, team, domain, f"Price list {n}").decision.status == "decided"  # at once, alone
    figures = _figures(owner, cycle, team)
    assert figures.figure("decision_latency").value is None  # not "0 h": no one waited
    making = figures.figure("decision_making")
    # 0 of 3 within authority, level 1 of 7, no latency: (0 + 14.3) / 2, not lifted by a perfect latency
    assert making.value == round((0 + 100 / 7) / 2, 1)


def test_waiting_and_escalated_proposals_count_in_the_median(owner, cycle, company):
    team, lead, member = company
    domain = make_domain(owner, "Hiring")
    set_level(owner, team, domain, 3)  # consult: the member's record is a proposal to the lead
    quick = record(member, team, domain, "Hire a tester").decision
    decision_respond(actor=lead, decision_id=quick.pk, action="decide", note="Yes")
    waiting = record(member, team, domain, "Hire a designer").decision
    outsider = make_person(owner, Role.LEADER)
    escalated = record(outsider, team, domain, "Hire an agency").decision
    assert escalated.status == "escalated"
    now = timezone.now()
    decisions = Decision.objects.for_org(owner.organization)
    decisions.filter(pk=quick.pk).update(proposed_at=now - timedelta(hours=2), decided_at=now)
    decisions.filter(pk=waiting.pk).update(proposed_at=now - timedelta(hours=200))
    decisions.filter(pk=escalated.pk).update(proposed_at=now - timedelta(hours=100))
    latency = _figures(owner, cycle, team).figure("decision_latency")
    # 2 h, 100 h so far, 200 h so far: the median is the escalated one's 100 h, not the decided one's 2 h
    assert 99.9 <= latency.value <= 100.2
    assert latency.detail == "1 decided decision, 2 still waiting"


# ---- a team's scope includes its sub-teams' pulse answers ------------------------------------------------


def test_sub_teams_pulse_answers_count_in_their_parents_scope(owner, cycle):
    engineering = make_team(owner, "Engineering")
    subs = [make_team(owner, name, parent=engineering) for name in ("Platform", "Mobile")]
    people = {sub.pk: [make_person(owner, Role.MEMBER, team=sub) for _ in range(6)] for sub in subs}
    _, rnd = make_survey(owner, audience="teams", team_ids=[s.pk for s in subs])
    for sub in subs:
        for person in people[sub.pk]:
            answer(person, rnd, engagement=4, enps=9, team_id=sub.pk)
    close(rnd)
    figures = _figures(owner, cycle, engineering)
    assert figures.figure("pulse_engagement").detail == "12 respondents"
    assert figures.figure("pulse_engagement").value == 75.0
    assert figures.figure("satisfaction").value is not None
    alone = _figures(owner, cycle, subs[0])  # a sub-team sees its own six
    assert alone.figure("pulse_engagement").detail == "6 respondents"


# ---- a goals file keeps check-in participation; no back-brief for one's own team ---------------------------


def _run(*args):
    call_command(*args, stdout=StringIO(), stderr=StringIO())


def test_export_and_reimport_keeps_participation(owner, tmp_path):
    cycle = make_cycle(owner, "Long ago", days_before=60, days_after=30)
    team = make_team(owner, "Growth")
    member = make_person(owner, Role.MEMBER, team=team)
    goal = make_goal(owner, cycle, "More clinics try us", team_id=team.pk)
    kr = make_key_result(owner, goal, "Trials a month", start=40, target=120)
    # Created when the cycle began; checked in on three of its weeks.
    started = timezone.make_aware(datetime.combine(cycle.starts_on, datetime.min.time())) + timedelta(hours=9)
    KeyResult.objects.for_org(owner.organization).filter(pk=kr.pk).update(created_at=started)
    for week in (0, 2, 5):
        check_in_record(
            actor=member, key_result_id=kr.pk, value=50 + week, confidence=7,
            checked_at=started + timedelta(days=7 * week),
        )  # fmt: skip
    before = _figures(owner, cycle).figure("check_in_participation")
    assert before.detail.startswith("3 of ") and before.value is not None

    path = str(tmp_path / "org.yaml")
    _run("export", "--organization", owner.organization.slug, "-o", path)
    assert "since:" in (tmp_path / "org.yaml").read_text()
    _run("import", path, "--new-organization", "Copy", "--owner", "copy@example.org")
    copy = Organization.objects.get(name="Copy")
    copy_owner = actor_for(user=User.objects.get(email="copy@example.org"), organization=copy, via="cli")
    copied = Cycle.objects.for_org(copy).get(name="Long ago")
    after = selectors.compute(copy_owner, copied, None).figure("check_in_participation")
    assert (after.value, after.detail) == (before.value, before.detail)


def test_a_file_without_since_counts_from_its_first_check_in(owner, tmp_path):
    today = timezone.localdate()
    start = today - timedelta(days=28)
    text = f"""\
charter: 1
people:
  - {{email: ana@example.org, name: Ana Lima, role: leader}}
teams:
  - name: Growth
    members:
      - {{email: ana@example.org, lead: true}}
cycles:
  - {{name: Now, starts_on: {start.isoformat()}, ends_on: {(today + timedelta(days=30)).isoformat()}}}
goals:
  - key: g
    title: More clinics try us
    team: Growth
    owner: ana@example.org
    key_results:
      - title: Trials a month
        start: 40
        target: 120
        check_ins:
          - {{date: {start.isoformat()}, value: 50, confidence: 7, author: ana@example.org}}
          - {{date: {(start + timedelta(days=14)).isoformat()}, value: 60, confidence: 7}}
"""
    path = tmp_path / "g.yaml"
    path.write_text(text)
    _run("import", str(path), "--organization", owner.organization.slug)
    kr = KeyResult.objects.for_org(owner.organization).get(title="Trials a month")
    assert kr.tracked_since is not None and kr.tracked_since.date() == start
    cycle = Cycle.objects.for_org(owner.organization).get(name="Now")
    figure = _figures(owner, cycle).figure("check_in_participation")
    assert figure.detail == "2 of 5 key-result weeks"  # weeks 0-4, check-ins in weeks 0 and 2


def test_import_with_a_new_organization_asks_no_back_brief_of_the_importers_own_team(db, tmp_path):
    text = """\
charter: 1
people:
  - {email: boss@example.org, name: Bo Boss}
  - {email: ana@example.org, name: Ana Lima}
teams:
  - name: Leadership
    members:
      - {email: boss@example.org, lead: true}
  - name: Growth
    parent: Leadership
    members:
      - {email: ana@example.org, lead: true}
cycles:
  - {name: 2026 Q1, starts_on: 2026-01-01, ends_on: 2026-03-31}
goals:
  - {key: mine, title: Our own strategy is clear, team: Leadership, owner: boss@example.org}
  - {key: theirs, title: More clinics try us, team: Growth, owner: ana@example.org, parent: mine}
"""
    path = tmp_path / "new.yaml"
    path.write_text(text)
    _run("import", str(path), "--new-organization", "Fresh", "--owner", "boss@example.org")
    org = Organization.objects.get(name="Fresh")
    asked = set(BackBrief.objects.for_org(org).values_list("team__name", flat=True))
    assert asked == {"Growth"}  # the importer gave Leadership's goal to its own team: no back-brief


def test_the_formulas_are_on_the_how_is_this_computed_panel(owner, cycle, login):
    goal = make_goal(owner, cycle, "Clinics love the booking flow")
    make_key_result(owner, goal, "Launch the mobile app", kind="milestone")
    client = login(owner)
    page = client.get(reverse("insights_profile"), {"cycle": cycle.pk}).content.decode()
    assert "How is this computed?" in page and "key results that measure an outcome" in page
    page = client.get(reverse("insights"), {"cycle": cycle.pk}).content.decode()
    assert "proposed and escalated ones still waiting at their age so far" in page
