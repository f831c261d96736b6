"""Site search: one index per language per process, rebuilt when the knowledge base or the
catalog changes, and the `search` function everything else calls.

Ranking runs in Python over an in-memory index (`index`, `ranking`), not in SQL, so SQLite
and PostgreSQL give the same results to the last decimal. Building the index reads every
published article and public service once; afterwards a search costs one query (the staff's
synonyms) plus, every CIVICDESK_SEARCH_CHECK_SECONDS, one to see whether the `knowledge` or
`catalog` revision moved. Article writes bump `knowledge` and catalog writes bump `catalog`
inside their transactions, so a published, changed or archived article is found (or no longer
found) by every process within that time; inside a transaction the revision is read on every
search, so a process sees its own uncommitted writes.

With the `civicdesk[semantic]` extra (`semantic`), English searches are re-ranked by meaning
too: the lexical ranking's candidates and the nearest documents by sentence embedding, scored
together (`embeddings`). The semantic index is built beside the lexical one and dropped with
it. Loading the model and embedding a knowledge base the embedding cache has not seen take
seconds to minutes, longer than a request may wait, so that first build runs in a background
thread and searches stay lexical until it is done; a later rebuild that embeds only a few new
texts runs inline. `search_semantic_warm` builds at once, for benchmarks and tests.
"""

import functools
import logging
import math
import threading
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection

from civicdesk.core.revisions import CATALOG, revisions_get
from civicdesk.knowledge.models import KNOWLEDGE_REVISION
from civicdesk.knowledge.search.analysis import analyzer_for, language_of
from civicdesk.knowledge.search.documents import KINDS, SearchDocument
from civicdesk.knowledge.search.index import SearchIndex
from civicdesk.knowledge.search.query import MAX_QUERY_CHARS, parse
from civicdesk.knowledge.search.ranking import CANDIDATES, Ranked, rank
from civicdesk.knowledge.search.semantic import availability, semantic_enabled
from civicdesk.knowledge.search.sources import documents_load
from civicdesk.knowledge.search.synonyms import SynonymTable, shipped_groups
from civicdesk.portal.models import SearchSynonym

if TYPE_CHECKING:
    from civicdesk.knowledge.search.embeddings import Reranked, SemanticIndex

MAX_LIMIT = 50
SCORE_DECIMALS = 4
RELATIVE_FLOOR = 0.2
logger = logging.getLogger(__name__)
_REVISIONS = (KNOWLEDGE_REVISION, CATALOG)


@dataclass(frozen=True)
class SearchHit:
    """One result: an article (`key` is its id) or a service type (`key` is its code).

    `score` is between 0 and 1: how much of the query the result matches and how closely one
    of its questions says the same; about 0.5 and above is a confident match. `fallback` marks
    an article in another language than the one searched, shown because it has no translation.
    """

    kind: str
    key: str
    external_id: str
    title: str
    url: str
    score: float
    summary: str
    language: str
    fallback: bool
    service_codes: tuple[str, ...]

    @classmethod
    def of(cls, document: SearchDocument, score: float) -> "SearchHit":
        return cls(
            kind=document.kind,
            key=document.key,
            external_id=document.external_id,
            title=document.title,
            url=document.url,
            score=round(score, SCORE_DECIMALS),
            summary=document.summary,
            language=document.language,
            fallback=document.fallback,
            service_codes=document.service_codes,
        )


