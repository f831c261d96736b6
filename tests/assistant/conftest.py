from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from civicdesk.catalog.models import ContactReason, Department, ServiceType
from civicdesk.knowledge.choices import ArticleStatus
from civicdesk.knowledge.models import Article
from civicdesk.knowledge.services import article_create, article_translate
from civicdesk.routing.classifier import _active
from tests.contacts.classifier_support import active_classifier

__all__ = ["active_classifier"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_classifier() -> Iterator[None]:
    # The active classifier is held per process; tests roll back the rows it was loaded from.
    _active.clear()
    yield
    _active.clear()


@pytest.fixture
def city(db: None) -> dict[str, Any]:
    """A small jurisdiction: two services, the reasons the assistant records, three answers."""
    sanitation = Department.objects.create(code="sanitation", name="Sanitation")
    works = Department.objects.create(code="public-works", name="Public Works")
    missed = ServiceType.objects.create(
        code="missed-trash",
        name="Missed trash pickup",
        name_es="Basura no recogida",
        keywords=["trash", "garbage", "pickup"],
        keywords_es=["basura"],
        default_department=sanitation,
    )
    pothole = ServiceType.objects.create(
        code="pothole",
        name="Pothole",
        name_es="Bache",
        description="A hole in the street.",
        keywords=["pothole", "hole", "road"],
        keywords_es=["bache", "hoyo"],
        default_department=works,
    )
    reasons = {
        code: ContactReason.objects.create(code=code, name=name, service_type=service)
        for code, name, service in [
            ("status-check", "Status check on a request", None),
            ("emergency-911", "Emergency - redirected to 911", None),
            ("report-missed-collection", "Report a missed collection", missed),
        ]
    }
    trash_day = article_create(
        actor=None,
        title="When is my trash picked up?",
        questions=["what day is trash collection", "garbage pickup day"],
        summary="Trash is picked up once a week on your street's collection day.",
        body="Put your trash out by 7 a.m. on your collection day.",
        service_types=[missed],
        status=ArticleStatus.PUBLISHED,
        external_id="city:trash-day",
    )
    article_translate(
        original=trash_day,
        language="es",
        actor=None,
        title="¿Cuándo recogen la basura?",
        summary="La basura se recoge una vez por semana, el día de recolección de su calle.",
        status=ArticleStatus.PUBLISHED,
        external_id="city:trash-day:es",
    )
    parking = article_create(
        actor=None,
        title="How do I pay a parking ticket?",
        questions=["pay a parking fine", "parking citation payment"],
        summary="Pay online, by mail or in person within 21 days.",
        status=ArticleStatus.PUBLISHED,
        external_id="city:parking-ticket",
    )
    article_create(
        actor=None,
        title="How do I get a resident parking permit?",
        questions=["parking sticker for my street"],
        summary="Apply online with proof of residency and your car's registration.",
        status=ArticleStatus.PUBLISHED,
        external_id="city:parking-permit",
    )
    return {
        "missed": missed,
        "pothole": pothole,
        "reasons": reasons,
        "trash_day": trash_day,
        "parking": parking,
    }


@pytest.fixture
def archived(city: dict[str, Any]) -> Article:
    return article_create(
        actor=None,
        title="How do I get a dog license?",
        summary="Dog licenses are free this year.",
        status=ArticleStatus.ARCHIVED,
    )
