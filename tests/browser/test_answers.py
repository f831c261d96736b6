"""The knowledge base's pages in a real browser: answers and the topic index, axe-clean.

English and Spanish, phone and desktop: an answer with its translation, an answer with no
Spanish text (shown in English with a note), one that links to another agency's page, and the
index of answers by topic.
"""

import pytest

from civicdesk.knowledge.demo import DEMO_CITY_ANSWERS, demo_topics_ensure
from civicdesk.knowledge.importfile import import_file_read
from civicdesk.knowledge.services import article_create, article_import

from .harness import AxeAudit, BrowserPages, screenshot

pytestmark = pytest.mark.browser

COMBINATIONS = [
    (language, viewport) for language in ("en", "es") for viewport in ("phone", "desktop")
]
TEXT = {
    "en": {
        "trash": "When is my trash and recycling picked up?",
        "index": "Answers to common questions",
        "fallback": "not available in your language",
        "source": "Read it at the source",
    },
    "es": {
        "trash": "¿Cuándo recogen la basura y el reciclaje?",
        "index": "Respuestas a preguntas frecuentes",
        "fallback": "todavía no está disponible en su idioma",
        "source": "Léala en la fuente",
    },
}


@pytest.fixture
def answers(demo: None) -> None:
    demo_topics_ensure()
    article_import(file=import_file_read(DEMO_CITY_ANSWERS))
    article_create(
        actor=None,
        title="Should I wear a mask?",
        summary="Follow the state health department's current advice.",
        body="Masks help in crowded indoor places.\n\n1. Cover nose and mouth.\n2. Wash hands.",
        slug="masks",
        source_url="https://health.example.gov/faq#masks",
        source_name="State Health Department",
        status="published",
    )


def test_answer_pages(browser_pages: BrowserPages, answers: None, axe: AxeAudit) -> None:
    expect = browser_pages.expect
    for language, viewport in COMBINATIONS:
        text = TEXT[language]
        page = browser_pages.open(viewport, language)

        page.goto("/answers/trash-day/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_have_text(text["trash"])
        expect(page.locator("[data-fallback]")).to_have_count(0)
        expect(page.locator('[data-service="missed-trash"] a')).to_have_attribute(
            "href", "/report/missed-trash/"
        )
        axe.check(page, f"answer-{language}-{viewport}")
        screenshot(page, f"answer-{language}-{viewport}")

        page.goto("/answers/water-bill/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "How do I pay my water and sewer bill?"
        )
        if language == "es":
            expect(page.locator("[data-fallback]")).to_contain_text(text["fallback"])
            expect(page.locator("article")).to_have_attribute("lang", "en")
        axe.check(page, f"answer-fallback-{language}-{viewport}")
        screenshot(page, f"answer-fallback-{language}-{viewport}")

        page.goto("/answers/masks/")
        expect(page.get_by_role("link", name=text["source"])).to_have_attribute(
            "href", "https://health.example.gov/faq#masks"
        )
        axe.check(page, f"answer-source-{language}-{viewport}")

        page.goto("/answers/")
        expect(page.get_by_role("heading", level=1)).to_have_text(text["index"])
        page.get_by_role("link", name=text["trash"]).click()
        page.wait_for_url("**/answers/trash-day/")
        axe.check(page, f"answers-index-{language}-{viewport}")
        page.close()
    axe.assert_clean()


def test_answer_page_without_javascript(
    browser_pages: BrowserPages, answers: None, axe: AxeAudit
) -> None:
    for language in ("en", "es"):
        page = browser_pages.open("phone", language, javascript=False)
        page.goto("/answers/trash-day/")
        browser_pages.expect(page.get_by_role("heading", level=1)).to_have_text(
            TEXT[language]["trash"]
        )
        axe.check(page, f"answer-{language}-phone-nojs")
        page.close()
    axe.assert_clean()
