"""Translations: one answer in several languages, and what a reader sees when one is missing."""

import pytest
from django.core.exceptions import ValidationError

from civicdesk.knowledge.choices import ArticleStatus
from civicdesk.knowledge.selectors import article_for_reader, articles_by_topic, quick_links
from civicdesk.knowledge.services import (
    WorkflowError,
    article_transition,
    article_translate,
)

pytestmark = pytest.mark.django_db


def test_a_translation_shares_the_original_slug_owner_and_services(trash_day, trash_day_es):
    assert trash_day_es.slug == trash_day.slug
    assert trash_day_es.translation_of == trash_day
    assert trash_day_es.department == trash_day.department
    assert list(trash_day_es.service_types.all()) == list(trash_day.service_types.all())
    assert trash_day_es.get_absolute_url() == f"/answers/{trash_day.slug}/?lang=es"
    assert trash_day.get_absolute_url() == f"/answers/{trash_day.slug}/"


def test_each_reader_gets_their_language(trash_day, trash_day_es):
    english = article_for_reader(slug=trash_day.slug, language="en")
    spanish = article_for_reader(slug=trash_day.slug, language="es")
    assert english is not None and spanish is not None
    assert (english.article, english.fallback) == (trash_day, False)
    assert (spanish.article, spanish.fallback) == (trash_day_es, False)


def test_without_a_translation_the_original_is_shown_as_a_fallback(trash_day):
    found = article_for_reader(slug=trash_day.slug, language="es")
    assert found is not None
    assert (found.article, found.fallback, found.elsewhere) == (trash_day, True, False)


def test_an_unpublished_translation_is_not_shown(trash_day, editor):
    draft = article_translate(
        original=trash_day, language="es", actor=editor, title="Basura", summary="Borrador."
    )
    assert draft.status == ArticleStatus.DRAFT
    found = article_for_reader(slug=trash_day.slug, language="es")
    assert found is not None and found.article == trash_day and found.fallback


def test_a_translation_with_its_own_slug_is_found_from_either_address(trash_day):
    spanish = article_translate(
        original=trash_day,
        language="es",
        actor=None,
        title="Día de la basura",
        summary="Una vez por semana.",
        slug="dia-de-la-basura",
        status=ArticleStatus.PUBLISHED,
    )
    to_spanish = article_for_reader(slug=trash_day.slug, language="es")
    to_english = article_for_reader(slug="dia-de-la-basura", language="en")
    assert to_spanish is not None and to_english is not None
    assert (to_spanish.article, to_spanish.elsewhere) == (spanish, True)
    assert (to_english.article, to_english.elsewhere) == (trash_day, True)


def test_translation_rules(trash_day, trash_day_es):
    with pytest.raises(ValidationError, match="another language"):
        article_translate(original=trash_day, language="en", actor=None, title="T", summary="S")
    with pytest.raises(ValidationError, match="original article"):
        article_translate(original=trash_day_es, language="en", actor=None, title="T", summary="S")
    with pytest.raises(ValidationError):
        # One translation per language.
        article_translate(
            original=trash_day, language="es", actor=None, title="Otra", summary="S", slug="otra"
        )


def test_a_translation_waits_for_its_original(editor, publisher):
    from civicdesk.knowledge.services import article_create

    original = article_create(actor=editor, title="Snow emergencies", summary="Move your car.")
    spanish = article_translate(
        original=original, language="es", actor=editor, title="Emergencias", summary="Mueva."
    )
    article_transition(article=spanish, to_status=ArticleStatus.IN_REVIEW, actor=editor)
    with pytest.raises(WorkflowError, match="original"):
        article_transition(article=spanish, to_status=ArticleStatus.PUBLISHED, actor=publisher)


def test_the_topic_index_lists_each_answer_once_in_the_best_language(
    trash_day, trash_day_es, make_article, topic
):
    english_only = make_article(title="Yard waste", topic=topic)
    spanish = articles_by_topic(language="es")
    assert [(g.topic, [a.pk for a in g.articles]) for g in spanish] == [
        (topic, [trash_day_es.pk, english_only.pk])
    ] or [(g.topic, sorted(a.pk for a in g.articles)) for g in spanish] == [
        (topic, sorted([trash_day_es.pk, english_only.pk]))
    ]
    english = articles_by_topic(language="en")
    assert sorted(a.pk for a in english[0].articles) == sorted([trash_day.pk, english_only.pk])


def test_quick_links_come_in_the_readers_language(trash_day, trash_day_es, make_article):
    make_article(title="Not a quick link")
    assert quick_links(language="es") == [trash_day_es]
    assert quick_links(language="en") == [trash_day]
