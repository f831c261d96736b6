"""`civicdesk kb …`: import articles, list stale ones, check links, evaluate search."""

from importlib import import_module
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicdesk.catalog.models import Department
from civicdesk.catalog.selectors import department_get_by_code
from civicdesk.knowledge.choices import ArticleStatus
from civicdesk.knowledge.importfile import ImportFileError, import_file_read
from civicdesk.knowledge.models import Article
from civicdesk.knowledge.selectors import (
    articles_stale,
    articles_stale_by_department,
    links_failing,
)
from civicdesk.knowledge.services import ArticleImportError, article_import
from civicdesk.knowledge.services.links import links_check


class Command(BaseCommand):
    help = (
        "Manage the knowledge base: import articles, list stale ones, check links, evaluate search."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)

        importing = actions.add_parser(
            "import",
            help="Create or update articles from a CSV, TSV or JSON file (optionally .gz), "
            "matched by external_id.",
        )
        importing.add_argument("file", type=Path)
        importing.add_argument(
            "--partial",
            action="store_true",
            help="import the good rows even when some are broken (they are listed by line)",
        )
        importing.add_argument(
            "--status",
            choices=ArticleStatus.values,
            default=ArticleStatus.PUBLISHED,
            help="status of new articles whose row has none (default: published)",
        )

        stale = actions.add_parser(
            "stale", help="List published and in-review articles past their review date, by owner."
        )
        stale.add_argument("--department", metavar="CODE", help="only this department's")

        checking = actions.add_parser(
            "check-links", help="Check the external links of every live article now."
        )
        checking.add_argument("--timeout", type=float, default=10.0, help="seconds per address")
        checking.add_argument(
            "--article",
            type=int,
            action="append",
            metavar="ID",
            help="only this article (repeatable)",
        )

        evaluating = actions.add_parser(
            "evaluate",
            help="Measure search on a CSV of (query, expected external_id): top-1 accuracy, "
            "recall@5, MRR@10.",
        )
        evaluating.add_argument("--queries", type=Path, required=True, metavar="FILE")
        evaluating.add_argument("--limit", type=int, help="use only the first N queries")
        evaluating.add_argument(
            "--baseline", action="store_true", help="also rank with plain BM25, in the same run"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import":
            self._import(options["file"], partial=options["partial"], status=options["status"])
        elif action == "stale":
            self._stale(options["department"])
        elif action == "check-links":
            self._check_links(timeout=options["timeout"], article_ids=options["article"])
        elif action == "evaluate":
            self._evaluate(options["queries"], limit=options["limit"], baseline=options["baseline"])

    def _import(self, path: Path, *, partial: bool, status: str) -> None:
        try:
            file = import_file_read(path)
        except ImportFileError as error:
            raise CommandError(f"{path}: {error}; nothing was imported.") from error
        try:
            report = article_import(
                file=file,
                partial=partial,
                default_status=ArticleStatus(status),
                source_label=path.name,
            )
        except ArticleImportError as error:
            for problem in error.problems:
                self.stderr.write(f"{path}: {problem}")
            hint = "" if partial else " (--partial imports the other rows)"
            raise CommandError(
                f"{path}: {len(error.problems)} row(s) cannot be imported; "
                f"nothing was imported{hint}."
            ) from error
        self.stdout.write(f"Imported {path}:")
        for line in report.lines():
            self.stdout.write(f"  {line}")

    def _stale(self, department_code: str | None) -> None:
        if department_code:
            department = department_get_by_code(department_code)
            if department is None:
                raise CommandError(f"No department with the code {department_code!r}.")
            grouped: dict[Department | None, list[Article]] = {
                department: list(articles_stale(department=department))
            }
        else:
            grouped = articles_stale_by_department()
        total = sum(len(articles) for articles in grouped.values())
        if not total:
            self.stdout.write("No article is past its review date.")
            return
        for owner, articles in grouped.items():
            if not articles:
                continue
            name = f"{owner.name} ({owner.code})" if owner is not None else "No owner"
            self.stdout.write(f"{name}: {len(articles)}")
            for article in articles:
                self.stdout.write(
                    f"  {article.review_by}  {article.language}  {article.title}  "
                    f"[{article.get_status_display()}, id {article.pk}]"
                )

    def _check_links(self, *, timeout: float, article_ids: list[int] | None) -> None:
        summary = links_check(article_ids=article_ids, timeout=timeout)
        self.stdout.write(str(summary))
        for link in links_failing():
            if article_ids and link.article_id not in article_ids:
                continue
            what = (
                f"moved to {link.final_url}"
                if link.ok
                else f"broken: {link.error or link.status_code}"
            )
            self.stdout.write(f"  {link.article.title} (id {link.article_id}): {link.url} {what}")

    def _evaluate(self, queries: Path, *, limit: int | None, baseline: bool) -> None:
        try:
            evaluation = import_module("civicdesk.knowledge.evaluation")
        except ModuleNotFoundError as error:
            if error.name != "civicdesk.knowledge.evaluation":
                raise
            raise CommandError("Search evaluation is not installed in this version.") from error
        file_error = getattr(evaluation, "QueriesFileError", ())
        try:
            evaluation.evaluate_command(queries, self.stdout, limit=limit, baseline=baseline)
        except file_error as error:
            raise CommandError(str(error)) from error
