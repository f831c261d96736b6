""" "Describe the problem" in a real browser: suggestions as the resident types (htmx), the
result page without JavaScript, English and Spanish, phone and desktop, axe-clean."""

import re
from collections.abc import Iterator

import pytest

from civicdesk.routing.classifier import _active
from tests.contacts.classifier_support import classifier_activate

from .harness import AxeAudit, BrowserPages, screenshot

pytestmark = pytest.mark.browser

COMBINATIONS = [
    (language, viewport) for language in ("en", "es") for viewport in ("phone", "desktop")
]
TEXT = {
    "en": {
        "box": "Describe the problem in your own words",
        "button": "Suggest a service",
        "words": "Huge hole in the road by the bus stop, my tire burst",
        "pothole": "Pothole",
    },
    "es": {
        "box": "Describa el problema con sus propias palabras",
        "button": "Sugerir un servicio",
        "words": "Hay un bache enorme en mi calle",
        "pothole": "Bache",
    },
}


@pytest.fixture
def classifier(demo: None) -> Iterator[None]:
    _active.clear()
    classifier_activate()
    yield
    _active.clear()


def test_suggestions_as_the_resident_types(
    browser_pages: BrowserPages, classifier: None, axe: AxeAudit
) -> None:
    expect = browser_pages.expect
    for language, viewport in COMBINATIONS:
        text = TEXT[language]
        page = browser_pages.open(viewport, language)
        page.goto("/report/")
        page.get_by_label(text["box"]).fill(text["words"])
        first = page.locator("#describe-suggestions [data-suggested-service]").first
        expect(first).to_have_attribute("data-suggested-service", "pothole")
        expect(first).to_contain_text(text["pothole"])
        axe.check(page, f"describe-live-{language}-{viewport}")
        screenshot(page, f"describe-live-{language}-{viewport}")
        page.close()
    axe.assert_clean()


def test_the_result_page_without_javascript(
    browser_pages: BrowserPages, classifier: None, axe: AxeAudit
) -> None:
    expect = browser_pages.expect
    for language in ("en", "es"):
        text = TEXT[language]
        page = browser_pages.open("phone", language, javascript=False)
        page.goto("/report/")
        page.get_by_label(text["box"]).fill(text["words"])
        page.get_by_role("button", name=text["button"]).click()
        page.wait_for_url(re.compile(r"/suggest/\?description="))
        first = page.locator("[data-suggested-service]").first
        expect(first).to_have_attribute("data-suggested-service", "pothole")
        axe.check(page, f"describe-page-{language}-phone-nojs")
        screenshot(page, f"describe-page-{language}-phone-nojs")

        first.get_by_role("link").click()
        page.wait_for_url(re.compile(r"/report/pothole/\?description="))
        expect(page.get_by_role("heading", level=1)).to_have_text(text["pothole"])

        page.goto("/suggest/?description=wibble+fnarg+xqzv")
        expect(page.locator("[data-suggestion-result]")).to_have_attribute(
            "data-suggestion-result", "search"
        )
        axe.check(page, f"describe-unsure-{language}-phone-nojs")
        page.close()
    axe.assert_clean()
