"""The portal's pages in a real browser: English and Spanish, phone and desktop, axe-clean.

Each test visits one page in the four combinations, runs axe-core's WCAG 2.1 A/AA rules in
every state it reaches, and saves a full-page screenshot (see README, "Tests and CI").
The knowledge base's answer pages are checked in test_answers.py.
"""

import re

import pytest

from .data import PublicRequests
from .harness import AxeAudit, BrowserPages, screenshot

pytestmark = pytest.mark.browser

COMBINATIONS = [
    (language, viewport) for language in ("en", "es") for viewport in ("phone", "desktop")
]

TEXT = {
    "en": {
        "home": "How can we help?",
        "report": "Report a problem",
        "track": "Check a request",
        "requests": "Requests near you",
        "other_language": "Español",
        "menu": "Menu",
        "banner": "Here\u2019s how you know",
        "check": "Check status",
        "pothole": "Pothole",
        "search": "pothole",
        "request": "Request",
        "not_found": "We could not find a request with the number",
        "no_match": "No service matches your search",
        "show": "Show requests",
    },
    "es": {
        "home": "¿En qué le podemos ayudar?",
        "report": "Reportar un problema",
        "track": "Consultar una solicitud",
        "requests": "Solicitudes cerca de usted",
        "other_language": "English",
        "menu": "Menú",
        "banner": "Así es como usted puede verificarlo",
        "check": "Consultar el estado",
        "pothole": "Bache",
        "search": "bache",
        "request": "Solicitud",
        "not_found": "No encontramos",
        "no_match": "Ningún servicio coincide con su búsqueda",
        "show": "Mostrar solicitudes",
    },
}


def _is_in(page, language: str) -> None:
    assert page.locator("html").get_attribute("lang") == language


def test_home(browser_pages: BrowserPages, demo: None, axe: AxeAudit) -> None:
    expect = browser_pages.expect
    for language, viewport in COMBINATIONS:
        text = TEXT[language]
        page = browser_pages.open(viewport, language)
        page.goto("/")
        _is_in(page, language)
        expect(page.get_by_role("heading", level=1)).to_have_text(text["home"])
        axe.check(page, f"home-{language}-{viewport}")
        screenshot(page, f"home-{language}-{viewport}")

        if viewport == "phone":
            # The menu button opens the navigation drawer (USWDS JavaScript).
            page.get_by_role("button", name=text["menu"], exact=True).click()
            navigation = page.get_by_role("navigation", name=re.compile("Main|Principal"))
            expect(navigation.get_by_role("link", name=text["track"])).to_be_visible()
            axe.check(page, f"home-{language}-phone-menu")
            screenshot(page, f"home-{language}-phone-menu", full_page=False)
            page.keyboard.press("Escape")
        else:
            page.get_by_role("button", name=text["banner"]).click()
            expect(page.locator("#gov-banner")).to_be_visible()
            axe.check(page, f"home-{language}-desktop-banner")

        # The language switch (a plain POST form) keeps the visitor on the page.
        page.get_by_role("button", name=text["other_language"]).click()
        other = "es" if language == "en" else "en"
        expect(page.locator("html")).to_have_attribute("lang", other)
        expect(page.get_by_role("heading", level=1)).to_have_text(TEXT[other]["home"])
        page.close()
    axe.assert_clean()


def test_home_without_javascript(browser_pages: BrowserPages, demo: None, axe: AxeAudit) -> None:
    """With JavaScript off the phone layout shows the navigation in place of the menu button."""
    expect = browser_pages.expect
    for language in ("en", "es"):
        page = browser_pages.open("phone", language, javascript=False)
        page.goto("/")
        navigation = page.get_by_role("navigation", name=re.compile("Main|Principal"))
        expect(navigation.get_by_role("link", name=TEXT[language]["report"])).to_be_visible()
        expect(page.get_by_role("button", name=TEXT[language]["menu"], exact=True)).to_be_hidden()
        axe.check(page, f"home-{language}-phone-nojs")
        screenshot(page, f"home-{language}-phone-nojs")
    axe.assert_clean()


