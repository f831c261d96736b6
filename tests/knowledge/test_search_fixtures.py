"""A small city knowledge base for the search tests (fixtures only; imported by test_search_*)."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache

from civicdesk.catalog.models import Department, ServiceType
from civicdesk.knowledge.choices import ArticleStatus
from civicdesk.knowledge.models import Article
from civicdesk.knowledge.search import search_index_clear
from civicdesk.knowledge.services import article_create, article_translate

__all__ = ["city_kb", "city_services", "fresh_search", "ranked_ids", "search_department"]

ARTICLES: list[dict[str, Any]] = [
    {
        "external_id": "city:trash-day",
        "title": "When is my trash picked up?",
        "questions": ["What day is trash day?", "Trash pickup schedule"],
        "summary": "Trash is picked up once a week on your street's collection day.",
        "body": "Put bins at the curb **by 7 a.m.** on your collection day. "
        "[Collection calendar](https://calendar.example.org/trash)",
    },
    {
        "external_id": "city:bulk-items",
        "title": "How do I get rid of a couch or a mattress?",
        "questions": ["Bulk item pickup", "Large furniture disposal"],
        "summary": "Book a free bulk item pickup online or by calling 311.",
        "body": "We collect up to five large items a week, such as furniture and appliances.",
    },
    {
        "external_id": "city:e-waste",
        "title": "Where can I recycle electronics?",
        "questions": ["Drop off old computers and televisions"],
        "summary": "Bring electronics to the recycling center on Saturdays.",
        "body": "Televisions, computers and phones are recycled for free at the center.",
    },
    {
        "external_id": "city:parking-ticket",
        "title": "How do I pay a parking ticket?",
        "questions": ["Pay a parking fine", "Contest a parking citation"],
        "summary": "Pay online with the ticket number, by mail, or in person at City Hall.",
        "body": "You have 21 days to pay or appeal a ticket before late fees apply.",
    },
    {
        "external_id": "city:library-hours",
        "title": "When are the libraries open?",
        "questions": ["Library opening hours"],
        "summary": "Branch libraries are open Monday to Saturday, 10 a.m. to 6 p.m.",
        "body": "The central library also opens on Sundays from 1 p.m. to 5 p.m.",
    },
    {
        "external_id": "city:parking-permit",
        "title": "How do I get a resident parking permit?",
        "questions": ["Residential parking sticker"],
        "summary": "Apply online with proof of residency and your vehicle registration.",
        "body": "Permits are free and renew every year in the spring.",
    },
    {
        "external_id": "city:rats",
        "title": "What can I do about rats?",
        "questions": ["Rodent problem in my yard"],
        "summary": "Report rodents to 311; inspectors bait public property within 5 days.",
        "body": "Keep trash in closed bins and remove food sources from your yard.",
    },
]
SPANISH = {
    "city:trash-day": {
        "external_id": "city:trash-day:es",
        "title": "¿Cuándo recogen la basura?",
        "questions": ["¿Qué día pasa el camión de la basura?"],
        "summary": "La basura se recoge una vez por semana, el día de recolección de su calle.",
        "body": "Saque los contenedores **antes de las 7 a.m.** el día de recolección.",
    },
    "city:parking-ticket": {
        "external_id": "city:parking-ticket:es",
        "title": "¿Cómo pago una multa de estacionamiento?",
        "questions": ["Pagar una infracción de estacionamiento"],
        "summary": "Pague en línea con el número de la multa, por correo o en el Ayuntamiento.",
        "body": "Tiene 21 días para pagar o apelar antes de los recargos.",
    },
}
SERVICES = [
    {
        "code": "missed-trash",
        "name": "Missed trash pickup",
        "name_es": "Basura no recogida",
        "description": "Trash that was out on time but was not picked up.",
        "group": "Trash & Recycling",
        "keywords": ["collection", "bin"],
    },
    {
        "code": "pothole",
        "name": "Pothole",
        "name_es": "Bache",
        "description": "A hole or broken pavement in the street.",
        "description_es": "Un hoyo o pavimento roto en la calle.",
        "group": "Streets & Sidewalks",
        "keywords": ["hole", "road"],
        "keywords_es": ["hoyo", "calle"],
    },
    {
        "code": "street-light",
        "name": "Street light out",
        "name_es": "Farola apagada",
        "description": "A street light that is off at night.",
        "group": "Streets & Sidewalks",
        "keywords": ["lamp"],
    },
]


@pytest.fixture(autouse=True)
def fresh_search() -> Iterator[None]:
    # Each test's rows are rolled back, and rows made without the services bump nothing.
    search_index_clear()
    cache.clear()
    yield
    search_index_clear()
    cache.clear()


@pytest.fixture
def search_department(db: None) -> Department:
    return Department.objects.create(code="pw", name="Public Works")


@pytest.fixture
def city_services(search_department: Department) -> dict[str, ServiceType]:
    return {
        fields["code"]: ServiceType.objects.create(default_department=search_department, **fields)
        for fields in SERVICES
    }


@pytest.fixture
def city_kb(db: None) -> dict[str, Article]:
    """The articles above, published, with two Spanish translations (by external id)."""
    articles = {
        fields["external_id"]: article_create(actor=None, status=ArticleStatus.PUBLISHED, **fields)
        for fields in ARTICLES
    }
    for original_id, fields in SPANISH.items():
        articles[fields["external_id"]] = article_translate(
            original=articles[original_id],
            language="es",
            actor=None,
            status=ArticleStatus.PUBLISHED,
            **fields,
        )
    return articles


@pytest.fixture
def ranked_ids() -> Callable[..., list[str]]:
    from civicdesk.knowledge.search import search

    def ranked(query: str, language: str = "en", **options: Any) -> list[str]:
        return [hit.external_id for hit in search(query, language=language, **options)]

    return ranked
