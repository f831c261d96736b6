"""The call-911 alert in a real browser: first on the page, announced, and passing axe-core,
in English and Spanish, with and without JavaScript; then the report goes on."""

import re

import pytest
from django.utils import translation

from .harness import AxeAudit, BrowserPages, screenshot

pytestmark = pytest.mark.browser

DESCRIPTION = {
    "en": "The pole fell over and the wires are down and sparking",
    "es": "Se cayó el poste y hay cables caídos echando chispas",
}
PROBLEM = {"en": "It flickers", "es": "Parpadea"}


def t(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize(
    ("language", "viewport", "javascript"),
    [("en", "phone", True), ("es", "desktop", False)],
    ids=["en-phone", "es-desktop-nojs"],
)
def test_an_emergency_description_shows_the_alert_then_the_report_goes_on(
    browser_pages: BrowserPages,
    axe: AxeAudit,
    demo: None,
    language: str,
    viewport: str,
    javascript: bool,
) -> None:
    expect = browser_pages.expect
    page = browser_pages.open(viewport, language, javascript=javascript)
    name = f"{language}-{viewport}" + ("" if javascript else "-nojs")

    page.goto("/report/street-light-out/")
    page.get_by_role("button", name=t(language, "Start your report")).click()
    page.wait_for_url(re.compile(r"/details/(#[\w-]*)?$"))
    page.locator(".usa-radio__label").filter(has_text=PROBLEM[language]).first.click()
    page.get_by_label(t(language, "Describe the problem")).fill(DESCRIPTION[language])
    page.get_by_role("button", name=t(language, "Continue"), exact=True).click()

    alert = page.locator("#emergency-alert")
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text(t(language, "If this is an emergency, call 911 now."))
    expect(alert.get_by_role("link", name=t(language, "Call 911"))).to_have_attribute(
        "href", "tel:911"
    )
    box = alert.bounding_box()
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert box is not None and heading is not None and box["y"] < heading["y"]
    expect(page.get_by_label(t(language, "Describe the problem"))).to_have_value(
        DESCRIPTION[language]
    )
    axe.check(page, f"emergency-alert-details-{name}")
    screenshot(page, f"emergency-alert-details-{name}")

    page.get_by_role("button", name=t(language, "Continue with my report")).click()
    page.wait_for_url(re.compile(r"/location/(#[\w-]*)?$"))
    axe.assert_clean()


def test_the_service_search_shows_the_alert(
    browser_pages: BrowserPages, axe: AxeAudit, demo: None
) -> None:
    page = browser_pages.open("phone", "es", javascript=True)

    page.goto("/report/?q=huele+a+gas+en+mi+casa")

    alert = page.locator("#emergency-alert")
    browser_pages.expect(alert).to_contain_text("Si es una emergencia, llame al 911 ahora.")
    axe.check(page, "emergency-alert-search-es-phone")
    screenshot(page, "emergency-alert-search-es-phone")
    axe.assert_clean()
