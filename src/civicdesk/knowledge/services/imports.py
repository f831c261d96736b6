"""Importing articles from a CSV or JSON file, idempotent by `external_id`.

Every row is checked before anything is written. With broken rows the import writes nothing
and reports each by line, unless `partial` is set, in which case the good rows are imported and
the broken ones reported. A row whose article exists (same `external_id`) updates it, and a
revision is recorded only when something changed; columns the file does not have are left as
they are. Translations (`translation_of`: the original's external id) are written after the
originals, so a file may hold both in any order; a new translation takes its original's topic,
owner, services, source, review date and quick-link flag unless its row gives them.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify

from civicdesk.catalog.models import Department, ServiceType
from civicdesk.knowledge.choices import ArticleLanguage, ArticleStatus
from civicdesk.knowledge.importfile import EXTRA_CELLS, NOT_AN_OBJECT, ImportFile
from civicdesk.knowledge.models import SUMMARY_MAX_LENGTH, Article, Topic
from civicdesk.knowledge.rendering import summary_from_text
from civicdesk.knowledge.services.articles import (
    MAX_BODY_LENGTH,
    MAX_QUESTION_LENGTH,
    article_create,
    article_update,
)

__all__ = ["ArticleImportError", "ImportReport", "RowProblem", "article_import"]

_MAX_EXTERNAL_ID = 200
_MAX_TITLE = 300
_MAX_SOURCE_URL = 500
_TRUE = {"1", "true", "yes", "y", "x", "on"}
_FALSE = {"", "0", "false", "no", "n", "off"}
_LIST_SPLIT = re.compile(r"\s*(?:\||\n)\s*")
_CODE_SPLIT = re.compile(r"[\s,;|]+")
# Which file columns each article field comes from: a field is updated only when the file has
# one of them, so a file without (say) a department column leaves owners as they are.
_SOURCES = {
    "title": ("title", "question"),
    "questions": ("questions",),
    "summary": ("summary", "body"),
    "body": ("body",),
    "source_url": ("source_url",),
    "source_name": ("source_name",),
    "department": ("department",),
    "service_types": ("service_types",),
    "topic": ("topic",),
    "review_by": ("review_by",),
    "slug": ("slug",),
    "quick_link": ("quick_link",),
}


# What a new translation takes from its original when its row does not say.
_INHERITED = (
    "topic",
    "department",
    "service_types",
    "source_url",
    "source_name",
    "review_by",
    "quick_link",
)


@dataclass(frozen=True)
class RowProblem:
    line: int
    messages: tuple[str, ...]

    def __str__(self) -> str:
        return f"line {self.line}: {'; '.join(self.messages)}"


class ArticleImportError(Exception):
    """Rows that cannot be imported; with it, nothing was written."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        super().__init__(f"{len(problems)} row(s) cannot be imported")
        self.problems = list(problems)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    topics_created: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.problems)

    def lines(self) -> list[str]:
        result = [
            f"articles: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped"
        ]
        if self.topics_created:
            result.append(f"topics: {self.topics_created} created")
        if self.ignored_columns:
            result.append(f"ignored columns: {', '.join(self.ignored_columns)}")
        result.extend(f"skipped {problem}" for problem in self.problems)
        return result

    def __str__(self) -> str:
        return "; ".join(self.lines())


@dataclass
class _Spec:
    """A checked row: the values to write, and which columns the file gave."""

    line: int
    external_id: str
    values: dict[str, Any]
    present: set[str]
    language: str
    status: ArticleStatus | None
    translation_of: str


@dataclass
class _Lookups:
    departments: dict[str, Department]
    service_types: dict[str, ServiceType]
    topics: dict[str, Topic]
    existing: dict[str, Article]
    new_topics: dict[str, str] = field(default_factory=dict)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()  # YAML reads 2027-06-30 as a date
    if not isinstance(value, str):
        raise ValueError("must be text")
    return value.strip()


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [_text(item) for item in value if _text(item)]
    return [part for part in _LIST_SPLIT.split(_text(value)) if part]


