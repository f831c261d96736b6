"""The portal's answer pages: the article in the reader's language, or English saying so."""

import re

import pytest
from django.conf import settings

from civicdesk.knowledge.choices import ArticleStatus
from civicdesk.knowledge.services import article_transition, article_update

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', _text(response))
    assert match
    return match.group(1)


def test_an_answer_in_english(client, trash_day):
    response = client.get(f"/answers/{trash_day.slug}/")
    page = _text(response)
    assert response.status_code == 200
    assert _lang(response) == "en"
    assert "<h1>When is my trash picked up?</h1>" in page
    assert "Trash is picked up once a week" in page
    assert "<strong>by 7 a.m.</strong>" in page
    assert "data-fallback" not in page
    # Related services lead to the report flow; the owner and how to reach them are shown.
    assert 'href="/report/missed-trash/"' in page
    assert 'data-department="sanitation"' in page
    assert 'href="tel:617-555-0103"' in page
    assert "Mon-Fri 7:00 a.m.-4:00 p.m." in page
    assert "data-last-reviewed" in page


def test_a_spanish_reader_gets_the_translation(client, trash_day, trash_day_es):
    response = client.get(f"/answers/{trash_day.slug}/", HTTP_ACCEPT_LANGUAGE="es")
    page = _text(response)
    assert _lang(response) == "es"
    assert "<h1>¿Cuándo recogen la basura?</h1>" in page
    assert 'data-language="es"' in page
    assert "data-fallback" not in page
    assert "Basura no recogida" in page  # the related service in Spanish
    assert "Reducción de Residuos y Saneamiento" in page  # the owner in Spanish
    assert f'href="/answers/{trash_day.slug}/"' in page  # "also in English"


def test_without_a_translation_the_english_answer_says_so(client, trash_day):
    response = client.get(f"/answers/{trash_day.slug}/", HTTP_ACCEPT_LANGUAGE="es")
    page = _text(response)
    assert response.status_code == 200
    assert _lang(response) == "es"
    assert "data-fallback" in page
    assert "Esta respuesta todavía no está disponible en su idioma" in page
    # The English text is marked as English for screen readers.
    assert re.search(r'<article lang="en" data-article="[^"]+" data-language="en">', page)


def test_a_language_link_switches_the_site_and_lands_on_the_plain_address(client, trash_day_es):
    response = client.get(trash_day_es.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"/answers/{trash_day_es.slug}/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    followed = client.get(response["Location"])
    assert "<h1>¿Cuándo recogen la basura?</h1>" in _text(followed)


def test_an_unknown_language_in_a_link_is_ignored(client, trash_day):
    response = client.get(f"/answers/{trash_day.slug}/?lang=xx")
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_information_from_another_agency_links_to_the_source(client, make_article):
    article = make_article(
        title="Do masks help?",
        body="Yes, in crowded places.",
        source_url="https://health.example.gov/faq#masks",
        source_name="State Health Department",
    )
    page = _text(client.get(f"/answers/{article.slug}/"))
    assert "This information comes from State Health Department" in page
    assert (
        '<a class="usa-link usa-link--external" href="https://health.example.gov/faq#masks" '
        'rel="noopener noreferrer">' in page
    )


def test_drafts_archived_and_unknown_answers_are_not_found(client, editor, make_article):
    from civicdesk.knowledge.services import article_create

    draft = article_create(actor=editor, title="Draft answer", summary="Not yet.")
    archived = make_article(title="Old answer")
    article_transition(article=archived, to_status=ArticleStatus.ARCHIVED, actor=None)
    assert client.get(f"/answers/{draft.slug}/").status_code == 404
    assert client.get(f"/answers/{archived.slug}/").status_code == 404
    assert client.get("/answers/no-such-answer/").status_code == 404


def test_hostile_article_text_reaches_the_page_inert(client, make_article):
    article = make_article(
        title="<script>alert('t')</script>",
        summary="<img src=x onerror=alert(1)>",
        body="<script>alert('b')</script>[x](javascript:alert(1))<p onclick='x()'>p</p>",
    )
    page = _text(client.get(f"/answers/{article.slug}/"))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in page
    article_html = page[page.index("<article") : page.index("</article>")]
    assert "<img" not in article_html and "onclick" not in article_html
    assert "javascript" not in re.sub(r">[^<]*<", "><", article_html)  # no attribute carries it


def test_the_answer_page_costs_few_queries(
    client, trash_day, trash_day_es, django_assert_max_num_queries
):
    client.get(f"/answers/{trash_day.slug}/")  # warm the site-alert and session machinery
    with django_assert_max_num_queries(8):
        client.get(f"/answers/{trash_day.slug}/", HTTP_ACCEPT_LANGUAGE="es")


def test_the_topic_index(client, trash_day, trash_day_es, make_article):
    untopical = make_article(title="How do I pay a parking ticket?")
    english = _text(client.get("/answers/"))
    assert 'id="topic-trash">Trash and recycling</h2>' in english
    assert f'href="/answers/{trash_day.slug}/"' in english
    assert f'data-article="{untopical.slug}"' in english
    spanish = _text(client.get("/answers/", HTTP_ACCEPT_LANGUAGE="es"))
    assert 'id="topic-trash">Basura y reciclaje</h2>' in spanish
    assert "¿Cuándo recogen la basura?" in spanish
    # An answer with no Spanish text is listed in English, marked as such.
    assert re.search(
        r'lang="en">How do I pay a parking ticket\?</a> <span[^>]*>\(English\)', spanish
    )


def test_a_review_shows_as_the_last_reviewed_date(client, trash_day):
    article_update(article=trash_day, actor=None, changes={"review_by": None})
    page = _text(client.get(f"/answers/{trash_day.slug}/"))
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', page)


def test_quick_links_and_topics_for_other_pages(rf, trash_day, trash_day_es, make_article):
    from django.template import Context, Template
    from django.utils import translation

    make_article(title="Not quick")
    page = Template("{% load answers %}{% answers_quick_links %}{% answers_topics %}")
    with translation.override("es"):
        html = page.render(Context({}))
    assert f'href="/answers/{trash_day.slug}/">¿Cuándo recogen la basura?</a>' in html
    assert "Not quick" not in html
    assert "data-answers-topics" not in html  # no topic is marked for the home page yet


def test_the_index_costs_few_queries(
    client, trash_day, trash_day_es, make_article, django_assert_max_num_queries
):
    for number in range(20):
        make_article(title=f"Answer {number}")
    client.get("/answers/")
    with django_assert_max_num_queries(6):
        response = client.get("/answers/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.content.decode().count("data-article=") == 21
