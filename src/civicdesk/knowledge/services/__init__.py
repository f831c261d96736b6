"""Writes to the knowledge base. Every change to an article goes through these functions."""

from civicdesk.knowledge.services.articles import (
    EDITABLE_FIELDS,
    NotAllowed,
    WorkflowError,
    article_create,
    article_transition,
    article_translate,
    article_update,
)
from civicdesk.knowledge.services.imports import (
    ArticleImportError,
    ImportReport,
    RowProblem,
    article_import,
)

__all__ = [
    "EDITABLE_FIELDS",
    "ArticleImportError",
    "ImportReport",
    "NotAllowed",
    "RowProblem",
    "WorkflowError",
    "article_create",
    "article_import",
    "article_transition",
    "article_translate",
    "article_update",
]
