"""Writes of site search: the log of what residents searched for."""

from civicdesk.knowledge.models import SearchQueryLog
from civicdesk.knowledge.search.analysis import clean, language_of

MAX_LOGGED_QUERY = 500


def search_query_log(*, query: str, language: str, results_count: int) -> SearchQueryLog | None:
    """Record one search (page or API, not typeahead keystrokes) for the editors' dashboard.

    The query is kept as typed, less control characters and tags, whitespace collapsed, and
    cut to 500 characters; a query with nothing left is not recorded.
    """
    text = " ".join(clean(query).split())[:MAX_LOGGED_QUERY]
    if not text:
        return None
    return SearchQueryLog.objects.create(
        query=text, language=language_of(language), results_count=max(0, results_count)
    )
