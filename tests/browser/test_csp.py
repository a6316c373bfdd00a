"""The Content Security Policy in a real browser: the pages that use htmx, ECharts and the API's docs
run under it without a single violation (the `page` fixture also fails on any console report)."""

import re

import pytest

from charter.goals.services import check_in_record
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.metrics.services import metric_create, metric_value_record
from charter.organizations.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _sign_in(page, actor):
    page.goto("/login/")
    page.get_by_label("Email").fill(actor.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r":\d+/$"))  # the home page, not any URL ending in a slash


def _violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def test_pages_with_htmx_echarts_and_the_api_docs_run_under_the_policy(page, owner):
    cycle = make_cycle(owner, "2026 Q4", days_before=30, days_after=60)
    goal = make_goal(owner, cycle, "Clinics onboard in a day")
    kr = make_key_result(owner, goal, "Days to first booking", kind="decrease", start=7, target=1)
    check_in_record(actor=owner, key_result_id=kr.pk, value=3, confidence=7)
    metric = metric_create(actor=owner, name="Signups")
    for value in (3, 5, 8):
        metric_value_record(actor=owner, metric_id=metric.pk, value=value)
    page.context.add_init_script(WATCH)
    _sign_in(page, owner)

    response = page.goto("/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page.locator("#inbox-badge").wait_for(state="attached")  # filled by htmx on load
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.querySelectorAll('style[nonce]').length") >= 1, "htmx's indicator style"
    assert _violations(page) == []

    page.goto(f"/metrics/{metric.pk}/")
    page.locator("canvas").first.wait_for()  # ECharts drew the line
    page.locator("canvas").first.hover()  # its tooltip is written with style attributes
    assert _violations(page) == []

    page.goto("/insights/profile/")
    page.wait_for_load_state("networkidle")
    assert _violations(page) == []

    page.goto("/api/v1/docs")
    page.locator(".swagger-ui .info").wait_for()
    page.locator(".opblock").first.wait_for()  # the operations are drawn
    page.locator(".opblock-summary").first.click()  # and one opens
    page.wait_for_load_state("networkidle")
    assert _violations(page) == []


def test_a_violation_is_seen(page, owner):
    """The control: an inline script is refused, and the watcher reports it."""
    page.context.add_init_script(WATCH)
    _sign_in(page, owner)
    page.goto("/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            """() => { const s = document.createElement("script"); s.textContent = "window.__ran = 1";
            document.body.appendChild(s); }"""
        )
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in v for v in _violations(page))
    assert any("script-src" in v for v in page.csp_violations), "the fixture sees console reports"
    page.csp_violations.clear()  # expected here; any other test fails on one
