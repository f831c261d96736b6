"""/knowledge: the public site search over answers and services, for apps and other sites.

Needs no credentials. Calls are counted per client and minute
(`CIVICDESK_SEARCH_API_LIMIT_PER_MINUTE`, default 120); over the limit the answer is a `429`.
Every answered call is logged for the editors' "searched with no answer" list.
"""

from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from civicdesk.api.errors import ApiError, responses
from civicdesk.core.ratelimit import client_over_minute_limit
from civicdesk.knowledge.search import KINDS, search
from civicdesk.knowledge.search.engine import MAX_LIMIT
from civicdesk.knowledge.search.query import MAX_QUERY_CHARS
from civicdesk.knowledge.search.services import search_query_log

router = Router(tags=["knowledge"])

_LIMIT_SCOPE = "api:knowledge-search:v1"


class SearchFilters(Schema):
    q: str = Field(
        "",
        description=(
            f"What the resident typed, in their words; only the first {MAX_QUERY_CHARS} "
            "characters are read. Empty finds nothing."
        ),
    )
    lang: Literal["en", "es"] = Field("en", description="The language of the query and results.")
    limit: int = Field(10, ge=1, le=MAX_LIMIT, description="At most this many results.")
    kind: Literal["article", "service"] | None = Field(
        None, description="Only answers (`article`) or only services to report (`service`)."
    )


class SearchHitOut(Schema):
    """One result. `external_id` is an article's id in the system it came from (blank when it
    was written here) or a service's code; `score` runs from 0 to 1, about 0.5 and above
    being a confident match."""

    kind: Literal["article", "service"]
    external_id: str
    title: str
    url: str
    score: float
    summary: str
    language: str


class SearchOut(Schema):
    query: str
    language: str
    results: list[SearchHitOut]


def _rate_check(request: HttpRequest) -> None:
    allowed = int(getattr(settings, "CIVICDESK_SEARCH_API_LIMIT_PER_MINUTE", 120))
    if client_over_minute_limit(request, scope=_LIMIT_SCOPE, allowed=allowed):
        raise ApiError(429, f"Too many searches: at most {allowed} a minute. Try again shortly.")


@router.get(
    "/search",
    auth=None,
    response={200: SearchOut, **responses(400, 429)},
    summary="Search answers and services",
)
def knowledge_search(request: HttpRequest, filters: Query[SearchFilters]) -> dict[str, Any]:
    """Published articles and public services for what a resident typed, best first, in
    English or Spanish: word forms, synonyms and small typos are matched. The same query
    gives the same results on every database. No credentials needed."""
    _rate_check(request)
    kinds = (filters.kind,) if filters.kind else KINDS
    hits = search(filters.q, language=filters.lang, limit=filters.limit, kinds=kinds)
    if filters.q.strip():
        search_query_log(query=filters.q, language=filters.lang, results_count=len(hits))
    return {
        "query": filters.q[:MAX_QUERY_CHARS],
        "language": filters.lang,
        "results": [
            {
                "kind": hit.kind,
                "external_id": hit.external_id,
                "title": hit.title,
                "url": request.build_absolute_uri(hit.url),
                "score": hit.score,
                "summary": hit.summary,
                "language": hit.language,
            }
            for hit in hits
        ],
    }
