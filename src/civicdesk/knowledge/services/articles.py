"""Writing articles: create, change, translate and move through the editorial workflow.

Every write validates first, then in one transaction saves the article, records an
`ArticleRevision` with what changed and who changed it (only when something did change),
keeps the article's `ArticleLink` rows in step with its text, and bumps the `knowledge`
revision so per-process search indexes rebuild.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from civicdesk.catalog.models import Department, ServiceType
from civicdesk.core.revisions import revision_bump
from civicdesk.knowledge.choices import ArticleLanguage, ArticleStatus
from civicdesk.knowledge.models import (
    KNOWLEDGE_REVISION,
    Article,
    ArticleLink,
    ArticleRevision,
    Topic,
)
from civicdesk.knowledge.rendering import markdown_links
from civicdesk.knowledge.workflow import (
    Actor,
    NotAllowed,
    WorkflowError,
    check_create,
    check_edit,
    check_transition,
)

__all__ = [
    "EDITABLE_FIELDS",
    "NotAllowed",
    "WorkflowError",
    "article_check",
    "article_create",
    "article_snapshot",
    "article_transition",
    "article_translate",
    "article_update",
]

# What an editor may change; the status moves only through `article_transition`.
EDITABLE_FIELDS = (
    "title",
    "slug",
    "questions",
    "summary",
    "body",
    "topic",
    "department",
    "service_types",
    "quick_link",
    "source_url",
    "source_name",
    "review_by",
    "external_id",
)
MAX_QUESTIONS = 50
MAX_QUESTION_LENGTH = 300
MAX_BODY_LENGTH = 100_000
_SLUG_MAX = 200


def _user_or_none(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def article_snapshot(
    article: Article, service_types: Iterable[ServiceType] | None = None
) -> dict[str, Any]:
    """The article's fields as JSON, as recorded in each revision."""
    services = service_types if service_types is not None else article.service_types.all()
    return {
        "external_id": article.external_id,
        "slug": article.slug,
        "language": article.language,
        "translation_of": article.translation_of_id,
        "title": article.title,
        "questions": list(article.questions),
        "summary": article.summary,
        "body": article.body,
        "topic": article.topic.slug if article.topic_id and article.topic else None,
        "department": article.department.code
        if article.department_id and article.department
        else None,
        "service_types": sorted(s.code for s in services),
        "quick_link": article.quick_link,
        "source_url": article.source_url,
        "source_name": article.source_name,
        "status": article.status,
        "review_by": article.review_by.isoformat() if article.review_by else None,
    }


def _clean_questions(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence):
        raise ValidationError({"questions": _("Give the questions as a list of texts.")})
    questions: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise ValidationError({"questions": _("Each question must be text.")})
        text = " ".join(item.split())
        if not text or text in questions:
            continue
        if len(text) > MAX_QUESTION_LENGTH:
            raise ValidationError(
                {
                    "questions": _("Keep each question to %(limit)d characters or fewer.")
                    % {"limit": MAX_QUESTION_LENGTH}
                }
            )
        questions.append(text)
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError(
            {"questions": _("Give at most %(limit)d questions.") % {"limit": MAX_QUESTIONS}}
        )
    return questions


def _check_texts(article: Article) -> None:
    errors: dict[str, list[str]] = {}
    for field in ("title", "summary", "body", "source_name", "external_id", "slug"):
        try:
            # PostgreSQL refuses NUL in text columns; fail here with the field named instead.
            ProhibitNullCharactersValidator()(getattr(article, field))
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.messages)
    if len(article.body) > MAX_BODY_LENGTH:
        errors.setdefault("body", []).append(
            _("Keep the answer to %(limit)s characters or fewer.")
            % {"limit": f"{MAX_BODY_LENGTH:,}"}
        )
    if not article.title.strip():
        errors.setdefault("title", []).append(_("Give the article a title."))
    if not article.summary.strip():
        errors.setdefault("summary", []).append(_("Write the short answer."))
    if errors:
        raise ValidationError(errors)


def _check_translation(article: Article) -> None:
    original = article.translation_of
    if original is None:
        return
    if original.translation_of_id is not None:
        raise ValidationError(
            {"translation_of": _("Translate the original article, not another translation.")}
        )
    if original.pk == article.pk:
        raise ValidationError({"translation_of": _("An article cannot translate itself.")})
    if original.language == article.language:
        raise ValidationError(
            {"translation_of": _("A translation must be in another language than its original.")}
        )
    if article.pk is not None and article.translations.exists():
        raise ValidationError(
            {"translation_of": _("This article has translations of its own, so it is an original.")}
        )


