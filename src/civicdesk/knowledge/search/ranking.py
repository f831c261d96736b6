"""Ranking documents for a parsed query.

A document's score, between 0 and 1, adds three parts:

- **lexical** (BM25F): each concept scores its best alternative, IDF times the document's
  saturated, field-weighted frequency (`index`), times the alternative's weight; the sum is
  divided by the query's total IDF mass, so a document matching every concept strongly comes
  close to 1 whatever the query's length;
- **question similarity**: residents ask the same question in other words, and a paraphrase
  shares its rare words with one of the document's questions (title or question variants)
  rather than with the body. For each question, the IDF mass both sides share over the mass
  both sides have (a weighted Dice coefficient), and the best question counts. It also
  penalises a question that says much more than the query asked;
- **phrase**: the share of the query's adjacent concept pairs found adjacent in the title,
  questions or summary ("trash pickup" over "trash" … "pickup").

Only the best lexical candidates get the last two parts computed.
"""

import itertools
from collections.abc import Collection
from dataclasses import dataclass

from civicdesk.knowledge.search.documents import SearchDocument
from civicdesk.knowledge.search.index import QuestionSet, SearchIndex
from civicdesk.knowledge.search.query import Alternative, Concept

LEXICAL_WEIGHT = 0.55
SIMILARITY_WEIGHT = 0.4
PHRASE_WEIGHT = 0.05
CANDIDATES = 100


@dataclass(frozen=True)
class Ranked:
    document: SearchDocument
    score: float
    lexical: float
    similarity: float
    phrase: float


def rank(
    index: SearchIndex, concepts: list[Concept], *, kinds: Collection[str], limit: int
) -> list[Ranked]:
    """The documents of the given kinds matching at least one concept, best first."""
    total_mass = sum(concept.mass for concept in concepts)
    if not concepts or total_mass <= 0:
        return []
    lexical: dict[int, float] = {}
    for concept in concepts:
        for document, value in _concept_scores(index, concept).items():
            lexical[document] = lexical.get(document, 0.0) + value
    wanted = [
        (value / total_mass, document)
        for document, value in lexical.items()
        if index.documents[document].kind in kinds
    ]
    wanted.sort(key=lambda item: -item[0])
    pairs = _query_pairs(concepts)
    ranked = []
    for lexical_score, document in wanted[: max(CANDIDATES, limit)]:
        similarity = max(
            (
                _similarity(index, question, concepts, total_mass)
                for question in index.questions[document]
            ),
            default=0.0,
        )
        phrase = (
            sum(1 for pair in pairs if pair in index.pairs[document]) / len(pairs) if pairs else 0.0
        )
        score = (
            LEXICAL_WEIGHT * lexical_score + SIMILARITY_WEIGHT * similarity + PHRASE_WEIGHT * phrase
        )
        ranked.append(Ranked(index.documents[document], score, lexical_score, similarity, phrase))
    ranked.sort(key=lambda item: (-item.score, item.document.title, item.document.key))
    return ranked[:limit]


def _concept_scores(index: SearchIndex, concept: Concept) -> dict[int, float]:
    best: dict[int, float] = {}
    for alternative in concept.alternatives:
        scores: dict[int, float] = {}
        hits: dict[int, int] = {}
        mass = 0.0
        for stem in alternative.stems:
            idf = index.idf.get(stem)
            if idf is None:
                continue
            mass += idf
            for document, saturated in index.postings[stem]:
                scores[document] = scores.get(document, 0.0) + idf * saturated
                hits[document] = hits.get(document, 0) + 1
        if not mass:
            continue
        if alternative.how != "exact" and len(alternative.stems) > 1:
            # Another phrase stands for the query's words only when all of it is there.
            whole = len(alternative.stems)
            scores = {
                document: value for document, value in scores.items() if hits[document] == whole
            }
        # An alternative stands in for the concept: it may score up to the concept's own
        # mass, never more because its words happen to be rarer.
        factor = alternative.weight * concept.mass / mass
        for document, value in scores.items():
            weighted = value * factor
            if weighted > best.get(document, 0.0):
                best[document] = weighted
    return best


def _similarity(
    index: SearchIndex, question: QuestionSet, concepts: list[Concept], total_mass: float
) -> float:
    matched_query = 0.0
    covered: dict[str, float] = {}
    for concept in concepts:
        found: Alternative | None = None
        for alternative in concept.alternatives:
            if (found is None or alternative.weight > found.weight) and all(
                stem in question.stems for stem in alternative.stems
            ):
                found = alternative
        if found is None:
            continue
        matched_query += found.weight * concept.mass
        for stem in found.stems:
            covered[stem] = max(covered.get(stem, 0.0), found.weight)
    if not covered:
        return 0.0
    matched_question = sum(index.idf.get(stem, 0.0) * weight for stem, weight in covered.items())
    return (matched_query + matched_question) / (total_mass + question.mass)


def _query_pairs(concepts: list[Concept]) -> list[tuple[str, str]]:
    return [(left.original[-1], right.original[0]) for left, right in itertools.pairwise(concepts)]
