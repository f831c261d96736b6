"""Site search over published articles and public service types, in English and Spanish.

    from civicdesk.knowledge.search import search
    hits = search("when is trash picked up", language="en", limit=5)

See `engine` for the index's life, `analysis` for how text becomes terms, `query` for
synonyms, typos and word forms, and `ranking` for the score.
"""

from civicdesk.knowledge.search.documents import ARTICLE, KINDS, SERVICE, SearchDocument
from civicdesk.knowledge.search.engine import SearchHit, search, search_index_clear

__all__ = [
    "ARTICLE",
    "KINDS",
    "SERVICE",
    "SearchDocument",
    "SearchHit",
    "search",
    "search_index_clear",
]
