"""The portal's search: a results page (`/search/?q=`) and the typeahead's suggestions.

The page is a plain GET form and works without JavaScript. With JavaScript, htmx asks
`/search/suggest/?q=` as the resident types and puts the answer in a live region under the
box; suggestions are not logged, searches from the page are.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from civicdesk.catalog.translation import active_language
from civicdesk.knowledge.search.documents import ARTICLE, SERVICE
from civicdesk.knowledge.search.engine import search
from civicdesk.knowledge.search.query import MAX_QUERY_CHARS
from civicdesk.knowledge.search.services import search_query_log

PAGE_RESULTS = 20
SUGGESTIONS = 6
SHOWN_QUERY = 200


def _query(request: HttpRequest) -> str:
    return " ".join(request.GET.get("q", "")[:MAX_QUERY_CHARS].split())


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """Answers and services for what the resident typed, answers first."""
    query = _query(request)
    language = active_language()
    hits = search(query, language=language, limit=PAGE_RESULTS) if query else []
    if query:
        search_query_log(query=query, language=language, results_count=len(hits))
    return render(
        request,
        "portal/search/page.html",
        {
            "nav": "search",
            "query": query,
            "shown_query": query[:SHOWN_QUERY],
            "articles": [hit for hit in hits if hit.kind == ARTICLE],
            "services": [hit for hit in hits if hit.kind == SERVICE],
            "count": len(hits),
        },
    )


@require_safe
def search_suggest(request: HttpRequest) -> HttpResponse:
    """The typeahead's list for a partly typed query (an HTML fragment)."""
    query = _query(request)
    hits = search(query, language=active_language(), limit=SUGGESTIONS, partial=True)
    response = render(
        request,
        "portal/search/suggestions.html",
        {"query": query, "hits": hits},
    )
    response["Cache-Control"] = "no-store"
    return response
