"""Insights on a team with grades, a retrospective, pulse answers, decisions and ideas: known answers."""

import pytest
from django.urls import reverse

from charter.delegation.tests.factories import make_domain, record, set_level
from charter.goals.services import check_in_record
from charter.goals.tests.factories import make_goal, make_key_result
from charter.ideas.services import idea_move
from charter.ideas.tests.factories import make_idea
from charter.insights import selectors
from charter.organizations.models import Role
from charter.organizations.services import token_create
from charter.organizations.tests.factories import make_person, make_team
from charter.pulse.tests.factories import answer, close, make_survey
from charter.reviews.services import goal_grade, review_write

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_data(owner, cycle):
    team = make_team(owner, "Platform", parent=make_team(owner, "Engineering"))
    lead = make_person(owner, Role.LEADER, team=team, is_lead=True, full_name="Lea Lead")
    members = [make_person(owner, Role.MEMBER, team=team) for _ in range(5)]
    strategic = make_goal(owner, cycle, "Strategic")
    aligned = make_goal(owner, cycle, "Aligned", team_id=team.pk, parent_id=strategic.pk)
    make_goal(owner, cycle, "Loose", team_id=team.pk, purpose="", end_state="")
    kr = make_key_result(owner, aligned)
    check_in_record(actor=owner, key_result_id=kr.pk, value=50, confidence=7)
    goal_grade(actor=owner, goal_id=aligned.pk, grade=0.8)
    review_write(
        actor=lead,
        cycle_id=cycle.pk,
        team_id=team.pk,
        what_worked="Pairing on **reviews**",
        what_did_not="Late data",
        what_we_change="Weekly demo",
    )
    domain = make_domain(owner, "Tooling")
    set_level(owner, team, domain, 7)
    record(members[0], team, domain, "Use ruff")
    _, rnd = make_survey(owner)
    for person in members:
        answer(person, rnd, engagement=4, enps=9, team_id=team.pk)
    close(rnd)  # pulse figures count closed rounds only
    idea = make_idea(members[1], "Shared fixtures")
    idea_move(actor=owner, idea_id=idea.pk, to_status="adopted", reason="Good", adopted_goal_id=aligned.pk)
    make_idea(members[2], "Dark mode")
    return team


def test_team_figures(owner, cycle, team_data):
    result = selectors.insights_for(actor=owner, cycle_id=cycle.pk, team_id=team_data.pk)
    assert result.figure("attainment_rate").value == 100.0  # 0.8 >= 0.7
    assert result.figure("escalation_rate").value == 0.0
    assert result.figure("decision_latency").value == 0.0  # level 7: decided when recorded
    assert result.figure("ideas_submitted_per_member").value == round(2 / 6, 2)
    assert result.figure("ideas_adopted_per_member").value == round(1 / 6, 2)
    # 2 team goals: 1 aligned; 1 with intent; 1 key result, an outcome -> (0.5 + 0.5 + 1) / 3
    assert result.figure("focus").value == 66.7
    assert result.figure("decision_making").value == 100.0
    assert result.figure("satisfaction").value is not None
    assert result.figure("pulse_engagement").value == 75.0  # 4 on 1-5 -> 75


def test_report_shows_grades_and_retrospective(owner, cycle, team_data, login):
    client = login(owner)
    page = client.get(reverse("insights_report"), {"cycle": cycle.pk, "team": team_data.pk}).content.decode()
    assert "0.80" in page and "<strong>reviews</strong>" in page and "Weekly demo" in page
    md = client.get(reverse("insights_report_markdown"), {"cycle": cycle.pk, "team": team_data.pk})
    text = md.content.decode()
    assert "- Grade: 0.80" in text and "Pairing on **reviews**" in text and "### Platform" in text


def test_api(client, owner, other_owner, cycle, team_data):
    h = {"Authorization": f"Bearer {token_create(actor=owner, name='t')[1]}"}
    body = client.get(f"/api/v1/insights/indicators?cycle_id={cycle.pk}&team_id={team_data.pk}", headers=h)
    codes = {f["code"]: f["value"] for f in body.json()["indicators"]}
    assert codes["attainment_rate"] == 100.0
    profile = client.get(f"/api/v1/insights/profile?cycle_id={cycle.pk}", headers=h).json()
    assert len(profile["factors"]) == 5 and profile["mission_based"]["focus"] == 90
    trends = client.get("/api/v1/insights/trends", headers=h).json()
    assert [t["cycle_id"] for t in trends][-1] == cycle.pk  # after the organization's first cycle
    csv_text = client.get(f"/api/v1/insights/indicators.csv?cycle_id={cycle.pk}", headers=h).content.decode()
    assert csv_text.count("\n") == 1 + 3 * 16  # header, organization, two teams
    md = client.get(f"/api/v1/insights/report.md?cycle_id={cycle.pk}", headers=h).content.decode()
    assert md.startswith("# Cycle review report")
    foreign = {"Authorization": f"Bearer {token_create(actor=other_owner, name='t')[1]}"}
    assert client.get(f"/api/v1/insights/profile?team_id={team_data.pk}", headers=foreign).status_code == 404
