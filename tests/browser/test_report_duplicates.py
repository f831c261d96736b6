"""Following an open report instead of sending a new one, in a real browser, axe-checked.

Details → location → "Is this the same problem?" → "This is my problem: follow it instead" →
the email form (first empty, then filled) → the confirmation, with no new case. In English and
Spanish, and once with JavaScript off; axe-core checks each page and a screenshot of each is
saved (`report-flow-<nn>-<step>-duplicate-<language>-<viewport>.png`).
"""

import pytest

from civicdesk.cases.models import Case
from civicdesk.people.models import EmailLink

from .harness import AxeAudit, BrowserPages
from .test_report_flow import ADDRESS, DESCRIPTION, PROBLEM, SERVICE, Flow, at, t, tick
from .test_report_flow import report_setup as report_setup  # the fixture, shared

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("language", "viewport", "javascript"),
    [("en", "desktop", True), ("es", "phone", True), ("en", "phone", False)],
    ids=["en-desktop", "es-phone", "en-phone-nojs"],
)
def test_follow_an_open_report_instead(
    browser_pages: BrowserPages,
    axe: AxeAudit,
    report_setup: dict,
    language: str,
    viewport: str,
    javascript: bool,
) -> None:
    expect = browser_pages.expect
    page = browser_pages.open(viewport, language, javascript=javascript)
    name = f"duplicate-{language}-{viewport}" + ("" if javascript else "-nojs")
    flow = Flow(browser_pages, axe, page, name)
    cases_before = Case.objects.count()

    page.goto("/report/")
    page.get_by_role("link", name=SERVICE[language], exact=True).click()
    page.get_by_role("button", name=t(language, "Start your report")).click()
    at(page, "details")
    tick(page, PROBLEM[language])
    page.get_by_label(t(language, "Describe the problem")).fill(DESCRIPTION)
    page.get_by_role("button", name=t(language, "Continue"), exact=True).click()
    at(page, "location")
    page.get_by_label(t(language, "Address of the problem")).fill("25 Sheridan")
    page.get_by_role("button", name=t(language, "Find address")).click()
    tick(page, ADDRESS)
    page.get_by_role("button", name=t(language, "Continue"), exact=True).click()

    at(page, "nearby")
    reference = report_setup["nearby"]
    item = page.locator(f'[data-request="{reference}"]')
    expect(item).to_be_visible()
    flow.step("nearby", t(language, "Is this the same problem?"))
    item.get_by_role(
        "link", name=t(language, "This is my problem: follow it instead"), exact=False
    ).click()

    at(page, reference)
    flow.step("follow-instead")
    follow = page.get_by_role("button", name=t(language, "Follow this request"))
    follow.click()
    expect(page.locator("#id_follow-email-error")).to_be_visible()
    flow.step("follow-instead-error")
    page.get_by_label(t(language, "Email address")).fill("ada@example.org")
    page.get_by_role("button", name=t(language, "Follow this request")).click()

    at(page, "followed")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Check your email"))
    expect(page.locator(f'[data-reference="{reference}"]')).to_be_visible()
    flow.step("followed")
    assert Case.objects.count() == cases_before
    assert EmailLink.objects.filter(case__reference=reference).count() == 1
