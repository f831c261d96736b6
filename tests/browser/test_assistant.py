"""The assistant in a real browser: the widget on a page (htmx), and its own page without
JavaScript, in English and Spanish, on a phone and a desktop, axe-clean, by keyboard."""

import pytest

from civicdesk.knowledge.demo import DEMO_CITY_ANSWERS, demo_topics_ensure
from civicdesk.knowledge.importfile import import_file_read
from civicdesk.knowledge.services import article_import

from .harness import AxeAudit, BrowserPages, screenshot

pytestmark = pytest.mark.browser

TEXT = {
    "en": {
        "open": "Ask a question",
        "question": "when is trash picked up?",
        "answer": "When is my trash and recycling picked up?",
        "summary": "Trash and recycling are picked up once a week",
        "problem": "there is a pothole on my street",
        "offer": "It sounds like you want to report: Pothole",
        "yes": "Yes, start a request",
        "start": "Start the request: Pothole",
        "send": "Send",
    },
    "es": {
        "open": "Haga una pregunta",
        "question": "¿cuándo recogen la basura?",
        "answer": "¿Cuándo recogen la basura y el reciclaje?",
        "summary": "La basura y el reciclaje se recogen una vez por semana",
        "problem": "hay un bache en mi calle",
        "offer": "Parece que quiere reportar: Bache",
        "yes": "Sí, iniciar una solicitud",
        "start": "Iniciar la solicitud: Bache",
        "send": "Enviar",
    },
}


@pytest.fixture
def answers(demo: None) -> None:
    demo_topics_ensure()
    article_import(file=import_file_read(DEMO_CITY_ANSWERS))


def test_the_widget_answers_on_any_page(
    browser_pages: BrowserPages, answers: None, axe: AxeAudit
) -> None:
    expect = browser_pages.expect
    for language in ("en", "es"):
        for viewport in ("phone", "desktop"):
            text = TEXT[language]
            page = browser_pages.open(viewport, language)
            page.goto("/track/")
            launcher = page.get_by_role("link", name=text["open"])
            launcher.click()
            expect(launcher).to_have_attribute("aria-expanded", "true")
            box = page.locator("#assistant-text")
            expect(box).to_be_focused()
            box.fill(text["question"])
            page.get_by_role("button", name=text["send"], exact=True).click()
            # Two answers are close: the assistant asks which, as buttons.
            page.get_by_role("button", name=text["answer"]).click()
            log = page.get_by_role("log")
            expect(log).to_contain_text(text["summary"])
            # Still on the same page: the panel was swapped in place.
            assert page.url.endswith("/track/")
            axe.check(page, f"assistant-widget-{language}-{viewport}")
            screenshot(page, f"assistant-widget-{language}-{viewport}")
            page.keyboard.press("Escape")
            expect(page.locator("#assistant-widget-panel")).to_be_hidden()
            expect(launcher).to_be_focused()
            page.close()
    axe.assert_clean()


def test_from_a_problem_to_the_report_by_keyboard(
    browser_pages: BrowserPages, answers: None, axe: AxeAudit
) -> None:
    expect = browser_pages.expect
    for language in ("en", "es"):
        text = TEXT[language]
        page = browser_pages.open("desktop", language)
        page.goto("/assistant/")
        page.locator("#assistant-text").focus()
        page.keyboard.type(text["problem"])
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.get_by_role("log")).to_contain_text(text["offer"])
        page.get_by_role("button", name=text["yes"]).focus()
        page.keyboard.press("Enter")
        start = page.get_by_role("link", name=text["start"])
        expect(start).to_be_visible()
        axe.check(page, f"assistant-page-{language}-desktop")
        screenshot(page, f"assistant-page-{language}-desktop")
        start.click()
        page.wait_for_url("**/report/pothole/?description=*")
        page.locator("#report-start button[type=submit]").click()
        expect(page.locator("textarea[name=description]")).to_have_value(text["problem"])
        page.close()
    axe.assert_clean()


def test_the_assistant_page_without_javascript(
    browser_pages: BrowserPages, answers: None, axe: AxeAudit
) -> None:
    expect = browser_pages.expect
    for language in ("en", "es"):
        text = TEXT[language]
        page = browser_pages.open("phone", language, javascript=False)
        page.goto("/track/")
        page.get_by_role("link", name=text["open"]).click()
        page.wait_for_url("**/assistant/")
        page.locator("#assistant-text").fill(text["question"])
        page.get_by_role("button", name=text["send"], exact=True).click()
        page.get_by_role("button", name=text["answer"]).click()
        expect(page.get_by_role("log")).to_contain_text(text["summary"])
        axe.check(page, f"assistant-page-{language}-phone-nojs")
        screenshot(page, f"assistant-page-{language}-phone-nojs")
        page.close()
    axe.assert_clean()