def _codes(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [_text(item) for item in value if _text(item)]
    return [part for part in _CODE_SPLIT.split(_text(value)) if part]


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("must be true or false")


def _language(value: Any) -> str:
    text = _text(value).lower().replace("_", "-").split("-")[0] or ArticleLanguage.EN
    if text not in ArticleLanguage.values:
        raise ValueError(f"must be one of {', '.join(ArticleLanguage.values)}")
    return text


def _topic_key(value: str) -> str:
    return slugify(value)[:100]


def _check_row(values: dict[str, Any], *, lookups: _Lookups) -> tuple[_Spec | None, list[str]]:
    problems: list[str] = []

    def read(column: str, convert: Any = _text, default: Any = "") -> Any:
        if column not in values:
            return default
        try:
            return convert(values[column])
        except ValueError as error:
            problems.append(f"{column} {error}")
            return default

    if NOT_AN_OBJECT in values:
        return None, ["not an object with named fields"]
    if values.get(EXTRA_CELLS):
        problems.append(f"{values[EXTRA_CELLS]} more cell(s) than the header has columns")
    for column, value in values.items():
        if isinstance(value, str) and "\x00" in value:
            problems.append(f"{column} contains a NUL character")

    external_id = read("external_id")
    if not external_id:
        problems.append("external_id is missing")
    elif len(external_id) > _MAX_EXTERNAL_ID:
        problems.append(f"external_id is longer than {_MAX_EXTERNAL_ID} characters")

    title = read("title")
    question = read("question")
    questions = read("questions", _list, [])
    if title and question:
        questions = [question, *questions]
    title = title or question
    if not title:
        problems.append("title (or question) is missing")
    elif len(title) > _MAX_TITLE:
        problems.append(f"title is longer than {_MAX_TITLE} characters")
    if any(len(q) > MAX_QUESTION_LENGTH for q in questions):
        problems.append(f"a question is longer than {MAX_QUESTION_LENGTH} characters")

    body = read("body")
    summary = read("summary")
    if not body and not summary:
        problems.append("body (or answer) is missing")
    if len(body) > MAX_BODY_LENGTH:
        problems.append(f"body is longer than {MAX_BODY_LENGTH:,} characters")
    if len(summary) > SUMMARY_MAX_LENGTH:
        problems.append(f"summary is longer than {SUMMARY_MAX_LENGTH} characters")

    language = read("language", _language, ArticleLanguage.EN)
    status_text = read("status").lower()
    status: ArticleStatus | None = None
    if status_text:
        if status_text.replace(" ", "_") in ArticleStatus.values:
            status = ArticleStatus(status_text.replace(" ", "_"))
        else:
            problems.append(f"status must be one of {', '.join(ArticleStatus.values)}")

    source_url = read("source_url")
    if source_url:
        if len(source_url) > _MAX_SOURCE_URL:
            problems.append(f"source_url is longer than {_MAX_SOURCE_URL} characters")
        else:
            try:
                URLValidator(schemes=["http", "https"])(source_url)
            except ValidationError:
                problems.append(f"source_url is not an http(s) address: {source_url!r}")

    department_code = read("department")
    department = lookups.departments.get(department_code) if department_code else None
    if department_code and department is None:
        problems.append(f"department {department_code!r} is not in the catalog")

    service_codes = read("service_types", _codes, [])
    unknown = [code for code in service_codes if code not in lookups.service_types]
    if unknown:
        problems.append(f"service types not in the catalog: {', '.join(unknown)}")

    topic_name = read("topic")
    topic_key = _topic_key(topic_name) if topic_name else ""
    if topic_name and not topic_key:
        problems.append(f"topic {topic_name!r} has no letters or digits")

    review_by = read("review_by")
    review_date: date | None = None
    if review_by:
        try:
            review_date = date.fromisoformat(review_by)
        except ValueError:
            problems.append(f"review_by must be a date like 2026-06-30, not {review_by!r}")

    slug = read("slug")
    if slug and slugify(slug) != slug:
        problems.append(f"slug {slug!r} must be lower-case letters, digits and hyphens")

    quick_link = read("quick_link", _bool, False)
    translation_of = read("translation_of")
    if problems:
        return None, problems

    summary = summary or summary_from_text(body, limit=SUMMARY_MAX_LENGTH)
    spec_values: dict[str, Any] = {
        "title": title,
        "questions": questions,
        "summary": summary,
        "body": body,
        "source_url": source_url,
        "source_name": read("source_name"),
        "department": department,
        "service_types": [lookups.service_types[code] for code in service_codes],
        "topic": topic_key,
        "review_by": review_date,
        "slug": slug,
        "quick_link": quick_link,
    }
    present = {name for name, columns in _SOURCES.items() if any(c in values for c in columns)}
    if "title" in values and "question" in values:
        present.add("questions")
    if topic_name and topic_key not in lookups.topics:
        lookups.new_topics.setdefault(topic_key, topic_name)
    return (
        _Spec(
            line=0,
            external_id=external_id,
            values=spec_values,
            present=present,
            language=language,
            status=status,
            translation_of=translation_of,
        ),
        [],
    )


def _lookups(external_ids: Iterable[str]) -> _Lookups:
    ids = [i for i in set(external_ids) if i]
    existing: dict[str, Article] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for article in Article.objects.filter(external_id__in=chunk).select_related(
            "translation_of"
        ):
            existing[article.external_id] = article
    topics: dict[str, Topic] = {}
    for topic in Topic.objects.all():
        topics[topic.slug] = topic
        topics.setdefault(_topic_key(topic.name), topic)
    return _Lookups(
        departments={d.code: d for d in Department.objects.all()},
        service_types={s.code: s for s in ServiceType.objects.all()},
        topics=topics,
        existing=existing,
    )


def _check_translations(specs: dict[str, _Spec], lookups: _Lookups) -> dict[int, list[str]]:
    problems: dict[int, list[str]] = {}
    for spec in specs.values():
        existing = lookups.existing.get(spec.external_id)
        if existing is not None and existing.language != spec.language:
            problems.setdefault(spec.line, []).append(
                f"the article is in {existing.language!r}; its language cannot change"
            )
        if not spec.translation_of:
            continue
        original_spec = specs.get(spec.translation_of)
        original = lookups.existing.get(spec.translation_of)
        if original_spec is None and original is None:
            problems.setdefault(spec.line, []).append(
                f"translation_of {spec.translation_of!r} is neither in the file nor imported"
            )
            continue
        if spec.translation_of == spec.external_id:
            problems.setdefault(spec.line, []).append("an article cannot translate itself")
            continue
        original_language = original_spec.language if original_spec else original.language  # type: ignore[union-attr]
        is_translation = (
            bool(original_spec.translation_of)
            if original_spec
            else original.translation_of_id is not None  # type: ignore[union-attr]
        )
        if original_language == spec.language:
            problems.setdefault(spec.line, []).append(
                "a translation must be in another language than its original"
            )
        if is_translation:
            problems.setdefault(spec.line, []).append(
                f"translation_of {spec.translation_of!r} is itself a translation"
            )
    return problems


def article_import(
    *,
    file: ImportFile,
    partial: bool = False,
    default_status: ArticleStatus = ArticleStatus.PUBLISHED,
    source_label: str = "",
) -> ImportReport:
    """Create or update the articles of an import file; see the module's docstring.

    Raises `ArticleImportError` (nothing written) when a row is broken and `partial` is off.
    New articles get `default_status` unless their row has a `status`.
    """
    report = ImportReport(ignored_columns=list(file.ignored_columns))
    lookups = _lookups(_text_or_blank(row.values.get("external_id")) for row in file.rows)
    problems: dict[int, list[str]] = {}
    specs: dict[str, _Spec] = {}
    first_line: dict[str, int] = {}
    for row in file.rows:
        spec, row_problems = _check_row(row.values, lookups=lookups)
        if spec is not None and spec.external_id in first_line:
            row_problems = [
                f"external_id {spec.external_id!r} was already used on line "
                f"{first_line[spec.external_id]}"
            ]
            spec = None
        if spec is None:
            problems[row.line] = row_problems
            continue
        spec.line = row.line
        first_line[spec.external_id] = row.line
        specs[spec.external_id] = spec
    for line, messages in _check_translations(specs, lookups).items():
        problems.setdefault(line, []).extend(messages)
    broken_ids = {spec.external_id for spec in specs.values() if spec.line in problems}
    # A translation of a broken row cannot be written either.
    for spec in specs.values():
        if spec.translation_of in broken_ids and spec.line not in problems:
            problems[spec.line] = [f"its original {spec.translation_of!r} cannot be imported"]
    report.problems = [RowProblem(line, tuple(problems[line])) for line in sorted(problems)]
    if report.problems and not partial:
        raise ArticleImportError(report.problems)

    good = [spec for spec in specs.values() if spec.line not in problems]
    note = f"Imported from {source_label}" if source_label else "Imported"
    failures: list[RowProblem] = []
    with transaction.atomic():
        _topics_create(lookups, report)
        written: dict[str, Article] = dict(lookups.existing)
        ordered = sorted(good, key=lambda spec: (bool(spec.translation_of), spec.line))
        for spec in ordered:
            try:
                with transaction.atomic():
                    outcome, article = _write(
                        spec,
                        lookups=lookups,
                        written=written,
                        default_status=default_status,
                        note=note,
                    )
            except ValidationError as error:
                failures.append(RowProblem(spec.line, tuple(_messages(error))))
                if not partial:
                    raise ArticleImportError(sorted(failures, key=lambda p: p.line)) from error
                continue
            written[spec.external_id] = article
            setattr(report, outcome, getattr(report, outcome) + 1)
    report.problems = sorted([*report.problems, *failures], key=lambda p: p.line)
    return report


def _text_or_blank(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{name}: {'; '.join(messages)}" for name, messages in error.message_dict.items()]
    return list(error.messages)


def _topics_create(lookups: _Lookups, report: ImportReport) -> None:
    order = max((topic.order for topic in lookups.topics.values()), default=0)
    for key, name in lookups.new_topics.items():
        order += 10
        topic, created = Topic.objects.get_or_create(
            slug=key, defaults={"name": name, "order": order}
        )
        lookups.topics[key] = topic
        report.topics_created += int(created)


def _write(
    spec: _Spec,
    *,
    lookups: _Lookups,
    written: dict[str, Article],
    default_status: ArticleStatus,
    note: str,
) -> tuple[str, Article]:
    values = dict(spec.values)
    values["topic"] = lookups.topics[values["topic"]] if values["topic"] else None
    existing = lookups.existing.get(spec.external_id)
    if existing is None:
        original = written[spec.translation_of] if spec.translation_of else None
        if original is not None:
            # A new translation takes what its row leaves out from its original.
            for name in _INHERITED:
                if name not in spec.present:
                    values[name] = (
                        list(original.service_types.all())
                        if name == "service_types"
                        else getattr(original, name)
                    )
        article = article_create(
            actor=None,
            external_id=spec.external_id,
            language=spec.language,
            translation_of=original,
            status=spec.status or default_status,
            note=note,
            **values,
        )
        return "created", article
    original_id = written[spec.translation_of].pk if spec.translation_of else None
    if existing.translation_of_id != original_id:
        raise ValidationError(
            {"translation_of": "an imported article cannot become or stop being a translation"}
        )
    changes = {name: value for name, value in values.items() if name in spec.present}
    if not changes.get("slug"):
        changes.pop("slug", None)
    changed = article_update(
        article=existing, actor=None, changes=changes, status=spec.status, note=note
    )
    return ("updated" if changed else "unchanged"), existing
