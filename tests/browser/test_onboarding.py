"""In a real browser, from an empty installation: the setup page, an invitation copied from the People
page, the invitee making an account; then another organization from the switcher."""

import re

import pytest

from charter.organizations import first_run
from charter.organizations.models import Membership, Organization, Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-first-owner-passphrase-7"


@pytest.fixture(autouse=True)
def empty():
    first_run.forget()
    yield
    first_run.forget()


def test_from_an_empty_installation_to_an_invited_colleague(page, shot):
    page.goto("/")
    assert page.url.endswith("/setup/")
    page.get_by_label("Your name").fill("Olga Owner")
    page.get_by_label("Your email").fill("olga@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("Organization").fill("Harbour Bakery Co")
    assert page.get_by_label("Short name").input_value() == "harbour-bakery-co"  # derived as typed
    shot(page, "onboarding-1-setup")
    page.get_by_role("button", name="Create my organization").click()
    page.get_by_text("Harbour Bakery Co is ready").wait_for()
    shot(page, "onboarding-2-home")

    page.goto("/people/")
    page.get_by_label("Email addresses").fill("ben@example.org, cara@example.org")
    page.get_by_label("Role").select_option("leader")
    page.get_by_role("button", name="Send invitations").click()
    page.get_by_text("2 invitations sent").wait_for()
    link = page.locator("#invitation-link-" + str(_invitation_id("ben@example.org"))).input_value()
    shot(page, "onboarding-3-invited")

    page.context.clear_cookies()
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("heading", name="Join Harbour Bakery Co").wait_for()
    page.get_by_label("Your name").fill("Ben Baker")
    page.get_by_label("Password", exact=True).fill("bens-own-passphrase-42")
    page.get_by_label("Password again").fill("bens-own-passphrase-42")
    shot(page, "onboarding-4-accept")
    page.get_by_role("button", name="Join Harbour Bakery Co").click()
    page.get_by_text("you joined as leader").wait_for()
    shot(page, "onboarding-5-joined")
    ben = User.objects.get(email="ben@example.org")
    org = Organization.objects.get(slug="harbour-bakery-co")
    assert Membership.objects.for_org(org).get(user=ben).role == Role.LEADER

    page.goto(re.sub(r"^https?://[^/]+", "", link))  # the link worked once
    page.get_by_role("heading", name="This invitation was already used").wait_for()


def test_a_second_organization_from_the_switcher(page, shot):
    page.goto("/setup/")
    page.get_by_label("Your name").fill("Olga Owner")
    page.get_by_label("Your email").fill("olga@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("Organization").fill("First Org")
    page.get_by_role("button", name="Create my organization").click()
    page.get_by_text("First Org is ready").wait_for()
    page.get_by_role("button", name="First Org").click()
    page.get_by_role("link", name="New organization…").click()
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_label("Name", exact=True).fill("Second Venture")
    page.get_by_label("Short name").fill("venture-two")
    page.get_by_label("Name", exact=True).fill("Second Venture Ltd")  # an edited short name is kept
    assert page.get_by_label("Short name").input_value() == "venture-two"
    shot(page, "onboarding-6-new-organization-390")
    page.get_by_role("button", name="Create organization").click()
    page.get_by_text("Second Venture Ltd was created").wait_for()
    assert Organization.objects.filter(slug="venture-two").exists()
    page.goto("/people/")
    page.get_by_label("Email addresses").fill("dan@example.org")
    page.get_by_role("button", name="Send invitations").click()
    page.get_by_text("Invitation sent by email").wait_for()
    for card in ("#invite", "#pending-invitations", "#invitations-sent"):  # nothing of ours is wider
        assert page.eval_on_selector(card, "e => e.scrollWidth <= e.clientWidth + 1"), card
    shot(page, "onboarding-7-people-390")


def _invitation_id(email):
    from charter.organizations.models import Invitation

    return Invitation.objects.unscoped().get(email=email).pk
