"""Notifications Charter posts to Slack with buttons, and the buttons acting with the clicker's authority."""

import pytest

from charter.backbriefs.models import BackBrief
from charter.backbriefs.tests.factories import make_given, submit
from charter.core.models import AuditEvent
from charter.delegation.models import Decision, DecisionEvent
from charter.delegation.tests.factories import make_cast, record, set_level
from charter.goals.tests.factories import make_cycle
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person
from charter.slack import blocks
from charter.slack.services import link_by_email

from .conftest import SECRET_ACME, actions_of, check_blocks, check_view, interaction, signed_post

pytestmark = pytest.mark.django_db
INTERACTIONS = "/slack/interactions/"


@pytest.fixture
def cast(acme, acme_slack, slack):
    cast = make_cast(acme)
    for n, who in enumerate((cast.boss, cast.ana, cast.bob, cast.carl), start=1):
        slack.users[f"U{n}"] = who.user.email
    return cast


def _click(slack, action_id: str, value, *, user: str) -> dict:
    payload = {
        "type": "block_actions",
        "trigger_id": "tr-click",
        "response_url": slack.response_url(f"click-{user}"),
        "actions": [{"type": "button", "action_id": action_id, "value": str(value)}],
    }
    response = signed_post(INTERACTIONS, interaction(payload, user=user), secret=SECRET_ACME)
    assert response.status_code == 200
    return response


def _decision_state(decision_id: int, organization):
    d = Decision.objects.for_org(organization).get(pk=decision_id)
    return (
        d.status,
        d.awaiting,
        d.addressed_to_id,
        DecisionEvent.objects.for_org(organization).filter(decision_id=decision_id).count(),
        AuditEvent.objects.for_org(organization).filter(action__startswith="decision.").count(),
    )


def test_a_decision_waiting_for_you_arrives_in_slack_with_buttons(
    cast, slack, django_capture_on_commit_callbacks
):
    set_level(cast.owner, cast.product, cast.domain, 4)
    with django_capture_on_commit_callbacks(execute=True):
        d = record(cast.bob, cast.product, cast.domain, "Raise prices by 5%").decision
    # Ana (the lead) is found in Slack by her email and linked, then gets a direct message.
    assert [c["email"] for c in slack.sent("users.lookupByEmail")] == [cast.ana.user.email]
    assert slack.sent("conversations.open") == [{"users": "U2"}]
    (message,) = slack.sent("chat.postMessage")
    assert message["channel"] == "DU2" and "Raise prices by 5%" in message["text"]
    posted = check_blocks(message["blocks"])
    assert actions_of(posted) == {
        blocks.AGREE: str(d.pk),
        blocks.ADVISE: str(d.pk),
        blocks.DECIDE: str(d.pk),
        "open": "",
    }
    assert f"/decisions/{d.pk}/" in posted[0]["text"]["text"]


def test_agree_acts_as_the_person_who_clicked(cast, slack, acme):
    set_level(cast.owner, cast.product, cast.domain, 4)
    d = record(cast.bob, cast.product, cast.domain, "Raise prices").decision
    _click(slack, blocks.AGREE, d.pk, user="U2")  # Ana
    d.refresh_from_db()
    assert d.status == "decided" and d.decided_by_id == cast.ana.user_id
    event = AuditEvent.objects.for_org(acme.organization).get(action="decision.agree")
    assert (event.actor_id, event.via) == (cast.ana.user_id, "slack")
    (told,) = slack.responses()
    assert told["text"].startswith("“Raise prices”:") and told["response_type"] == "ephemeral"


@pytest.mark.parametrize(("user", "words"), [("U4", "Nothing changed:"), ("U3", "Nothing changed:")])
def test_someone_the_decision_does_not_wait_for_is_told_so_and_nothing_changes(
    cast, slack, acme, user, words
):
    """Carl (another team) and Bob (who proposed it) click Agree on the proposal Ana must agree to."""
    set_level(cast.owner, cast.product, cast.domain, 4)
    d = record(cast.bob, cast.product, cast.domain, "Raise prices").decision
    before = _decision_state(d.pk, acme.organization)
    _click(slack, blocks.AGREE, d.pk, user=user)
    assert _decision_state(d.pk, acme.organization) == before
    (told,) = slack.responses()
    assert told["text"].startswith(words) and len(told["text"]) > len(words) + 5


def test_a_viewer_may_not_respond(cast, slack, acme):
    set_level(cast.owner, cast.product, cast.domain, 4)
    d = record(cast.bob, cast.product, cast.domain, "Raise prices").decision
    viewer = make_person(acme, Role.VIEWER)
    slack.users["U8"] = viewer.user.email
    before = _decision_state(d.pk, acme.organization)
    _click(slack, blocks.DECIDE, d.pk, user="U8")
    assert _decision_state(d.pk, acme.organization) == before
    assert slack.responses()[0]["text"] == "Nothing changed: Your role (viewer) may not decision respond."


def test_decide_on_another_organizations_decision_is_not_found(cast, slack, acme):
    from charter.organizations.tests.factories import make_org

    globex = make_org("Globex")
    other = make_cast(globex)
    set_level(globex, other.product, other.domain, 2)
    theirs = record(other.bob, other.product, other.domain, "Globex pricing").decision
    before = _decision_state(theirs.pk, globex.organization)
    _click(slack, blocks.DECIDE, theirs.pk, user="U1")  # Acme's boss, in Acme's workspace
    assert _decision_state(theirs.pk, globex.organization) == before
    assert slack.responses()[0]["text"] == "Nothing changed: No such decision."