def _unique_slug(*, base: str, language: str, exclude_pk: int | None) -> str:
    stem = (slugify(base) or "answer")[:_SLUG_MAX].strip("-") or "answer"
    others = Article.objects.filter(slug__startswith=stem, language=language)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.values_list("slug", flat=True))
    if stem not in taken:
        return stem
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = f"{stem[: _SLUG_MAX - len(suffix)]}{suffix}"
        if candidate not in taken:
            return candidate
        number += 1


def article_check(article: Article) -> None:
    """Raise the `ValidationError` the services would for this content, field by field, so a
    form can show it beside the fields before anything is saved."""
    article.questions = _clean_questions(article.questions)
    _check_texts(article)
    _check_translation(article)


def _validate(article: Article) -> None:
    article.questions = _clean_questions(article.questions)
    article.title = " ".join(article.title.split())
    article.summary = article.summary.strip()
    article.source_name = article.source_name.strip()
    _check_texts(article)
    _check_translation(article)
    # Related rows were loaded by the caller; re-checking each key would cost a query apiece.
    article.full_clean(
        exclude=["topic", "department", "translation_of", "created_by", "updated_by"],
        validate_constraints=False,
    )
    article.validate_constraints()


def _links_sync(article: Article) -> None:
    """Make the article's link rows the addresses its text and source name now."""
    wanted: dict[str, bool] = dict.fromkeys(markdown_links(article.body), False)
    if article.source_url:
        wanted[article.source_url] = True
    existing = {link.url: link for link in article.links.all()}
    gone = [link.pk for url, link in existing.items() if url not in wanted]
    if gone:
        ArticleLink.objects.filter(pk__in=gone).delete()
    for url, is_source in wanted.items():
        link = existing.get(url)
        if link is None:
            ArticleLink.objects.create(article=article, url=url[:2000], is_source=is_source)
        elif link.is_source != is_source:
            ArticleLink.objects.filter(pk=link.pk).update(is_source=is_source)


