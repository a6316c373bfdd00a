"""Another organization's Slack workspace never reaches this organization's data: each request acts in
the organization of the workspace that signed it, with that organization's people and objects only."""

import json

import pytest

from charter.core.models import AuditEvent
from charter.goals.models import CheckIn
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.organizations.models import Role
from charter.organizations.services import person_add
from charter.organizations.tests.factories import make_org, make_person, make_team
from charter.slack import blocks
from charter.slack.models import SlackLink
from charter.slack.services import installation_save

from .conftest import SECRET_GLOBEX, command, interaction, signed_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(acme, acme_slack, slack):
    globex = make_org("Globex")
    installation_save(actor=globex, team_id="TGLOBEX", bot_token="xoxb-globex", signing_secret=SECRET_GLOBEX)
    team = make_team(acme, "Platform")
    mia = make_person(acme, Role.MEMBER, team=team, full_name="Mia")
    goal = make_goal(acme, make_cycle(acme, "Q3"), "Acme goal", team_id=team.pk, owner_id=mia.user_id)
    kr = make_key_result(acme, goal, "Acme KR", owner_id=mia.user_id, start=0, target=10)
    return {"globex": globex, "mia": mia, "kr": kr}


def _acme_state(acme):
    return (
        CheckIn.objects.for_org(acme.organization).count(),
        SlackLink.objects.for_org(acme.organization).count(),
        AuditEvent.objects.for_org(acme.organization).count(),
    )


def test_a_person_of_acme_only_is_nobody_in_globex_workspace(two, slack, acme):
    """Globex's workspace has a user with Mia's email; Mia is not in Globex: the link is not made."""
    slack.users["UG1"] = two["mia"].user.email
    before = _acme_state(acme)
    body = command("brief", team="TGLOBEX", user="UG1", response_url=slack.response_url())
    assert signed_post("/slack/commands/", body, secret=SECRET_GLOBEX).status_code == 200
    assert "Nobody in Globex" in slack.responses()[0]["text"]
    assert _acme_state(acme) == before
    assert not SlackLink.objects.unscoped().exists()


def test_globex_secret_cannot_speak_for_acme_workspace(two, slack, acme):
    before = _acme_state(acme)
    body = command("checkin", team="TACME", user="U1", response_url=slack.response_url())
    assert signed_post("/slack/commands/", body, secret=SECRET_GLOBEX).status_code == 401
    assert _acme_state(acme) == before and slack.calls == []


def test_a_globex_modal_naming_an_acme_key_result_records_nothing(two, slack, acme):
    """A member of both organizations, in Globex's workspace, submits a modal naming Acme's key result:
    the request acts in Globex, where that key result does not exist."""
    globex = two["globex"]
    person_add(actor=globex, email=two["mia"].user.email, full_name="Mia", role=Role.OWNER, password=None)
    slack.users["UG1"] = two["mia"].user.email
    kr = two["kr"]
    view = {
        "callback_id": blocks.CHECK_IN_VIEW,
        "private_metadata": json.dumps([kr.pk]),
        "state": {
            "values": {
                blocks.value_block(kr.pk): {"value": {"value": "9"}},
                blocks.confidence_block(kr.pk): {"confidence": {"selected_option": {"value": "8"}}},
            }
        },
    }
    before = _acme_state(acme)
    body = interaction({"type": "view_submission", "view": view}, team="TGLOBEX", user="UG1")
    answer = signed_post("/slack/interactions/", body, secret=SECRET_GLOBEX).json()
    assert (
        answer["response_action"] == "errors" and "No such key result" in answer["errors"][f"kr{kr.pk}_value"]
    )
    assert _acme_state(acme) == before
    link = SlackLink.objects.unscoped().get()
    assert link.organization_id == globex.organization_id  # linked in Globex, where the workspace is


def test_one_workspace_belongs_to_one_organization(two):
    from charter.core.errors import ValidationError

    with pytest.raises(ValidationError) as refused:
        installation_save(
            actor=two["globex"], team_id="TACME", bot_token="xoxb-x", signing_secret=SECRET_GLOBEX
        )
    assert refused.value.errors["team_id"] == ["This Slack workspace is connected to another organization."]
