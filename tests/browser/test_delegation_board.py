"""The delegation board in a real browser: set a cell's level in the dialog, then record a decision
whose outcome the form tells before saving."""

import re

import pytest

from charter.delegation.tests.factories import make_cast
from charter.organizations.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, actor):
    page.goto("/login/")
    page.get_by_label("Email", exact=True).fill(actor.user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r":\d+/$"))


def test_set_a_level_in_the_dialog_and_see_what_it_means_when_recording(page, shot, owner):
    cast = make_cast(owner)
    _login(page, owner)
    page.goto("/delegation/")
    page.locator(f"#cell-{cast.product.pk}-{cast.domain.pk} a").click()
    dialog = page.locator("#level-dialog")
    dialog.get_by_role("radio", name=re.compile(r"^6 \(inquire\)")).check()
    dialog.get_by_label("Reason").fill("They know their customers")
    shot(page, "delegation-dialog")
    with page.expect_navigation():
        dialog.get_by_role("button", name="Save level").click()
    assert "is now at level 6 (inquire) for Pricing" in page.content()
    shot(page, "delegation-board")

    page.context.clear_cookies()
    _login(page, cast.bob)
    page.goto("/decisions/new/")
    page.get_by_label("Team", exact=True).select_option(str(cast.product.pk))
    page.get_by_label("Decision domain", exact=True).select_option(str(cast.domain.pk))
    preview = page.locator("#outcome-preview")
    preview.get_by_text("You may decide this.").wait_for()
    assert "Ana Lead is told" in preview.inner_text()
    shot(page, "decision-form")


def test_a_leader_sees_advice_on_home_and_the_board_and_accepts_it(page, shot, owner):
    from charter.delegation.tests.advice_history import advice_world, raise_history

    world = advice_world(owner)
    raise_history(world)
    _login(page, world["lea"])
    advice = page.locator("#advice-mine-title")
    advice.wait_for()  # loaded after home
    assert "14 of the last 15 proposals approved unchanged" in page.content()
    shot(page, "advice-home")
    page.goto("/delegation/")
    page.locator(f"#cell-{world['platform'].pk}-{world['budget'].pk}").get_by_role(
        "link", name="Raise the level: 4"
    ).click()
    page.get_by_role("button", name="Accept: set level 4").wait_for()
    shot(page, "advice-cell")
    with page.expect_navigation():
        page.get_by_role("button", name="Accept: set level 4").click()
    assert "Advice accepted: Platform is now at level 4 (agree) for Budget under 10k." in page.content()
    assert "Not enough history for advice: 0 record(s) at level 4, 8 needed." in page.content()
    shot(page, "advice-accepted")
