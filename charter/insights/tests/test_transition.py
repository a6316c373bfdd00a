"""Issue 18, item 5: the transition over time, per team and cycle, on hand-built data.

Sub-teams roll up: a team's figures include its sub-teams' (decisions, back-briefs, check-ins, ideas,
advice answers, people), as the leadership profile counts a team; each sub-team also has its own row."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from charter.core.errors import NotFound, PermissionDenied, ValidationError
from charter.delegation.models import AdviceAnswer, Decision
from charter.delegation.tests.factories import make_domain, record, set_level
from charter.goals.tests.factories import drop_cycles, make_cycle
from charter.insights import rules, selectors
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team
from charter.pulse.rules import MIN_GROUP

pytestmark = pytest.mark.django_db


def _figure(figures, code):
    return next(f for f in figures if f.code == code)


# ---- the rules: each formula, the anonymity edge, the trend ----------------------------------------------


COUNTS = rules.TransitionCounts(
    people=5,
    decisions=8,
    team_level=5,
    escalated=2,
    advice_accepted=3,
    advice_dismissed=1,
    briefs=4,
    briefs_confirmed=3,
    check_in_hits=18,
    check_in_expected=24,
    ideas_submitted=6,
    ideas_adopted=2,
)


def test_each_figure_follows_its_formula():
    figures = {f.code: f for f in rules.transition_figures(COUNTS)}
    assert list(figures) == list(rules.TRANSITION_CODES)
    assert figures[rules.TEAM_LEVEL].value == 62.5  # 5 of 8 decisions
    assert figures[rules.ESCALATED].value == 25.0  # 2 of 8
    assert figures[rules.ADVICE_ACCEPTED].value == 75.0  # 3 of 3 + 1 answered
    assert figures[rules.BRIEFS_CONFIRMED].value == 75.0  # 3 of 4
    assert figures[rules.PARTICIPATION].value == 75.0  # 18 of 24 key-result weeks
    assert figures[rules.IDEAS_ADOPTED].value == 2.0
    assert figures[rules.TEAM_LEVEL].detail == "5 of 8 decisions"
    assert figures[rules.ADVICE_ACCEPTED].detail == "3 of 4 answered"
    assert figures[rules.IDEAS_ADOPTED].detail == "2 ideas adopted, 6 submitted"
    assert all(f.formula for f in figures.values())
    assert "level 5 or above, not escalated" in figures[rules.TEAM_LEVEL].formula


def test_no_data_is_none_never_zero():
    figures = {f.code: f for f in rules.transition_figures(rules.TransitionCounts(people=7))}
    for code in (rules.TEAM_LEVEL, rules.ESCALATED, rules.ADVICE_ACCEPTED, rules.BRIEFS_CONFIRMED):
        assert figures[code].value is None, code
    assert figures[rules.PARTICIPATION].value is None
    assert figures[rules.IDEAS_ADOPTED].value == 0.0  # no idea adopted by seven people is a count of 0


def test_the_anonymity_edge_is_the_pulse_threshold():
    assert rules.TRANSITION_MIN_PEOPLE == MIN_GROUP == 5
    shown = {f.code: f for f in rules.transition_figures(COUNTS)}  # 5 people
    hidden = {
        f.code: f for f in rules.transition_figures(COUNTS.__class__(**{**COUNTS.__dict__, "people": 4}))
    }
    assert not any(f.parts.get("hidden") for f in shown.values())
    for code in rules.PERSONAL:
        assert hidden[code].value is None and hidden[code].parts == {"hidden": True}
        assert hidden[code].detail == (
            "hidden: fewer than 5 people (4 people), a figure could point at one person"
        )
    for code in (
        set(rules.TRANSITION_CODES) - rules.PERSONAL
    ):  # decisions, advice, back-briefs: by name anyway
        assert hidden[code].value == shown[code].value
    factors = [rules.engagement(80, None), rules.innovation(4, 1, 4), rules.focus(1, 1, 1)]
    kept = {f.code: f for f in rules.transition_factors(factors, 4)}
    assert kept["engagement"].value is None and kept["innovation"].value is None
    assert kept["focus"].value == 100.0
    assert rules.transition_factors(factors, 5) == factors


def test_trend_reads_progress_and_resistance_in_words():
    def fig(code, value, unit="%"):
        return rules.Figure(code, code, value, "", unit)

    up = rules.trend(fig(rules.TEAM_LEVEL, 40.0), fig(rules.TEAM_LEVEL, 62.5))
    assert (up.direction, up.arrow, up.words, up.reading) == (
        "up",
        "↑",
        "up 22.5 points: progress",
        "progress",
    )
    worse = rules.trend(fig(rules.ESCALATED, 10.0), fig(rules.ESCALATED, 30.0))
    assert worse.words == "up 20 points: resistance"  # more escalated is a move away
    better = rules.trend(fig(rules.ESCALATED, 30.0), fig(rules.ESCALATED, 10.0))
    assert (better.arrow, better.words) == ("↓", "down 20 points: progress")
    assert rules.trend(fig(rules.PARTICIPATION, 70.0), fig(rules.PARTICIPATION, 70.9)).words == "steady"
    assert rules.trend(None, fig(rules.PARTICIPATION, 70.0)).direction == "none"
    assert rules.trend(fig(rules.PARTICIPATION, None), fig(rules.PARTICIPATION, 70.0)).arrow == ""
    ideas = rules.trend(fig(rules.IDEAS_ADOPTED, 3.0, ""), fig(rules.IDEAS_ADOPTED, 1.0, ""))
    assert ideas.words == "down 2: resistance"


# ---- the selector on hand-built data -------------------------------------------------------------------


@pytest.fixture
def world(owner):
    """Engineering (its lead) above Platform (a lead and four members: five people), a previous and a
    current cycle; Platform decides Tooling alone (level 7)."""
    drop_cycles(owner)  # the quarter every new organization gets
    before = make_cycle(owner, "Before", days_before=120, days_after=-31)
    now = make_cycle(owner, "Now", days_before=30, days_after=60)
    engineering = make_team(owner, "Engineering")
    platform = make_team(owner, "Platform", parent=engineering)
    boss = make_person(owner, Role.LEADER, team=engineering, is_lead=True)
    lead = make_person(owner, Role.LEADER, team=platform, is_lead=True)
    members = [make_person(owner, Role.MEMBER, team=platform) for _ in range(4)]
    outsider = make_person(owner, Role.LEADER)
    domain = make_domain(owner, "Tooling")
    set_level(owner, platform, domain, 7)
    return {
        "before": before,
        "now": now,
        "engineering": engineering,
        "platform": platform,
        "boss": boss,
        "lead": lead,
        "members": members,
        "outsider": outsider,
        "domain": domain,
    }


def _backdate(owner, decision, days: int):
    moment = timezone.now() - timedelta(days=days)
    changes = {"proposed_at": moment}
    if decision.decided_at is not None:
        changes["decided_at"] = moment
    Decision.objects.for_org(owner.organization).filter(pk=decision.pk).update(**changes)


def _answer(owner, team, domain, answer: str, days: int):
    row = AdviceAnswer.objects.create(
        organization=owner.organization,
        team=team,
        domain=domain,
        kind="raise",
        answer=answer,
        level=4,
        suggested_level=5,
        evidence="Hand-built.",
    )
    AdviceAnswer.objects.for_org(owner.organization).filter(pk=row.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def _cell(result, team, cycle):
    row = next(r for r in result.rows if (r.team.pk if r.team else None) == (team.pk if team else None))
    return row, next(c for c in row.cells if c.cycle.pk == cycle.pk)


def test_team_level_versus_escalated_and_the_trend(owner, world):
    w = world
    # Before: one decision at team level, three escalated by someone outside the team.
    _backdate(owner, record(w["members"][0], w["platform"], w["domain"]).decision, 60)
    for _ in range(3):
        escalated = record(w["outsider"], w["platform"], w["domain"]).decision
        assert escalated.status == "escalated"
        _backdate(owner, escalated, 59)
    # Now: three at team level (a member, the lead, a member), one escalated.
    for who in (w["members"][1], w["lead"], w["members"][2]):
        assert record(who, w["platform"], w["domain"]).decision.status == "decided"
    record(w["outsider"], w["platform"], w["domain"])
    result = selectors.transition(actor=owner)
    assert [c.name for c in result.cycles] == ["Before", "Now"]
    row, before = _cell(result, w["platform"], w["before"])
    _, now = _cell(result, w["platform"], w["now"])
    assert row.people == 5 and row.sub_teams == 0 and row.depth == 1
    assert (before.counts.decisions, before.counts.team_level, before.counts.escalated) == (4, 1, 3)
    assert (now.counts.decisions, now.counts.team_level, now.counts.escalated) == (4, 3, 1)
    figures = {f.code: (f, t) for f, t in now.figures}
    assert figures[rules.TEAM_LEVEL][0].value == 75.0
    assert figures[rules.ESCALATED][0].value == 25.0
    assert figures[rules.TEAM_LEVEL][1].words == "up 50 points: progress"
    assert figures[rules.ESCALATED][1].words == "down 50 points: progress"
    assert all(t.direction == "none" for _, t in before.figures)  # nothing before the first cycle shown
    factors = {f.code: (f, t) for f, t in now.factors}
    assert set(factors) == set(rules.FACTORS)
    assert factors["decision_making"][1].reading == "progress"


def test_sub_teams_roll_up_into_their_parent(owner, world):
    w = world
    record(w["members"][0], w["platform"], w["domain"])
    record(w["outsider"], w["platform"], w["domain"])
    _answer(owner, w["platform"], w["domain"], "accepted", 5)
    _answer(owner, w["platform"], w["domain"], "dismissed", 4)
    _answer(owner, w["platform"], w["domain"], "accepted", 70)  # in the cycle before
    result = selectors.transition(actor=owner)
    row, cell = _cell(result, w["engineering"], w["now"])
    assert row.people == 6 and row.sub_teams == 1 and row.depth == 0  # the boss and Platform's five
    assert (cell.counts.decisions, cell.counts.team_level, cell.counts.escalated) == (2, 1, 1)
    assert (cell.counts.advice_accepted, cell.counts.advice_dismissed) == (1, 1)
    assert _figure([f for f, _ in cell.figures], rules.ADVICE_ACCEPTED).value == 50.0
    _, earlier = _cell(result, w["engineering"], w["before"])
    assert (earlier.counts.advice_accepted, earlier.counts.advice_dismissed) == (1, 0)
    whole, org_cell = _cell(result, None, w["now"])
    assert whole.team is None and org_cell.counts.decisions == 2 and whole.people == 8
    assert [r.team.name if r.team else None for r in result.rows] == [None, "Engineering", "Platform"]
    only = selectors.transition(actor=owner, team_id=w["platform"].pk)
    assert [r.team.name for r in only.rows] == ["Platform"] and only.rows[0].depth == 0


def test_a_team_of_four_hides_what_each_member_does_five_shows_it(owner, world):
    w = world
    lonely = make_team(owner, "Four")
    for _ in range(4):
        make_person(owner, Role.MEMBER, team=lonely)
    result = selectors.transition(actor=owner)
    four, cell = _cell(result, lonely, w["now"])
    assert four.people == 4 and four.hidden.startswith("hidden: fewer than 5 people")
    hidden = {f.code for f, _ in cell.figures + cell.factors if f.parts.get("hidden")}
    assert hidden == {rules.PARTICIPATION, rules.IDEAS_ADOPTED, "engagement", "innovation"}
    five, cell = _cell(result, w["platform"], w["now"])
    assert five.people == 5 and five.hidden == ""
    assert not any(f.parts.get("hidden") for f, _ in cell.figures + cell.factors)
    make_person(owner, Role.MEMBER, team=lonely)  # the fifth
    _, cell = _cell(selectors.transition(actor=owner), lonely, w["now"])
    assert not any(f.parts.get("hidden") for f, _ in cell.figures)


def test_figures_agree_with_the_profile_of_the_same_scope(owner, world):
    w = world
    record(w["members"][0], w["platform"], w["domain"])
    _, cell = _cell(selectors.transition(actor=owner), w["platform"], w["now"])
    profile = selectors.insights_for(actor=owner, cycle_id=w["now"].pk, team_id=w["platform"].pk)
    assert [f.value for f, _ in cell.factors] == [f.value for f in profile.factors]
    participation = profile.figure("check_in_participation").value
    assert _figure([f for f, _ in cell.figures], rules.PARTICIPATION).value == participation


def test_bad_cycles_and_foreign_team(owner, other_owner, world):
    with pytest.raises(ValidationError):
        selectors.transition(actor=owner, cycles=0)
    with pytest.raises(ValidationError):
        selectors.transition(actor=owner, cycles=13)
    with pytest.raises(NotFound):
        selectors.transition(actor=other_owner, team_id=world["platform"].pk)


def test_only_owners_and_admins(owner, world):
    admin = make_person(owner, Role.ADMIN)
    assert selectors.transition(actor=admin).rows
    for role in (Role.LEADER, Role.MEMBER, Role.VIEWER):
        with pytest.raises(PermissionDenied):
            selectors.transition(actor=make_person(owner, role))
    with pytest.raises(PermissionDenied):
        selectors.transition(actor=world["lead"])  # a team's own lead too (MCP: agents' test_mcp)


# ---- query count ----------------------------------------------------------------------------------------


def _queries(actor) -> int:
    selectors.transition(actor=actor)  # computes and stores the profile's figures on the first view
    with CaptureQueriesContext(connection) as ctx:
        result = selectors.transition(actor=actor)
    assert result.rows
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_teams_cycles_or_rows(owner, world):
    w = world
    record(w["members"][0], w["platform"], w["domain"])
    small = _queries(owner)
    for n in range(4):
        team = make_team(owner, f"Team {n}", parent=w["engineering"])
        for _ in range(3):
            make_person(owner, Role.MEMBER, team=team)
        set_level(owner, team, w["domain"], 7)
    for n in range(3):
        make_cycle(owner, f"Older {n}", days_before=200 + 40 * n, days_after=-130 - 40 * n)
    for member in w["members"]:
        record(member, w["platform"], w["domain"])
        record(w["outsider"], w["platform"], w["domain"])
    _answer(owner, w["platform"], w["domain"], "accepted", 3)
    assert _queries(owner) == small


# ---- the page and the API ----------------------------------------------------------------------------------


def test_page_for_owner_and_admin_forbidden_to_others(owner, world, client, login):
    url = reverse("insights_transition")
    page = login(owner).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Platform" in html and "Decided at team level" in html and "How is this computed?" in html
    assert 'class="table-responsive transition-scroll" tabindex="0" role="region"' in html
    assert reverse("insights_transition") in login(owner).get(reverse("insights")).content.decode()
    for role in (Role.LEADER, Role.MEMBER):
        client.logout()
        person = make_person(owner, role)
        assert login(person).get(url).status_code == 403
        assert reverse("insights_transition") not in client.get(reverse("insights")).content.decode()
        assert client.get("/api/v1/insights/transition").status_code == 403
    client.logout()
    admin = make_person(owner, Role.ADMIN)
    assert login(admin).get(f"{url}?team={world['platform'].pk}&cycles=3").status_code == 200


def test_another_organizations_team_is_404(owner, other_owner, world, client, login):
    login(other_owner)
    assert client.get(reverse("insights_transition") + f"?team={world['platform'].pk}").status_code == 404
    response = client.get(f"/api/v1/insights/transition?team={world['platform'].pk}")
    assert response.status_code == 404


def test_api_answers_the_figures_with_their_trend(owner, world, client, login):
    record(world["members"][0], world["platform"], world["domain"])
    login(owner)
    body = client.get(f"/api/v1/insights/transition?team={world['engineering'].pk}&cycles=2").json()
    assert body["min_people"] == 5 and [c["name"] for c in body["cycles"]] == ["Before", "Now"]
    engineering = body["teams"][0]
    assert engineering["team_name"] == "Engineering" and engineering["sub_teams"] == 1
    now = engineering["cycles"][1]
    team_level = next(f for f in now["figures"] if f["code"] == "team_level_share")
    assert team_level["value"] == 100.0 and team_level["trend"]["direction"] == "none"
    assert {f["code"] for f in now["factors"]} == set(rules.FACTORS)
    assert client.get("/api/v1/insights/transition?cycles=40").status_code == 422


def test_an_empty_organization_is_told_what_to_do_first(owner, client, login):
    html = login(owner).get(reverse("insights_transition")).content.decode()
    assert "No teams yet" in html and reverse("team_list") in html
