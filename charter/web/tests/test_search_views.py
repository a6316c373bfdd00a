"""The search page, the likely parents partial, the similar goals panel, the API and `charter reindex`."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from charter.goals.tests.factories import make_cycle, make_goal
from charter.organizations.tests.factories import make_team
from charter.search import embedder, services
from charter.search.models import SearchDocument


@pytest.fixture
def churn_goals(owner, cycle):
    team = make_team(owner, "Growth")
    a = make_goal(owner, cycle, title="Reduce churn to 3%", purpose="", end_state="", team_id=team.pk)
    b = make_goal(owner, cycle, title="Reduce customer churn to 3 percent", purpose="", end_state="")
    services.reindex(organization_id=owner.organization.pk)
    return a, b


def test_search_page_fuses_words_and_meaning(login, owner, churn_goals):
    response = login(owner).get(reverse("search"), {"q": "keep clients from leaving"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Reduce churn to 3%" in body and "Meaning search is on" in body


def test_search_page_says_when_meaning_search_is_off(login, owner, churn_goals):
    with embedder.use(None, "the ONNX model not found"):
        response = login(owner).get(reverse("search"), {"q": "churn"})
    body = response.content.decode()
    assert "Meaning search is off: the ONNX model not found" in body
    assert "Reduce <mark>churn</mark> to 3%" in body


def test_search_page_filters_and_bad_types(login, owner, cycle, churn_goals):
    client = login(owner)
    ideas_only = client.get(reverse("search"), {"q": "churn", "type": "idea"})
    assert "Reduce churn" not in ideas_only.content.decode()
    response = client.get(reverse("search"), {"q": "churn", "type": "nope"})
    assert response.status_code == 200 and "Unknown types: nope" in response.content.decode()
    team_id = churn_goals[0].team_id
    by_team = client.get(
        reverse("search"), {"q": "churn", "team": team_id, "cycle": cycle.pk}
    ).content.decode()
    assert f'<option value="{team_id}" selected>Growth</option>' in by_team
    assert f'<option value="{cycle.pk}" selected>{cycle.name}</option>' in by_team
    assert "Reduce <mark>churn</mark> to 3%" in by_team and "Reduce customer" not in by_team


def test_search_page_filter_options_are_escaped_and_marked(login, owner, cycle):
    team = make_team(owner, '<b>R&D</b> "lab"')
    body = login(owner).get(reverse("search"), {"q": "x", "team": team.pk}).content.decode()
    expected = f'<option value="{team.pk}" selected>&lt;b&gt;R&amp;D&lt;/b&gt; &quot;lab&quot;</option>'
    assert expected in body and "<b>R&D" not in body
    assert f'<option value="{cycle.pk}">{cycle.name}</option>' in body  # no cycle chosen: none selected


def test_search_page_draws_each_hit_escaped_with_how_it_was_found(login, owner, other_owner, cycle):
    goal = make_goal(
        owner, cycle, title="<b>Churn</b> & more", purpose="<script>churn</script>", end_state=""
    )
    theirs = make_goal(
        other_owner, make_cycle(other_owner), title="Their churn plan", purpose="", end_state=""
    )
    services.reindex(organization_id=owner.organization.pk)
    services.reindex(organization_id=other_owner.organization.pk)
    with embedder.use(None, "no model"):
        body = login(owner).get(reverse("search"), {"q": "churn"}).content.decode()
    item = (
        '<li class="card mb-2"><div class="card-body py-2">\n'
        '      <div class="d-flex align-items-center gap-2">\n'
        '        <span class="badge bg-secondary-lt">Goal</span>\n'
        f'        <a class="fw-bold" href="/goals/{goal.pk}/">'
        "&lt;b&gt;<mark>Churn</mark>&lt;/b&gt; &amp; more</a>\n"
        '        <span class="ms-auto small text-secondary" data-found-by="words">found by words</span>\n'
        "      </div>\n"
        '      <p class="mb-0 small">'
    )
    assert item in body and "&lt;script&gt;<mark>churn</mark>" in body
    assert "<b>Churn" not in body and "<script>churn" not in body
    assert "Their churn plan" not in body and f"/goals/{theirs.pk}/" not in body
    assert "1 result for" in body


@pytest.mark.parametrize("rows", [10, 100])
def test_search_page_queries_do_not_grow_with_results(
    login, owner, cycle, rows, django_assert_num_queries, django_capture_on_commit_callbacks
):
    for i in range(rows):
        make_goal(owner, cycle, title=f"Reduce churn in segment {i}", purpose="", end_state="")
    services.reindex(organization_id=owner.organization.pk)
    client = login(owner)
    client.get(reverse("search"), {"q": "churn"})  # warm the per-process matrix
    # the index token and what each hit shows come with the keyword hits (every hit shown is one here)
    with django_assert_num_queries(5):
        response = client.get(reverse("search"), {"q": "churn", "cycle": cycle.pk})
    assert response.content.decode().count("<mark>churn</mark>") >= 10


def test_likely_parents_beside_the_goal_form(login, owner, cycle, churn_goals):
    client = login(owner)
    params = {"title": "Keep clients from leaving", "cycle_id": cycle.pk}
    response = client.get(reverse("search_align"), params)
    assert "Likely parents" in response.content.decode()
    assert f'data-parent-choice="{churn_goals[0].pk}"' in response.content.decode()
    form = client.get(reverse("goal_create")).content.decode()
    assert 'id="align-suggestions"' in form and reverse("search_align") in form


def test_similar_goals_panel_on_the_goal_page(login, owner, churn_goals):
    a, b = churn_goals
    body = login(owner).get(reverse("goal_detail", args=[b.pk])).content.decode()
    assert "Similar goals" in body and "Growth" in body and reverse("goal_detail", args=[a.pk]) in body


def test_api_search(client, owner, other_owner, churn_goals):
    from charter.organizations.services import token_create

    _, raw = token_create(actor=owner, name="t", days=None)
    headers = {"Authorization": f"Bearer {raw}"}
    data = client.get("/api/v1/search", {"q": "keep clients from leaving"}, headers=headers).json()
    assert data["meaning_on"] and data["items"][0]["type"] == "goal"
    assert data["items"][0]["matched_by"] == ["meaning"] and data["items"][0]["found_by"] == "meaning"
    from charter.search.schemas import SearchOut

    assert SearchOut.model_validate(data).model_dump(mode="json") == data  # the schema's shape, as ninja's
    bad = client.get("/api/v1/search", {"q": "churn", "types": "nope"}, headers=headers)
    assert bad.status_code == 422
    _, other = token_create(actor=other_owner, name="t", days=None)
    foreign = client.get("/api/v1/search", {"q": "churn"}, headers={"Authorization": f"Bearer {other}"})
    assert foreign.json()["items"] == []


def test_reindex_command(owner, cycle):
    make_goal(owner, cycle, title="Reduce churn to 3%")
    out = StringIO()
    call_command("reindex", organization=owner.organization.slug, stdout=out, stderr=StringIO())
    assert "Indexed" in out.getvalue() and "all-MiniLM-L6-v2" in out.getvalue()
    assert SearchDocument.objects.for_org(owner.organization).filter(type="goal").exists()
