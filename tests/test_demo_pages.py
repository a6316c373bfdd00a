"""The demo organization loads and the main pages render with its data, with the demo login."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from charter.goals.models import Goal
from charter.organizations.models import Organization, Team


@pytest.fixture
def demo(db, tmp_path):
    call_command("demo", stdout=(tmp_path / "out.txt").open("w"))
    return Organization.objects.get()


def test_demo_login_and_main_pages_render(client, demo):
    goal = (
        Goal.objects.for_org(demo).filter(parent__isnull=False, cycle__state="active").order_by("id").first()
    )
    team = Team.objects.for_org(demo).order_by("id").first()
    response = client.post(reverse("login"), {"email": "demo@charter.local", "password": "charter-demo-2026"})
    assert response.status_code == 302, "the demo login printed by `charter demo` must work"
    pages = {
        "home": reverse("home"),
        "strategy map": reverse("strategy_map"),
        "goal": reverse("goal_detail", kwargs={"goal_id": goal.pk}),
        "check-in": reverse("check_in_week"),
        "team": reverse("team_detail", kwargs={"team_id": team.pk}),
        "mission": reverse("mission"),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
    assert goal.title in client.get(pages["goal"]).content.decode()
    assert goal.title in client.get(pages["strategy map"]).content.decode()