def _record(
    *,
    article: Article,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    actor: Actor,
    note: str,
) -> ArticleRevision | None:
    changed = sorted(key for key in after if before is None or before.get(key) != after[key])
    if before is not None and not changed:
        return None
    last = (
        ArticleRevision.objects.filter(article=article)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return ArticleRevision.objects.create(
        article=article,
        number=(last or 0) + 1,
        status=article.status,
        snapshot=dict(after),
        changed_fields=changed if before is not None else [],
        editor=_user_or_none(actor),
        note=note[:500],
    )


def _save(
    *,
    article: Article,
    service_types: Sequence[ServiceType] | None,
    before: Mapping[str, Any] | None,
    actor: Actor,
    note: str,
) -> bool:
    """Validate, save, record the revision and sync links; say whether anything changed."""
    _validate(article)
    services: list[ServiceType] = []
    if service_types is not None:
        services = list(service_types)
    elif article.pk is not None:
        services = list(article.service_types.all())
    after = article_snapshot(article, services)
    if before is not None and before == after:
        return False
    article.updated_by = _user_or_none(actor)
    if article.pk is None:
        article.created_by = article.updated_by
    article.save()
    if service_types is not None:
        article.service_types.set(services)
    _links_sync(article)
    _record(article=article, before=before, after=after, actor=actor, note=note)
    revision_bump(KNOWLEDGE_REVISION)
    return True


def article_create(
    *,
    actor: Actor,
    title: str,
    summary: str,
    body: str = "",
    language: str = ArticleLanguage.EN,
    questions: Sequence[str] = (),
    slug: str = "",
    topic: Topic | None = None,
    department: Department | None = None,
    service_types: Sequence[ServiceType] = (),
    quick_link: bool = False,
    source_url: str = "",
    source_name: str = "",
    review_by: date | None = None,
    external_id: str = "",
    translation_of: Article | None = None,
    status: ArticleStatus = ArticleStatus.DRAFT,
    note: str = "",
) -> Article:
    """A new article, a draft unless the system (`actor=None`, e.g. an import) says otherwise.

    Without a slug, one is made from the title; a translation takes its original's slug when
    that is free in its language, so one address serves the answer in every language.
    """
    check_create(actor=actor)
    if actor is not None and status != ArticleStatus.DRAFT:
        raise NotAllowed(_("New articles start as drafts."))
    article = Article(
        title=title,
        summary=summary,
        body=body,
        language=language,
        questions=list(questions),
        topic=topic,
        department=department,
        quick_link=quick_link,
        source_url=source_url.strip(),
        source_name=source_name,
        review_by=review_by,
        external_id=external_id.strip(),
        translation_of=translation_of,
        status=status,
    )
    if status == ArticleStatus.PUBLISHED:
        article.published_at = timezone.now()
    with transaction.atomic():
        article.slug = slug.strip() or _unique_slug(
            base=translation_of.slug if translation_of is not None else title,
            language=language,
            exclude_pk=None,
        )
        _save(article=article, service_types=service_types, before=None, actor=actor, note=note)
    return article


def article_translate(
    *, original: Article, language: str, actor: Actor, title: str, summary: str, **fields: Any
) -> Article:
    """A translation of `original` into `language`: a new draft that shares its slug if free.

    Owner, topic, related services, source and review date are the original's unless given.
    """
    for inherited in (
        "topic",
        "department",
        "source_url",
        "source_name",
        "review_by",
        "quick_link",
    ):
        fields.setdefault(inherited, getattr(original, inherited))
    fields.setdefault("service_types", list(original.service_types.all()))
    return article_create(
        actor=actor,
        title=title,
        summary=summary,
        language=language,
        translation_of=original,
        **fields,
    )


def article_update(
    *,
    article: Article,
    actor: Actor,
    changes: Mapping[str, Any],
    note: str = "",
    status: ArticleStatus | None = None,
) -> bool:
    """Change an article's content; say whether anything changed (no revision when not).

    `changes` holds any of `EDITABLE_FIELDS`. Only the system (`actor=None`, an import) may
    also set `status` directly; people go through `article_transition`.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    if status is not None and actor is not None:
        raise NotAllowed(_("Change the status through the workflow."))
    with transaction.atomic():
        locked = (
            Article.objects.select_for_update(of=("self",))
            .select_related("topic", "department")
            .get(pk=article.pk)
        )
        check_edit(status=ArticleStatus(locked.status), actor=actor)
        before = article_snapshot(locked)
        service_types = changes.get("service_types")
        for field, value in changes.items():
            if field == "service_types":
                continue
            if field == "slug" and not value:
                value = _unique_slug(
                    base=locked.title, language=locked.language, exclude_pk=locked.pk
                )
            setattr(
                locked, field, value.strip() if field in {"source_url", "external_id"} else value
            )
        if status is not None and status != locked.status:
            locked.status = status
            if status == ArticleStatus.PUBLISHED:
                locked.published_at = timezone.now()
        changed = _save(
            article=locked,
            service_types=list(service_types) if service_types is not None else None,
            before=before,
            actor=actor,
            note=note,
        )
    _refresh(article, locked)
    return changed


def article_transition(
    *, article: Article, to_status: ArticleStatus, actor: Actor, note: str = ""
) -> Article:
    """Move an article through the workflow, or raise `WorkflowError`/`NotAllowed` and write
    nothing. Publishing stamps `published_at`."""
    to_status = ArticleStatus(to_status)
    with transaction.atomic():
        locked = (
            Article.objects.select_for_update(of=("self",))
            .select_related("topic", "department")
            .get(pk=article.pk)
        )
        check_transition(current=ArticleStatus(locked.status), target=to_status, actor=actor)
        if to_status == ArticleStatus.PUBLISHED:
            _check_publishable(locked)
            locked.published_at = timezone.now()
        before = article_snapshot(locked)
        locked.status = to_status
        _save(article=locked, service_types=None, before=before, actor=actor, note=note)
    _refresh(article, locked)
    return article


def _check_publishable(article: Article) -> None:
    original = article.translation_of
    if original is not None and original.status != ArticleStatus.PUBLISHED:
        raise WorkflowError(_("Publish the original article before its translation."))


def _refresh(target: Article, source: Article) -> None:
    """Give the caller's instance the saved values (it may be shown or used again)."""
    for field in target._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    for cached in ("topic", "department", "translation_of"):
        if cached in source._state.fields_cache:
            target._state.fields_cache[cached] = source._state.fields_cache[cached]
        else:
            target._state.fields_cache.pop(cached, None)
    getattr(target, "_prefetched_objects_cache", {}).pop("service_types", None)