def test_service_picker_and_search(browser_pages: BrowserPages, demo: None, axe: AxeAudit) -> None:
    expect = browser_pages.expect
    for language, viewport in COMBINATIONS:
        text = TEXT[language]
        page = browser_pages.open(viewport, language)
        page.goto("/report/")
        expect(page.get_by_role("heading", level=1)).to_have_text(text["report"])
        expect(page.locator("[data-service]")).to_have_count(47)
        axe.check(page, f"report-{language}-{viewport}")
        screenshot(page, f"report-{language}-{viewport}")

        search = page.get_by_role("searchbox")
        search.fill(text["search"])
        search.press("Enter")
        page.wait_for_url(re.compile(r"/report/\?q="))
        first = page.locator(".portal-results [data-service]").first
        expect(first).to_have_attribute("data-service", "pothole")
        expect(first.get_by_role("link")).to_have_text(text["pothole"])
        axe.check(page, f"report-search-{language}-{viewport}")
        screenshot(page, f"report-search-{language}-{viewport}")

        page.goto("/report/?q=zzqxv")
        expect(page.get_by_role("status")).to_contain_text(text["no_match"])
        axe.check(page, f"report-search-empty-{language}-{viewport}")
        page.close()
    axe.assert_clean()


def test_service_page(browser_pages: BrowserPages, demo: None, axe: AxeAudit) -> None:
    expect = browser_pages.expect
    for language, viewport in COMBINATIONS:
        page = browser_pages.open(viewport, language)
        page.goto("/report/")
        page.get_by_role("link", name=TEXT[language]["pothole"], exact=True).first.click()
        page.wait_for_url("**/report/pothole/")
        expect(page.get_by_role("heading", level=1)).to_have_text(TEXT[language]["pothole"])
        axe.check(page, f"service-{language}-{viewport}")
        screenshot(page, f"service-{language}-{viewport}")
        page.close()
    axe.assert_clean()


def test_track_found_and_not_found(
    browser_pages: BrowserPages, public_requests: PublicRequests, axe: AxeAudit
) -> None:
    expect = browser_pages.expect
    for language, viewport in COMBINATIONS:
        text = TEXT[language]
        page = browser_pages.open(viewport, language)
        page.goto("/track/")
        expect(page.get_by_role("heading", level=1)).to_have_text(text["track"])
        axe.check(page, f"track-{language}-{viewport}")
        screenshot(page, f"track-{language}-{viewport}")

        # Found: typed the way people write it, with a "#" and a space.
        reference = public_requests.closed_reference
        page.locator("#reference").fill("#" + reference.replace("-", " "))
        page.get_by_role("button", name=text["check"]).click()
        heading = page.get_by_role("heading", level=2, name=f"{text['request']} {reference}")
        expect(heading).to_be_visible()
        expect(page.locator("[data-request]")).to_contain_text("The lamp was replaced.")
        axe.check(page, f"track-found-{language}-{viewport}")
        screenshot(page, f"track-found-{language}-{viewport}")

        # Not found: the error is beside the field, announced, and the field is marked.
        page.locator("#reference").fill("25-999999")
        page.get_by_role("button", name=text["check"]).click()
        error = page.locator("#reference-error")
        expect(error).to_contain_text(text["not_found"])
        expect(page.locator("#reference")).to_have_attribute("aria-invalid", "true")
        axe.check(page, f"track-not-found-{language}-{viewport}")
        screenshot(page, f"track-not-found-{language}-{viewport}")
        page.close()
    axe.assert_clean()


def test_request_list(
    browser_pages: BrowserPages, public_requests: PublicRequests, axe: AxeAudit
) -> None:
    expect = browser_pages.expect
    for language, viewport in COMBINATIONS:
        text = TEXT[language]
        page = browser_pages.open(viewport, language)
        page.goto("/requests/", wait_until="networkidle")
        expect(page.get_by_role("heading", level=1)).to_have_text(text["requests"])
        expect(page.get_by_role("link", name=public_requests.open_reference)).to_be_visible()
        axe.check(page, f"requests-{language}-{viewport}")
        screenshot(page, f"requests-{language}-{viewport}")

        page.locator("#filter-status").select_option("closed")
        page.get_by_role("button", name=text["show"]).click()
        page.wait_for_url(re.compile(r"status=closed"))
        expect(page.get_by_role("link", name=public_requests.closed_reference)).to_be_visible()
        expect(page.get_by_role("link", name=public_requests.open_reference)).to_have_count(0)
        axe.check(page, f"requests-closed-{language}-{viewport}")
        page.close()
    axe.assert_clean()
