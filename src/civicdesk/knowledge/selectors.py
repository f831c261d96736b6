"""Reads of the knowledge base: what residents see, what editors must look at."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from civicdesk.catalog.models import Department, ServiceType
from civicdesk.knowledge.choices import ArticleStatus
from civicdesk.knowledge.contactcheck import (
    ContactProblem,
    article_contact_problems,
    department_record,
)
from civicdesk.knowledge.models import Article, ArticleLink, ArticleRevision, SearchQueryLog, Topic

# What still reaches residents or is about to: the articles whose review date matters.
_LIVE = (ArticleStatus.PUBLISHED, ArticleStatus.IN_REVIEW)


def _with_relations(queryset: QuerySet[Article]) -> QuerySet[Article]:
    return queryset.select_related("topic", "department").prefetch_related(
        Prefetch("service_types", queryset=ServiceType.objects.order_by("name"))
    )


def articles_published(language: str | None = None) -> QuerySet[Article]:
    """Published articles (in one language, or all), topic, department and services loaded."""
    queryset = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    if language:
        queryset = queryset.filter(language=language)
    return _with_relations(queryset).order_by("id")


def article_get(article_id: int) -> Article | None:
    """Any article by id, whatever its status, with its relations; None when there is none."""
    return _with_relations(Article.objects.filter(pk=article_id)).first()


def article_get_by_external_id(external_id: str) -> Article | None:
    if not external_id:
        return None
    return _with_relations(Article.objects.filter(external_id=external_id)).first()


@dataclass(frozen=True)
class ReaderArticle:
    """The article to show for a slug in the reader's language.

    `fallback` is set when the reader's language has no published translation and the article
    is shown in its own language instead; `elsewhere` when the article to show lives at another
    address (a translation with its own slug), where the reader should be sent.
    """

    article: Article
    requested_language: str
    fallback: bool = False
    elsewhere: bool = False


def article_for_reader(*, slug: str, language: str) -> ReaderArticle | None:
    """The published article at `/answers/<slug>/` for a reader of `language`, or None.

    Prefers the article in the reader's language; otherwise its published translation into that
    language (which may have its own slug), otherwise the English original, otherwise whatever
    language the slug exists in. Two queries.
    """
    found = list(_with_relations(Article.objects.filter(slug=slug, status=ArticleStatus.PUBLISHED)))
    if not found:
        return None
    for article in found:
        if article.language == language:
            return ReaderArticle(article=article, requested_language=language)
    some = next((a for a in found if a.translation_of_id is None), found[0])
    root_id = some.translation_of_id or some.pk
    family = list(
        _with_relations(
            Article.objects.filter(
                Q(pk=root_id) | Q(translation_of_id=root_id), status=ArticleStatus.PUBLISHED
            )
        )
    )
    in_language = next((a for a in family if a.language == language), None)
    if in_language is not None:
        return ReaderArticle(
            article=in_language,
            requested_language=language,
            elsewhere=in_language.slug != slug,
        )
    shown = next((a for a in family if a.pk == root_id), None) or found[0]
    return ReaderArticle(article=shown, requested_language=language, fallback=True)


def article_translations_published(article: Article) -> list[Article]:
    """The other published languages of the same answer (original included), by language."""
    root_id = article.translation_of_id or article.pk
    return list(
        Article.objects.filter(
            Q(pk=root_id) | Q(translation_of_id=root_id), status=ArticleStatus.PUBLISHED
        )
        .exclude(pk=article.pk)
        .only("slug", "language", "title")
        .order_by("language")
    )


def _preference(article: Article, language: str) -> int:
    """Which of an answer's languages to list: the reader's, else the original, else any."""
    if article.language == language:
        return 0
    return 1 if article.translation_of_id is None else 2


@dataclass(frozen=True)
class TopicArticles:
    topic: Topic | None
    articles: list[Article]


def articles_by_topic(*, language: str) -> list[TopicArticles]:
    """Published answers for the `/answers/` index, grouped by topic in topic order.

    One entry per answer: the article in `language` when it has one, else the English
    original (the page says so beside it). Answers without a topic come last. Two queries.
    """
    articles = list(
        Article.objects.filter(status=ArticleStatus.PUBLISHED)
        .select_related("topic")
        .only(
            "slug",
            "language",
            "title",
            "summary",
            "translation_of_id",
            "topic__slug",
            "topic__name",
            "topic__name_es",
            "topic__order",
        )
        .order_by("title", "id")
    )
    chosen: dict[int, Article] = {}
    for article in articles:
        root = article.translation_of_id or article.pk
        current = chosen.get(root)
        if current is None or (_preference(article, language) < _preference(current, language)):
            chosen[root] = article
    groups: dict[int | None, list[Article]] = {}
    topics: dict[int | None, Topic | None] = {None: None}
    for article in chosen.values():
        groups.setdefault(article.topic_id, []).append(article)
        topics[article.topic_id] = article.topic
    ordered = sorted(
        (key for key in groups if key is not None),
        key=lambda key: (topics[key].order, topics[key].name),  # type: ignore[union-attr]
    )
    result = [TopicArticles(topic=topics[key], articles=groups[key]) for key in ordered]
    if None in groups:
        result.append(TopicArticles(topic=None, articles=groups[None]))
    for group in result:
        group.articles.sort(key=lambda a: a.title.casefold())
    return result


def topics_featured() -> QuerySet[Topic]:
    """Topics marked for the home page that have at least one published answer."""
    return (
        Topic.objects.filter(featured=True)
        .annotate(published=Count("articles", filter=Q(articles__status=ArticleStatus.PUBLISHED)))
        .filter(published__gt=0)
        .order_by("order", "name")
    )


def quick_links(*, language: str, limit: int = 8) -> list[Article]:
    """Published quick-link answers, in `language` where translated, else in English."""
    articles = list(
        Article.objects.filter(status=ArticleStatus.PUBLISHED, quick_link=True)
        .only("slug", "language", "title", "translation_of_id")
        .order_by("title", "id")
    )
    translated = {a.translation_of_id: a for a in articles if a.language == language}
    result = []
    for article in articles:
        if article.translation_of_id is not None:
            continue
        result.append(translated.get(article.pk, article))
    return result[:limit]


def articles_stale(
    *, department: Department | None = None, today: date | None = None
) -> QuerySet[Article]:
    """Published or in-review articles whose review date has come, oldest date first."""
    day = today or timezone.localdate()
    queryset = Article.objects.filter(status__in=_LIVE, review_by__lte=day)
    if department is not None:
        queryset = queryset.filter(department=department)
    return queryset.select_related("department", "topic").order_by("review_by", "title", "id")


def articles_stale_by_department(
    *, today: date | None = None
) -> dict[Department | None, list[Article]]:
    """Stale articles per owner (None: articles nobody owns), owners by name."""
    grouped: dict[Department | None, list[Article]] = {}
    for article in articles_stale(today=today):
        grouped.setdefault(article.department, []).append(article)
    return dict(
        sorted(grouped.items(), key=lambda item: (item[0] is None, item[0].name if item[0] else ""))
    )


def article_revisions(article: Article) -> QuerySet[ArticleRevision]:
    return article.revisions.select_related("editor").order_by("-number")


def links_failing() -> QuerySet[ArticleLink]:
    """Links that are broken or have moved, on articles that are not archived."""
    return (
        ArticleLink.objects.filter(Q(ok=False) | Q(ok=True, redirected=True))
        .exclude(article__status=ArticleStatus.ARCHIVED)
        .select_related("article", "article__department")
        .order_by("ok", "article__title", "url")
    )


@dataclass(frozen=True)
class UnansweredQuery:
    query: str
    language: str
    count: int


def searches_unanswered(*, days: int = 30, limit: int = 20) -> list[UnansweredQuery]:
    """The most frequent searches of the last `days` days that found nothing (case and
    surrounding spaces ignored)."""
    since = timezone.now() - timedelta(days=days)
    rows = (
        SearchQueryLog.objects.filter(results_count=0, created_at__gte=since)
        .annotate(words=Lower(Trim("query")))
        .values("words", "language")
        .annotate(count=Count("id"))
        .order_by("-count", "words", "language")[:limit]
    )
    return [UnansweredQuery(row["words"], row["language"], row["count"]) for row in rows]


@dataclass(frozen=True)
class ArticleProblems:
    article: Article
    problems: list[ContactProblem]


def contact_problems_live() -> list[ArticleProblems]:
    """Published and in-review articles whose phone numbers, emails, hours or addresses are
    malformed or differ from the catalog, by title. Two queries; the checks run in Python."""
    record = department_record()
    found = []
    articles = Article.objects.filter(status__in=_LIVE).select_related("department")
    for article in articles.order_by("title", "id"):
        problems = article_contact_problems(
            title=article.title,
            summary=article.summary,
            body=article.body,
            source_url=article.source_url,
            owner=article.department,
            record=record,
        )
        if problems:
            found.append(ArticleProblems(article=article, problems=problems))
    return found
