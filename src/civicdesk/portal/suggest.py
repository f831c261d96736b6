""" "Describe the problem": service types suggested from the resident's own words.

A plain GET form on the report page (`/suggest/?description=`) that works without JavaScript:
the result page lists the suggestions, each linking to that service's report with the
description carried over, and beside them the catalog's own word matches. A service the words
name outright (site search agrees on one) comes first, as in the assistant; then the
classifier's suggestions. With JavaScript, htmx asks the same address as the resident types and
puts the list in a live region under the box. When neither can tell (too little text, nonsense,
no service named and the classifier not sure enough or absent), the page shows only the
catalog's matches and the full list instead of a guess.
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from civicdesk.assistant.dialogue import service_named
from civicdesk.assistant.emergency import detect
from civicdesk.catalog.cache import service_type_active_get
from civicdesk.catalog.translation import active_language
from civicdesk.portal.selectors import service_type_search
from civicdesk.routing.choices import TriageReason
from civicdesk.routing.classifier import MAX_TEXT_CHARS
from civicdesk.routing.suggestions import service_suggestions

SEARCH_CHARS = 200
# Text that is not a description at all is never matched to a service, by search or otherwise.
UNREADABLE_REASONS = frozenset({TriageReason.EMPTY, TriageReason.UNREADABLE, TriageReason.TOO_LONG})
SEARCH_RESULTS = 6


def _description(request: HttpRequest) -> str:
    # Read whole (up to what the classifier reads): a text too long to classify is a triage,
    # not the classification of its first part.
    return request.GET.get("description", "")[: MAX_TEXT_CHARS + 1].strip()


def _report_url(code: str, description: str) -> str:
    carried = description[: settings.CIVICDESK_MAX_DESCRIPTION_LENGTH]
    query = urlencode({"description": carried})
    return reverse("portal:report-service", args=[code]) + "?" + query


def _named_service(text: str, language: str) -> tuple[str, str] | None:
    code = service_named(text, language)
    service = service_type_active_get(code) if code else None
    if service is None or not service.is_public:
        return None
    return service.code, service.display_name


@require_safe
def suggest(request: HttpRequest) -> HttpResponse:
    """Suggested service types for a description: the page, or with htmx the list alone."""
    description = _description(request)
    context: dict[str, Any] = {"nav": "report", "description": description}
    if description:
        language = active_language()
        found = service_suggestions(description, language=language)
        context["emergency"] = detect(description, get_language()).category or ""
        options = [(option.code, option.name) for option in found.options if found.best]
        named = (
            None
            if found.reason in UNREADABLE_REASONS
            else _named_service(description[:SEARCH_CHARS], language)
        )
        if named is not None:
            options = [named, *(option for option in options if option[0] != named[0])]
        suggested = {code for code, _name in options}
        context["suggestions"] = [
            {"code": code, "name": name, "url": _report_url(code, description)}
            for code, name in options
        ]
        # The catalog's own word match, beside a suggestion too: a model trained on a few
        # service types cannot suggest the others, and the resident's words may name them.
        context["matches"] = [
            {
                "code": match.service_type.code,
                "name": match.service_type.display_name,
                "url": _report_url(match.service_type.code, description),
            }
            for match in service_type_search(description[:SEARCH_CHARS], limit=SEARCH_RESULTS)
            if match.service_type.code not in suggested
        ][: SEARCH_RESULTS - len(suggested)]
    partial = request.headers.get("HX-Request") == "true"
    template = "portal/suggest_results.html" if partial else "portal/suggest.html"
    response = render(request, template, context)
    if partial:
        response["Cache-Control"] = "no-store"
    return response
