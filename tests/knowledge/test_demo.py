"""The demo knowledge base: real FAQ with sources, city answers in two languages, all clean."""

import re

import pytest

from civicdesk.core.demo import demo_catalog_load
from civicdesk.knowledge.choices import ArticleStatus
from civicdesk.knowledge.demo import knowledge_demo_load
from civicdesk.knowledge.models import Article, Topic
from civicdesk.knowledge.selectors import contact_problems_live, quick_links, topics_featured

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    demo_catalog_load()
    knowledge_demo_load()


def test_the_demo_loads_once_and_again_changes_nothing(demo):
    city = Article.objects.filter(external_id__startswith="city:")
    faq = Article.objects.filter(external_id__startswith="state-gov-faq:")
    assert 25 <= city.filter(language="en").count() <= 40
    assert city.filter(language="es", translation_of__isnull=False).count() >= 25
    assert 200 <= faq.count() <= 500
    assert set(Article.objects.values_list("status", flat=True)) == {ArticleStatus.PUBLISHED}
    revisions = sum(a.revisions.count() for a in Article.objects.all())

    reports = knowledge_demo_load()
    assert all(r.created == r.updated == 0 and not r.problems for r in reports.values())
    assert sum(a.revisions.count() for a in Article.objects.all()) == revisions


def test_the_government_faq_shows_its_source(demo):
    faq = Article.objects.filter(external_id__startswith="state-gov-faq:")
    assert not faq.filter(source_url="").exists()
    assert not faq.filter(source_name="").exists()
    assert faq.filter(source_name="Vermont Department of Health").exists()
    assert all(article.links.filter(is_source=True).exists() for article in faq[:20])


def test_city_answers_have_owners_services_and_review_dates(demo):
    city = Article.objects.filter(external_id__startswith="city:", language="en")
    assert not city.filter(department__isnull=True).exists()
    assert not city.filter(review_by__isnull=True).exists()
    assert not city.filter(questions=[]).exists()
    assert city.filter(service_types__code="pothole").exists()
    assert city.filter(quick_link=True).count() >= 5
    spanish = Article.objects.get(external_id="city:trash-day:es")
    assert spanish.department is not None and spanish.department.code == "sanitation"
    assert spanish.slug == "trash-day"


def test_home_page_topics_and_quick_links(demo):
    assert [t.slug for t in topics_featured()] == [
        "trash",
        "streets",
        "parking",
        "requests",
        "city-hall",
    ]
    assert Topic.objects.get(slug="parking").name_es == "Estacionamiento y multas"
    spanish = quick_links(language="es")
    assert spanish and all(a.language == "es" for a in spanish)


def test_city_answers_agree_with_the_catalog(demo):
    flagged = {entry.article.external_id for entry in contact_problems_live()}
    assert not {external_id for external_id in flagged if external_id.startswith("city:")}


def test_every_link_between_pages_works(demo, client):
    pages = Article.objects.filter(external_id__startswith="city:")
    targets = set()
    for article in pages:
        targets |= set(re.findall(r"\]\((/[^)]*)\)", article.body))
    assert targets
    for target in sorted(targets):
        assert client.get(target, HTTP_ACCEPT_LANGUAGE="en").status_code == 200, target
