"""The settings page where an owner or admin enters the workspace, bot token and signing secret."""

import pytest
from django.db import connection
from django.urls import reverse

from charter.core.models import AuditEvent
from charter.organizations.models import Role
from charter.organizations.tests.factories import PASSWORD, make_person
from charter.slack.models import SlackInstallation

from .conftest import SECRET_ACME

pytestmark = pytest.mark.django_db
URL = "/settings/slack/"


def _login(client, actor):
    assert client.login(email=actor.user.email, password=PASSWORD)


def _raw(installation_id: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bot_token, signing_secret FROM slack_slackinstallation WHERE id = %s", [installation_id]
        )
        return cursor.fetchone()


def test_an_admin_enters_the_installation_encrypted_at_rest_and_audited_without_secrets(client, acme):
    admin = make_person(acme, Role.ADMIN)
    _login(client, admin)
    page = client.get(URL)
    assert page.status_code == 200 and b"/slack/interactions/" in page.content
    data = {
        "team_id": "t0acme1",
        "bot_token": "xoxb-111-222-abc",
        "signing_secret": SECRET_ACME,
        "is_active": "on",
    }
    assert client.post(URL, data).status_code == 302
    installation = SlackInstallation.objects.for_org(acme.organization).get()
    assert (installation.team_id, installation.bot_token, installation.signing_secret) == (
        "T0ACME1", "xoxb-111-222-abc", SECRET_ACME,
    )  # fmt: skip
    stored = _raw(installation.pk)
    assert all(v.startswith("enc1:") for v in stored) and SECRET_ACME not in "".join(stored)
    event = AuditEvent.objects.for_org(acme.organization).get(action="slack.install")
    assert (
        event.actor_id == admin.user_id
        and "xoxb" not in str(event.changes)
        and SECRET_ACME not in str(event.changes)
    )
    # Saved again with the secrets left empty: they stay; the change is audited.
    assert client.post(URL, {"team_id": "T0ACME1", "bot_token": "", "signing_secret": ""}).status_code == 302
    installation.refresh_from_db()
    assert (installation.bot_token, installation.is_active) == ("xoxb-111-222-abc", False)
    update = AuditEvent.objects.for_org(acme.organization).get(action="slack.update")
    assert update.changes == {"is_active": [True, False]}
    assert SECRET_ACME.encode() not in client.get(URL).content


@pytest.mark.parametrize(
    ("field", "data", "words"),
    [
        ("team_id", {"team_id": "acme"}, "starts with T"),
        ("bot_token", {"bot_token": "xoxp-user-token"}, "starts with xoxb-"),
        ("signing_secret", {"signing_secret": "short"}, "16 to 128 letters and digits"),
    ],
)
def test_bad_settings_are_refused_beside_the_field(client, acme, field, data, words):
    _login(client, acme)
    full = {"team_id": "T0ACME1", "bot_token": "xoxb-1-2-3", "signing_secret": SECRET_ACME, **data}
    response = client.post(URL, full)
    assert response.status_code == 422
    assert words in " ".join(response.context["form"].errors[field])
    assert not SlackInstallation.objects.for_org(acme.organization).exists()


def test_members_may_not_see_the_settings(client, acme):
    _login(client, make_person(acme, Role.LEADER))
    assert client.get(URL).status_code == 403
    assert reverse("slack_settings") == URL


def test_connecting_another_workspace_unlinks_everyone(acme, acme_slack):
    from charter.slack.models import SlackLink
    from charter.slack.services import installation_save, link_by_email

    link_by_email(installation=acme_slack, slack_user_id="U1", email=acme.user.email)
    installation_save(actor=acme, team_id="TACME", is_active=True)  # same workspace: links stay
    assert SlackLink.objects.for_org(acme.organization).count() == 1
    installation_save(actor=acme, team_id="TOTHER")
    assert not SlackLink.objects.for_org(acme.organization).exists()
