"""The in-memory index of one language: postings with BM25F weights, and the question sets.

BM25F (Robertson, Zaragoza & Taylor, 2004): a term's frequencies in each field are weighted,
each normalised by that field's length against its average, and summed before BM25's
saturation, so a word in the title counts more than in the body but repeating it in five fields
does not count five times. The saturated value of every (term, document) pair is computed once
here; a query only multiplies by the term's IDF and adds.

Besides the postings, each document keeps its "questions" (title and question variants) as
sets of stems for the question-similarity part of the ranking (`ranking`), and the adjacent
pairs of stems of its title, questions and summary for the phrase part.
"""

import bisect
import itertools
import math
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from civicdesk.knowledge.search.analysis import Analyzer
from civicdesk.knowledge.search.documents import SearchDocument
from civicdesk.knowledge.search.fuzzy import TypoIndex

K1 = 1.2
# Weight and length normalisation (b) per field: what a resident types is closest to how the
# question is put, so the title and question variants weigh most; short fields barely need
# length normalisation.
FIELD_WEIGHTS = {"title": 3.0, "questions": 3.0, "summary": 1.5, "topic": 1.0, "body": 1.0}
FIELD_B = {"title": 0.3, "questions": 0.5, "summary": 0.5, "topic": 0.3, "body": 0.75}
PHRASE_FIELDS = ("title", "questions", "summary")


@dataclass(frozen=True)
class QuestionSet:
    """One way of asking for a document, as its distinct stems and their IDF mass."""

    stems: frozenset[str]
    mass: float


class SearchIndex:
    """Every document of one language, ready to rank. Read-only once built."""

    def __init__(self, analyzer: Analyzer, documents: Iterable[SearchDocument]) -> None:
        self.analyzer = analyzer
        self.documents: list[SearchDocument] = list(documents)
        field_terms: list[dict[str, list[list[str]]]] = [
            {
                name: [analyzer.stems(text) for text in texts if text]
                for name, texts in d.fields().items()
            }
            for d in self.documents
        ]
        self.size = len(self.documents)
        self.idf: dict[str, float] = {}
        self.postings: dict[str, list[tuple[int, float]]] = {}
        self._build_postings(field_terms)
        self.max_idf = max(self.idf.values(), default=1.0)
        self.vocabulary = sorted(self.idf)
        self.questions = [self._question_sets(terms) for terms in field_terms]
        self.pairs = [self._pairs(terms) for terms in field_terms]
        self._typos: TypoIndex | None = None
        self._typos_lock = threading.Lock()

    def _build_postings(self, field_terms: list[dict[str, list[list[str]]]]) -> None:
        lengths: dict[str, list[int]] = {name: [] for name in FIELD_WEIGHTS}
        counts: list[dict[str, Counter[str]]] = []
        for terms in field_terms:
            per_field: dict[str, Counter[str]] = {}
            for name in FIELD_WEIGHTS:
                stems = [stem for text in terms.get(name, []) for stem in text]
                lengths[name].append(len(stems))
                per_field[name] = Counter(stems)
            counts.append(per_field)
        averages = {
            name: (sum(values) / len(values) if values and sum(values) else 1.0)
            for name, values in lengths.items()
        }
        weighted: dict[str, list[tuple[int, float]]] = {}
        for index, per_field in enumerate(counts):
            pseudo: dict[str, float] = {}
            for name, counter in per_field.items():
                norm = 1 - FIELD_B[name] + FIELD_B[name] * lengths[name][index] / averages[name]
                for stem, frequency in counter.items():
                    pseudo[stem] = pseudo.get(stem, 0.0) + FIELD_WEIGHTS[name] * frequency / norm
            for stem, value in pseudo.items():
                weighted.setdefault(stem, []).append((index, value / (K1 + value)))
        for stem, entries in weighted.items():
            frequency = len(entries)
            self.idf[stem] = math.log(1 + (self.size - frequency + 0.5) / (frequency + 0.5))
            self.postings[stem] = entries

    def _question_sets(self, terms: dict[str, list[list[str]]]) -> list[QuestionSet]:
        sets = []
        for stems in [*terms.get("title", []), *terms.get("questions", [])]:
            distinct = frozenset(stems)
            if distinct:
                sets.append(QuestionSet(distinct, sum(self.idf.get(s, 0.0) for s in distinct)))
        return sets

    @staticmethod
    def _pairs(terms: dict[str, list[list[str]]]) -> frozenset[tuple[str, str]]:
        return frozenset(
            (stems[i], stems[i + 1])
            for name in PHRASE_FIELDS
            for stems in terms.get(name, [])
            for i in range(len(stems) - 1)
        )

    def with_prefix(self, prefix: str, *, limit: int) -> list[str]:
        """Indexed stems that start with `prefix` (and are longer), most frequent first."""
        start = bisect.bisect_left(self.vocabulary, prefix)
        found = []
        for stem in itertools.islice(self.vocabulary, start, None):
            if not stem.startswith(prefix):
                break
            if stem != prefix:
                found.append(stem)
        found.sort(key=lambda stem: (self.idf[stem], stem))
        return found[:limit]

    def typo_candidates(self, stem: str) -> list[tuple[str, int]]:
        if self._typos is None:
            with self._typos_lock:
                if self._typos is None:
                    self._typos = TypoIndex(self.vocabulary)
        return self._typos.candidates(stem)
