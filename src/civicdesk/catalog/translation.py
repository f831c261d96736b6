"""Translated catalog text: which fields have translations, and picking the reader's language.

Each translated field `name` has a column per extra language, `name_es`, left blank when there
is no translation. English (`settings.LANGUAGE_CODE`) is the base text in the plain column and
the fallback for any blank translation, so a half-translated catalog still reads whole.
"""

from typing import Any

from django.conf import settings
from django.utils.translation import get_language

# Languages besides the base language that catalog rows carry columns for.
TRANSLATION_LANGUAGES = ("es",)

DEPARTMENT_TRANSLATED = ("name", "description", "hours")
# The fields of each catalog row that have a column per language in TRANSLATION_LANGUAGES.
SERVICE_TYPE_TRANSLATED = ("name", "description", "group", "keywords", "required_documents")
# Translated fields that hold a list of texts rather than one text.
LIST_TRANSLATED = frozenset({"keywords", "required_documents"})
ATTRIBUTE_TRANSLATED = ("description", "datatype_description")
VALUE_TRANSLATED = ("name",)


def active_language() -> str:
    """The active language's base code (`es` for `es-mx`), or the site's default."""
    language = get_language() or settings.LANGUAGE_CODE
    return language.split("-")[0].lower()


def translated_field(field: str, language: str) -> str:
    """The column holding `field` in `language`: `name_es`, or `name` for the base language."""
    return f"{field}_{language}" if language in TRANSLATION_LANGUAGES else field


def translated(instance: Any, field: str, language: str | None = None) -> Any:
    """`instance.field` in the given (default: active) language, falling back to the base text."""
    language = language or active_language()
    if language in TRANSLATION_LANGUAGES:
        value = getattr(instance, f"{field}_{language}", None)
        if value:
            return value
    return getattr(instance, field)
