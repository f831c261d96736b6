"""The documents of each language's index, read from published articles and the catalog.

Per language, one document per answer: the article in that language when it has one, else the
English original, else whichever language the answer exists in (marked `fallback`), as the
article page itself falls back. Service types are indexed in every language with that
language's name, keywords, group and description (the English text where a translation is
blank), plus the other language's text at body weight, so "bache" finds Pothole on the English
side too.
"""

from collections.abc import Iterable

from django.urls import NoReverseMatch, reverse

from civicdesk.catalog.models import ServiceType
from civicdesk.catalog.translation import TRANSLATION_LANGUAGES, translated
from civicdesk.knowledge.models import Article
from civicdesk.knowledge.search.analysis import DEFAULT_LANGUAGE, LANGUAGES
from civicdesk.knowledge.search.documents import ARTICLE, SERVICE, SearchDocument
from civicdesk.knowledge.selectors import articles_published

_SERVICE_TEXT = ("name", "description", "group", "keywords")


def _article_url(article: Article) -> str:
    try:
        return article.get_absolute_url()
    except NoReverseMatch:  # the portal's article page is not routed (a trimmed URLconf)
        return f"/answers/{article.slug}/"


def _preference(article: Article, language: str) -> int:
    if article.language == language:
        return 0
    return 1 if article.translation_of_id is None else 2


def _article_document(article: Article, language: str) -> SearchDocument:
    services = list(article.service_types.all())
    topic = str(translated(article.topic, "name", language)) if article.topic else ""
    related = " ".join(str(translated(service, "name", language)) for service in services)
    return SearchDocument(
        kind=ARTICLE,
        key=str(article.pk),
        language=article.language,
        title=article.title,
        questions=tuple(str(question) for question in article.questions or ()),
        summary=article.summary,
        body=article.body,
        topic=f"{topic} {related}".strip(),
        service_codes=tuple(service.code for service in services),
        url=_article_url(article),
        external_id=article.external_id,
        fallback=article.language != language,
    )


def article_documents(articles: Iterable[Article]) -> dict[str, list[SearchDocument]]:
    """Per analysed language, one document per answer (see the module's docstring)."""
    families: dict[int, list[Article]] = {}
    for article in articles:
        families.setdefault(article.translation_of_id or article.pk, []).append(article)
    documents: dict[str, list[SearchDocument]] = {language: [] for language in LANGUAGES}
    for language, found in documents.items():
        for family in families.values():
            chosen = min(family, key=lambda article: (_preference(article, language), article.pk))
            found.append(_article_document(chosen, language))
    return documents


def _service_url(code: str) -> str:
    try:
        return reverse("portal:report-service", args=[code])
    except NoReverseMatch:
        return f"/report/{code}/"


def _texts(service: ServiceType, field: str, language: str) -> list[str]:
    value = translated(service, field, language)
    return [str(item) for item in value] if isinstance(value, list) else [str(value or "")]


def service_documents(services: Iterable[ServiceType]) -> dict[str, list[SearchDocument]]:
    """Per analysed language, one document per active public service type."""
    services = list(services)
    documents: dict[str, list[SearchDocument]] = {language: [] for language in LANGUAGES}
    for language, found in documents.items():
        others = [
            other for other in (DEFAULT_LANGUAGE, *TRANSLATION_LANGUAGES) if other != language
        ]
        for service in services:
            elsewhere = [
                text
                for other in others
                for field in _SERVICE_TEXT
                for text in _texts(service, field, other)
            ]
            found.append(
                SearchDocument(
                    kind=SERVICE,
                    key=service.code,
                    language=language,
                    title=_texts(service, "name", language)[0],
                    questions=tuple(_texts(service, "keywords", language)),
                    summary=_texts(service, "description", language)[0],
                    topic=_texts(service, "group", language)[0],
                    body=" ".join(elsewhere),
                    service_codes=(service.code,),
                    url=_service_url(service.code),
                    external_id=service.code,
                )
            )
    return documents


def documents_load() -> dict[str, list[SearchDocument]]:
    """Every language's documents: published articles, then active public service types."""
    articles = article_documents(articles_published())
    services = service_documents(
        ServiceType.objects.filter(is_active=True, is_public=True).only(
            "code",
            *_SERVICE_TEXT,
            *(
                f"{field}_{language}"
                for language in TRANSLATION_LANGUAGES
                for field in _SERVICE_TEXT
            ),
        )
    )
    return {language: articles[language] + services[language] for language in LANGUAGES}
