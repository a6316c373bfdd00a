"""Slack's requests reach Charter signed; Charter acts as the linked person, through the same services."""

import json
import time

import pytest
from django.urls import reverse

from charter.core.models import AuditEvent
from charter.goals.models import CheckIn, KeyResult
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team
from charter.slack import blocks
from charter.slack.models import SlackLink
from charter.slack.services import link_by_email

from .conftest import SECRET_ACME, check_view, command, interaction, signed_post

pytestmark = pytest.mark.django_db
COMMANDS, INTERACTIONS = "/slack/commands/", "/slack/interactions/"


@pytest.fixture
def team_world(acme, acme_slack, slack):
    """A member of a team with a key result of theirs, known to Slack as U1 by the same email."""
    team = make_team(acme, "Platform")
    member = make_person(acme, Role.MEMBER, team=team, full_name="Mia Member")
    cycle = make_cycle(acme, "Q3")
    goal = make_goal(acme, cycle, "Faster builds", team_id=team.pk, owner_id=member.user_id)
    kr = make_key_result(acme, goal, "Build minutes", owner_id=member.user_id, start=0, target=100)
    slack.users["U1"] = member.user.email.upper()  # Slack keeps the case people typed
    return {"member": member, "team": team, "goal": goal, "kr": kr, "cycle": cycle}


def _submission(kr_id: int, value: str, confidence: str | None = "7", note: str = "") -> dict:
    return {
        "type": "view_submission",
        "view": {
            "callback_id": blocks.CHECK_IN_VIEW,
            "private_metadata": json.dumps([kr_id]),
            "state": {
                "values": {
                    blocks.value_block(kr_id): {"value": {"type": "plain_text_input", "value": value}},
                    blocks.confidence_block(kr_id): {
                        "confidence": {
                            "type": "static_select",
                            "selected_option": {"value": confidence} if confidence else None,
                        }
                    },
                    blocks.note_block(kr_id): {"note": {"type": "plain_text_input", "value": note}},
                }
            },
        },
    }


def _state(acme):
    """Everything a refused request must leave as it was."""
    return (
        CheckIn.objects.for_org(acme.organization).count(),
        SlackLink.objects.for_org(acme.organization).count(),
        AuditEvent.objects.for_org(acme.organization).count(),
    )


def test_the_routes_are_where_the_manifest_says():
    assert reverse("slack_commands") == COMMANDS and reverse("slack_interactions") == INTERACTIONS


def test_checkin_command_links_the_person_by_email_and_opens_their_modal(team_world, slack, acme):
    response = signed_post(
        COMMANDS, command("checkin", response_url=slack.response_url()), secret=SECRET_ACME
    )
    assert response.status_code == 200 and response.content == b""
    assert slack.sent("users.info")[0]["user"] == "U1"
    link = SlackLink.objects.for_org(acme.organization).get()
    assert (link.slack_user_id, link.user_id) == ("U1", team_world["member"].user_id)
    assert AuditEvent.objects.for_org(acme.organization).filter(action="slack.link").count() == 1
    (opened,) = slack.sent("views.open")
    assert opened["trigger_id"] == "tr1"
    view = check_view(opened["view"])
    kr = team_world["kr"]
    ids = [b.get("block_id") for b in view["blocks"]]
    assert [blocks.value_block(kr.pk), blocks.confidence_block(kr.pk), blocks.note_block(kr.pk)] == [
        i for i in ids if i and i.startswith("kr")
    ]
    assert json.loads(view["private_metadata"]) == [kr.pk]
    # The next command finds the link: no second users.info.
    signed_post(COMMANDS, command("checkin", response_url=slack.response_url()), secret=SECRET_ACME)
    assert len(slack.sent("users.info")) == 1 and len(slack.sent("views.open")) == 2


def test_help_answers_at_once(team_world, slack):
    response = signed_post(COMMANDS, command("what"), secret=SECRET_ACME)
    assert response.json()["response_type"] == "ephemeral" and "/charter checkin" in response.json()["text"]
    assert slack.calls == []


@pytest.mark.parametrize(
    "how",
    ["stale timestamp", "wrong signature", "other workspace's secret", "unknown workspace", "no signature"],
)
@pytest.mark.parametrize("path", [COMMANDS, INTERACTIONS])
def test_unsigned_or_stale_requests_are_refused_and_change_nothing(team_world, slack, acme, how, path):
    kr = team_world["kr"]
    team = "TNOBODY" if how == "unknown workspace" else "TACME"
    if path == COMMANDS:
        body = command("checkin", team=team, response_url=slack.response_url())
    else:
        body = interaction(_submission(kr.pk, "12"), team=team)
    before = _state(acme)
    kwargs = {"secret": SECRET_ACME}
    if how == "stale timestamp":
        kwargs["timestamp"] = int(time.time()) - 6 * 60
    elif how == "wrong signature":
        kwargs["signature"] = "v0=" + "0" * 64
    elif how == "other workspace's secret":
        kwargs["secret"] = "f" * 32
    elif how == "no signature":
        kwargs["signature"] = "-"
    response = signed_post(path, body, **kwargs)
    assert response.status_code == 401
    assert _state(acme) == before and slack.calls == []
    assert KeyResult.objects.for_org(acme.organization).get(pk=kr.pk).current == kr.current


