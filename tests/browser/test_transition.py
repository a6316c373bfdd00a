"""The transition page on the demo organization, as its owner: at desktop width and at 390 px each team's
table scrolls inside its own box (never the page), the box is reached and scrolled by keyboard, the trend
reads in words, the team filter works by keyboard, and axe-core finds no serious or critical violation."""

import pytest
from django.core.management import call_command

from .test_phone_and_accessibility import _context, _overflow, _serious, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(tmp_path):
    call_command("demo", stdout=(tmp_path / "out.txt").open("w"))


@pytest.mark.parametrize("width", [1280, 390])
def test_transition_page_fits_reads_in_words_and_passes_axe(browser, live_server, shot, demo, width):
    from axe_playwright_python.sync_playwright import Axe

    context, page = _context(browser, live_server, width, 900)
    try:
        _sign_in(page)
        page.goto("/insights/")
        with page.expect_navigation():
            page.get_by_role("link", name="Transition", exact=True).click()
        assert page.url.endswith("/insights/transition/")
        page.wait_for_load_state("networkidle")
        assert page.get_by_role("heading", name="Whole organization").is_visible()
        product = page.locator("section", has=page.get_by_role("heading", name="Product", exact=True))
        assert "up 80.6 points: progress" in product.inner_text(), "the demo's move shows, in words"
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        shot(page, f"transition-{width}")
        assert widths[0] == widths[1], f"the page scrolls sideways at {width} px: {_overflow(page)}"
        if width == 390:  # the table scrolls inside its box, by keyboard too (a box that fits is no region)
            box = page.get_by_role("region", name="Whole organization, figures by cycle")
            assert box.evaluate("e => e.scrollWidth > e.clientWidth")
            box.focus()
            page.keyboard.press("ArrowRight")
            page.keyboard.press("End")
            page.wait_for_function(
                "() => document.querySelector('.transition-scroll').scrollLeft > 0", timeout=5000
            )
        problems = _serious(Axe(), page, f"transition at {width} px")

        team = page.get_by_label("Team", exact=True)
        team.focus()
        team.select_option(label="Platform")
        page.get_by_role("button", name="Show").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_role("heading", name="Transition: Platform").is_visible()
        assert page.get_by_role("heading", name="Whole organization").count() == 0
        assert "fewer than 5 people" in page.content(), "Platform has four people: its members' figures hide"
        shot(page, f"transition-platform-{width}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
