"""The portal's answer pages: one article in the reader's language, and the topic index.

A reader gets the article in their language when it has a published translation, and the
English original otherwise, with a note saying so. A link with `?lang=es` (what chat and text
messages send) switches the site to that language, as the language button does, and comes back
to the plain address, so the page has one address and the language switch keeps working.
"""

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from civicdesk.catalog.translation import active_language
from civicdesk.knowledge.rendering import markdown_render
from civicdesk.knowledge.selectors import (
    article_for_reader,
    article_translations_published,
    articles_by_topic,
)
from civicdesk.portal.account.session import language_apply

_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render with times shown in the jurisdiction's zone, not the server's UTC."""
    with timezone.override(ZoneInfo(settings.CIVICDESK_JURISDICTION_TIMEZONE)):
        return render(request, template, context)


def _language_link(request: HttpRequest) -> HttpResponse | None:
    """For `?lang=xx`: switch the site to that language and come back without the parameter."""
    requested = request.GET.get("lang")
    if requested is None:
        return None
    response = HttpResponseRedirect(request.path)
    if requested in _LANGUAGES:
        language_apply(response, requested)
    return response


@require_safe
def answer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    switched = _language_link(request)
    if switched is not None:
        return switched
    language = active_language()
    found = article_for_reader(slug=slug, language=language)
    if found is None:
        raise Http404("No such answer.")
    if found.elsewhere:
        return HttpResponseRedirect(reverse("portal:answer", args=[found.article.slug]))
    article = found.article
    return _render(
        request,
        "portal/answers/article.html",
        {
            "nav": "answers",
            "article": article,
            "fallback": found.fallback,
            "body_html": markdown_render(article.body),
            "other_languages": article_translations_published(article),
            "service_types": [
                s for s in article.service_types.all() if s.is_active and s.is_public
            ],
            "department": article.department
            if article.department and article.department.is_active
            else None,
        },
    )


@require_safe
def answer_index(request: HttpRequest) -> HttpResponse:
    language = active_language()
    return _render(
        request,
        "portal/answers/index.html",
        {"nav": "answers", "groups": articles_by_topic(language=language), "language": language},
    )