def test_a_timestamp_within_five_minutes_passes(team_world, slack, acme):
    body = interaction(_submission(team_world["kr"].pk, "12"))
    response = signed_post(INTERACTIONS, body, secret=SECRET_ACME, timestamp=int(time.time()) - 4 * 60)
    assert response.status_code == 200 and response.json() == {"response_action": "clear"}


def test_the_modal_records_check_ins_through_the_goals_service(team_world, slack, acme):
    kr = team_world["kr"]
    body = interaction(_submission(kr.pk, "22.5", "6", "Cache warmed"))
    response = signed_post(INTERACTIONS, body, secret=SECRET_ACME)
    assert response.status_code == 200 and response.json() == {"response_action": "clear"}
    check_in = CheckIn.objects.for_org(acme.organization).get(key_result=kr)
    assert (check_in.value, check_in.confidence, check_in.note) == (22.5, 6, "Cache warmed")
    assert check_in.author_id == team_world["member"].user_id
    kr.refresh_from_db()
    assert (kr.current, kr.confidence) == (22.5, 6)
    event = AuditEvent.objects.for_org(acme.organization).get(action="check_in.create")
    assert (event.actor_id, event.via) == (team_world["member"].user_id, "slack")


@pytest.mark.parametrize(
    ("value", "confidence", "block", "words"),
    [
        ("lots", "6", "value", "is not a number"),
        ("nan", "6", "value", "is not a number"),
        ("1e999", "6", "value", "is not a number"),
        ("12", None, "confidence", "Pick your confidence"),
    ],
)
def test_invalid_input_is_answered_with_errors_naming_the_block(
    team_world, slack, acme, acme_slack, value, confidence, block, words
):
    kr = team_world["kr"]
    link_by_email(installation=acme_slack, slack_user_id="U1", email=team_world["member"].user.email)
    before = _state(acme)
    response = signed_post(
        INTERACTIONS, interaction(_submission(kr.pk, value, confidence)), secret=SECRET_ACME
    )
    answer = response.json()
    assert response.status_code == 200 and answer["response_action"] == "errors"
    assert (
        list(answer["errors"]) == [f"kr{kr.pk}_{block}"] and words in answer["errors"][f"kr{kr.pk}_{block}"]
    )
    assert _state(acme) == before


def test_an_empty_modal_is_answered_with_an_error(team_world, slack):
    kr = team_world["kr"]
    answer = signed_post(INTERACTIONS, interaction(_submission(kr.pk, "")), secret=SECRET_ACME).json()
    assert answer["response_action"] == "errors" and "at least one" in answer["errors"][f"kr{kr.pk}_value"]


def test_a_key_result_of_another_team_is_refused_and_the_whole_modal_records_nothing(team_world, slack, acme):
    """All or none: the person's own key result is not recorded either when another is refused."""
    elsewhere = make_team(acme, "Sales")
    goal = make_goal(acme, team_world["cycle"], "Sell more", team_id=elsewhere.pk)
    theirs = make_key_result(acme, goal, "Deals", start=0, target=10)
    mine = team_world["kr"]
    view = _submission(mine.pk, "15")
    other = _submission(theirs.pk, "3")["view"]
    view["view"]["private_metadata"] = json.dumps([mine.pk, theirs.pk])
    view["view"]["state"]["values"].update(other["state"]["values"])
    before = _state(acme)
    answer = signed_post(INTERACTIONS, interaction(view), secret=SECRET_ACME).json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [f"kr{theirs.pk}_value"]
    assert "belongs to another team" in answer["errors"][f"kr{theirs.pk}_value"]
    # The link made on the way stays (and is audited); no check-in, no check-in audit.
    assert CheckIn.objects.for_org(acme.organization).count() == before[0]
    assert not AuditEvent.objects.for_org(acme.organization).filter(action="check_in.create").exists()


def test_a_viewer_is_told_they_may_not_check_in(acme, acme_slack, slack):
    viewer = make_person(acme, Role.VIEWER)
    slack.users["U9"] = viewer.user.email
    signed_post(
        COMMANDS, command("checkin", user="U9", response_url=slack.response_url()), secret=SECRET_ACME
    )
    assert slack.sent("views.open") == []
    (told,) = slack.responses()
    assert told["text"] == "Your role (viewer) may not check in." and told["response_type"] == "ephemeral"


def test_a_slack_user_nobody_in_the_organization_matches_is_told_so(acme, acme_slack, slack):
    slack.users["U7"] = "stranger@elsewhere.example"
    signed_post(COMMANDS, command("brief", user="U7", response_url=slack.response_url()), secret=SECRET_ACME)
    (told,) = slack.responses()
    assert "Nobody in Acme has the email of your Slack profile" in told["text"]
    assert not SlackLink.objects.for_org(acme.organization).exists()


def test_brief_command_answers_the_mission_brief(team_world, slack, acme):
    signed_post(COMMANDS, command("brief", response_url=slack.response_url()), secret=SECRET_ACME)
    (answer,) = slack.responses()
    from .conftest import check_blocks

    check_blocks(answer["blocks"])
    text = "\n".join(b["text"]["text"] for b in answer["blocks"] if b["type"] == "section")
    assert "Faster builds" in text and "Build minutes" in text
    assert answer["response_type"] == "ephemeral"


def test_a_response_url_outside_slack_is_never_called(team_world, slack, settings):
    settings.CHARTER_SLACK_RESPONSE_URL_PREFIX = "https://hooks.slack.com/"
    signed_post(COMMANDS, command("brief", response_url=slack.response_url()), secret=SECRET_ACME)
    assert slack.responses() == []
