"""The brief over REST (JSON in the OpenAPI document, Markdown on request) and the brief page."""

import pytest
from django.test import Client
from django.urls import reverse

from charter.goals.tests.factories import make_goal, make_key_result
from charter.organizations.services import token_create
from charter.organizations.tests.factories import make_team

from .factories import make_agent, make_agent_token

pytestmark = pytest.mark.django_db


class ApiClient:
    """GETs under /api/v1 with a bearer token."""

    def __init__(self, raw: str):
        self.client, self.headers = Client(), {"Authorization": f"Bearer {raw}"}

    def get(self, path: str):
        return self.client.get(f"/api/v1{path}", headers=self.headers)


def token_for(actor) -> str:
    return token_create(actor=actor, name="tests")[1]


@pytest.fixture
def goal(owner, cycle):
    team = make_team(owner, "Support")
    top = make_goal(owner, cycle, "Delight patients", purpose="Patients come back.")
    goal = make_goal(owner, cycle, "Answer within a day", team_id=team.pk, parent_id=top.pk)
    make_key_result(owner, goal, "Tickets answered in 24h", unit="%")
    return goal


def test_brief_as_json_and_markdown(owner, goal):
    agent = make_agent(owner, goal.team_id)
    _, raw = make_agent_token(owner, agent, scopes=["read"])
    api = ApiClient(raw)
    data = api.get(f"/goals/{goal.pk}/brief").json()
    assert [link["title"] for link in data["intent_chain"]] == ["Answer within a day", "Delight patients"]
    assert data["actor"]["kind"] == "agent" and data["agent_decision_cap"] == 0
    text = api.get(f"/goals/{goal.pk}/brief?format=markdown&full=true")
    assert text["Content-Type"].startswith("text/markdown")
    assert "Tickets answered in 24h" in text.content.decode() and "## Lint warnings" in text.content.decode()
    mine = api.get("/me/brief").json()
    assert [g["goal"]["title"] for g in mine["goals"]] == ["Answer within a day"]


def test_the_brief_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/goals/{goal_id}/brief"]["get"]
    assert operation["operationId"] == "goal_brief"
    assert "MissionBrief" in document["components"]["schemas"]
    assert "text/markdown" in operation["responses"]["200"]["content"]


def test_another_organizations_goal_brief_is_404(other_owner, goal):
    api = ApiClient(token_for(other_owner))
    assert api.get(f"/goals/{goal.pk}/brief").status_code == 404


def test_brief_page_and_the_goal_panel(client, login, owner, goal):
    login(owner)
    page = client.get(reverse("goal_brief", args=[goal.pk]))
    assert page.status_code == 200 and "Delight patients" in page.content.decode()
    assert (
        reverse("goal_brief", args=[goal.pk])
        in client.get(reverse("goal_detail", args=[goal.pk])).content.decode()
    )


def test_brief_page_for_people_shows_names_without_ids_and_the_copy_keeps_them(client, login, owner, goal):
    kr = goal.key_results.get()
    login(owner)
    html = client.get(reverse("goal_brief", args=[goal.pk])).content.decode()
    shown = html.split('class="card-body markdown">', 1)[1]
    assert "Answer within a day" in shown and "Tickets answered in 24h" in shown
    assert f"Goal {goal.pk}:" not in shown and f"[KR {kr.pk}]" not in shown
    copy = html.split('id="brief-markdown"', 1)[1].split("</textarea>", 1)[0]
    assert f"Goal {goal.pk}: Answer within a day" in copy and f"[KR {kr.pk}] Tickets" in copy