def test_advise_opens_a_modal_and_its_submission_gives_the_advice(cast, slack, acme):
    set_level(cast.owner, cast.product, cast.domain, 5)
    d = record(cast.bob, cast.product, cast.domain, "New price list").decision
    _click(slack, blocks.ADVISE, d.pk, user="U2")
    (opened,) = slack.sent("views.open")
    view = check_view(opened["view"])
    assert opened["trigger_id"] == "tr-click" and view["private_metadata"] == str(d.pk)
    before = _decision_state(d.pk, acme.organization)

    def submit(text: str, user: str = "U2"):
        state = {"advice": {"advice": {"type": "plain_text_input", "value": text}}}
        payload = {"type": "view_submission", "view": {**view, "state": {"values": state}}}
        return signed_post(INTERACTIONS, interaction(payload, user=user), secret=SECRET_ACME).json()

    assert submit("  ") == {
        "response_action": "errors",
        "errors": {"advice": "Write your advice: the team decides with it in hand."},
    }
    carl = submit("Go for it", user="U4")
    assert carl["response_action"] == "errors" and "advice" in carl["errors"]
    assert _decision_state(d.pk, acme.organization) == before
    assert submit("Test it on one region first.") == {"response_action": "clear"}
    d.refresh_from_db()
    assert d.advice == "Test it on one region first." and d.advised_by_id == cast.ana.user_id
    assert d.awaiting == "team_decision"


def test_a_back_brief_to_confirm_arrives_with_a_confirm_button_that_only_the_reviewer_may_use(
    acme, acme_slack, slack, django_capture_on_commit_callbacks
):
    cycle = make_cycle(acme, "Q3")
    given = make_given(acme, cycle)
    slack.users.update({"UOWN": acme.user.email, "UMEM": given.member.user.email})
    with django_capture_on_commit_callbacks(execute=True):
        submit(given.member, given.back_brief)
    (message,) = slack.sent("chat.postMessage")  # the goal's owner (who also asked for it)
    assert message["channel"] == "DUOWN"
    assert actions_of(check_blocks(message["blocks"]))[blocks.CONFIRM] == str(given.back_brief.pk)
    # The team's own member may not confirm their back-brief: told so, nothing changes.
    before = AuditEvent.objects.for_org(acme.organization).filter(action="back_brief.confirm").count()
    _click(slack, blocks.CONFIRM, given.back_brief.pk, user="UMEM")
    assert BackBrief.objects.for_org(acme.organization).get(pk=given.back_brief.pk).state == "submitted"
    assert slack.responses()[-1]["text"].startswith("Nothing changed:")
    assert AuditEvent.objects.for_org(acme.organization).filter(action="back_brief.confirm").count() == before
    _click(slack, blocks.CONFIRM, given.back_brief.pk, user="UOWN")
    assert BackBrief.objects.for_org(acme.organization).get(pk=given.back_brief.pk).state == "confirmed"
    assert "confirmed" in slack.responses()[-1]["text"]


def test_the_check_in_reminder_has_a_button_that_opens_the_modal(acme, acme_slack, slack):
    from charter.notifications.models import Notification
    from charter.slack.tasks import notifications_post

    member = make_person(acme, Role.MEMBER)
    slack.users["U5"] = member.user.email
    link_by_email(installation=acme_slack, slack_user_id="U5", email=member.user.email)
    reminder = Notification.objects.create(
        organization=acme.organization,
        recipient=member.user,
        event="check_in.due",
        title="Time for your weekly check-in",
        url="/check-in/",
    )
    assert notifications_post.call(notification_ids=[reminder.pk]) == 1
    assert slack.sent("users.lookupByEmail") == []  # already linked
    (message,) = slack.sent("chat.postMessage")
    assert actions_of(check_blocks(message["blocks"]))[blocks.CHECK_IN] == "week"
    _click(slack, blocks.CHECK_IN, "week", user="U5")
    (opened,) = slack.sent("views.open")
    assert check_view(opened["view"])["callback_id"] == blocks.CHECK_IN_VIEW


def test_people_without_a_slack_account_get_nothing(
    acme, acme_slack, slack, django_capture_on_commit_callbacks
):
    cast = make_cast(acme)  # nobody of it is in the Slack workspace
    set_level(cast.owner, cast.product, cast.domain, 4)
    with django_capture_on_commit_callbacks(execute=True):
        record(cast.bob, cast.product, cast.domain, "Raise prices")
    assert len(slack.sent("users.lookupByEmail")) == 1 and slack.sent("chat.postMessage") == []


def test_an_organization_without_slack_posts_nothing(slack, django_capture_on_commit_callbacks):
    from charter.organizations.tests.factories import make_org

    cast = make_cast(make_org("Initech"))
    set_level(cast.owner, cast.product, cast.domain, 4)
    with django_capture_on_commit_callbacks(execute=True):
        record(cast.bob, cast.product, cast.domain, "Raise prices")
    assert slack.calls == []


def test_a_rolled_back_change_sends_nothing_to_slack(cast, slack, django_capture_on_commit_callbacks):
    from django.db import transaction

    set_level(cast.owner, cast.product, cast.domain, 4)
    with (
        django_capture_on_commit_callbacks(execute=True) as queued,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record(cast.bob, cast.product, cast.domain, "Raise prices")
        raise RuntimeError("the caller fails after the record")
    assert queued == [] and slack.calls == []
