""" "Describe the problem": service types suggested from the resident's own words.

A plain GET form on the report page (`/suggest/?description=`) that works without JavaScript:
the result page lists the classifier's suggestions, each linking to that service's report with
the description carried over, and beside them the catalog's own word matches. With JavaScript,
htmx asks the same address as the resident types and puts the list in a live region under the
box. When the classifier cannot tell (too little text, nonsense, not sure enough, no model), the
page shows only the catalog's matches and the full list instead of a guess.
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from civicdesk.assistant.emergency import detect
from civicdesk.catalog.translation import active_language
from civicdesk.portal.selectors import service_type_search
from civicdesk.routing.classifier import MAX_TEXT_CHARS
from civicdesk.routing.suggestions import service_suggestions

SEARCH_CHARS = 200
SEARCH_RESULTS = 6


def _description(request: HttpRequest) -> str:
    # Read whole (up to what the classifier reads): a text too long to classify is a triage,
    # not the classification of its first part.
    return request.GET.get("description", "")[: MAX_TEXT_CHARS + 1].strip()


def _report_url(code: str, description: str) -> str:
    carried = description[: settings.CIVICDESK_MAX_DESCRIPTION_LENGTH]
    query = urlencode({"description": carried})
    return reverse("portal:report-service", args=[code]) + "?" + query


@require_safe
def suggest(request: HttpRequest) -> HttpResponse:
    """Suggested service types for a description: the page, or with htmx the list alone."""
    description = _description(request)
    context: dict[str, Any] = {"nav": "report", "description": description}
    if description:
        found = service_suggestions(description, language=active_language())
        context["emergency"] = detect(description, get_language()).category or ""
        options = found.options if found.best is not None else []
        suggested = {option.code for option in options}
        context["suggestions"] = [
            {"code": option.code, "name": option.name, "url": _report_url(option.code, description)}
            for option in options
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