class _Indexes:
    """Each language's index, built on first use and dropped when a revision moves."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._indexes: dict[str, SearchIndex] = {}
        self._documents: dict[str, list[SearchDocument]] | None = None
        self._revisions: tuple[int, ...] | None = None
        self._checked_at = -math.inf
        self._semantic_lock = threading.Lock()
        self._semantic: dict[str, tuple[SearchIndex, SemanticIndex]] = {}
        self._building: set[str] = set()

    def get(self, language: str) -> SearchIndex:
        now = time.monotonic()
        fresh = now - self._checked_at < _check_seconds() and not connection.in_atomic_block
        if not fresh:
            revisions = revisions_get(_REVISIONS)
            with self._lock:
                if revisions != self._revisions:
                    self._indexes = {}
                    self._semantic = {}
                    self._documents = None
                    self._revisions = revisions
                self._checked_at = now
        index = self._indexes.get(language)
        if index is not None:
            return index
        with self._lock:
            index = self._indexes.get(language)
            if index is None:
                if self._documents is None:
                    self._documents = documents_load()
                index = SearchIndex(analyzer_for(language), self._documents[language])
                self._indexes[language] = index
            return index

    def semantic(
        self, language: str, index: SearchIndex, *, wait: bool = False
    ) -> "SemanticIndex | None":
        """The semantic index beside `index` when semantic re-ranking is on for `language` and
        the index is ready; else None, starting its build behind unless it is quick or `wait`."""
        if not semantic_enabled(language) or availability.failed.is_set():
            return None
        built = self._semantic.get(language)
        if built is not None and built[0] is index:
            return built[1]
        from civicdesk.knowledge.search import embeddings

        with self._semantic_lock:
            built = self._semantic.get(language)
            if built is not None and built[0] is index:
                return built[1]
            if not wait and language in self._building:
                return None
            if wait or embeddings.quick_to_build(index.documents):
                return self._semantic_build(language, index, raising=wait)
            self._building.add(language)
            threading.Thread(
                target=self._semantic_build_behind,
                args=(language, index),
                name=f"search-semantic-{language}",
                daemon=True,
            ).start()
            return None

    def _semantic_build(
        self, language: str, index: SearchIndex, *, raising: bool
    ) -> "SemanticIndex | None":
        from civicdesk.knowledge.search.embeddings import semantic_index_build

        try:
            semantic = semantic_index_build(index.documents)
        except Exception:
            logger.exception("semantic re-ranking is off in this process: the index failed")
            availability.failed.set()
            if raising:
                raise
            return None
        self._semantic[language] = (index, semantic)
        return semantic

    def _semantic_build_behind(self, language: str, index: SearchIndex) -> None:
        try:
            self._semantic_build(language, index, raising=False)
        finally:
            with self._semantic_lock:
                self._building.discard(language)

    def clear(self) -> None:
        with self._lock:
            self._indexes = {}
            self._semantic = {}
            self._documents = None
            self._revisions = None
            self._checked_at = -math.inf


_indexes = _Indexes()


def _check_seconds() -> float:
    return float(getattr(settings, "CIVICDESK_SEARCH_CHECK_SECONDS", 2.0))


def search_index_clear() -> None:
    """Forget this process's indexes (tests; a write in this process also does it)."""
    _indexes.clear()


def search_semantic_warm(language: str = "en") -> bool:
    """Build `language`'s semantic index now (loading the model, embedding what the cache has
    not seen) rather than behind the first searches; whether re-ranking is on for it."""
    code = language_of(language)
    return _indexes.semantic(code, _indexes.get(code), wait=True) is not None


@functools.lru_cache(maxsize=16)
def _synonyms(language: str, staff: tuple[str, ...]) -> SynonymTable:
    groups = shipped_groups(language)
    groups += [[term.strip() for term in terms.split(",") if term.strip()] for terms in staff]
    return SynonymTable.build(analyzer_for(language), groups)


def _staff_synonyms() -> tuple[str, ...]:
    return tuple(SearchSynonym.objects.order_by("id").values_list("terms", flat=True))


def synonym_table(language: str) -> SynonymTable:
    """The shipped synonyms of the language and the staff's, one query."""
    return _synonyms(language_of(language), _staff_synonyms())


def search(
    query: str,
    *,
    language: str,
    limit: int = 10,
    kinds: Collection[str] = KINDS,
    partial: bool = False,
) -> list[SearchHit]:
    """Published articles and public service types matching `query`, best first.

    `language` picks the index (and the analysis: stemming, stop words, synonyms); unknown
    languages search the English one. `partial` treats the last word as still being typed
    (typeahead), and is never re-ranked by meaning. Any text is accepted: empty, binary or
    markup-laden queries find nothing or what their words find, and only the first 2,000
    characters are read.
    """
    limit = max(1, min(int(limit), MAX_LIMIT))
    text = (query or "")[:MAX_QUERY_CHARS]
    if not text.strip():
        return []
    code = language_of(language)
    index = _indexes.get(code)
    concepts = parse(index, synonym_table(code), text, partial_last=partial)
    semantic = None if partial else _indexes.semantic(code, index)
    results: Sequence[Ranked | Reranked]
    if semantic is None:
        results = rank(index, concepts, kinds=set(kinds), limit=limit)
    else:
        candidates = rank(index, concepts, kinds=set(kinds), limit=max(CANDIDATES, limit))
        results = semantic.rerank(text, candidates, kinds=set(kinds), limit=limit)
    # Far below the best, a result shares only a common word with the query: noise.
    floor = results[0].score * RELATIVE_FLOOR if results else 0.0
    return [
        SearchHit.of(result.document, result.score) for result in results if result.score >= floor
    ]
