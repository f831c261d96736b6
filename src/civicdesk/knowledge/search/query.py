"""A query as a list of concepts: what the resident typed, and the other ways to say each part.

Each concept is a stem (or a phrase of stems) of the query with its alternatives, each with a
weight below 1 so the resident's own word ranks first:

- synonyms from the synonym table ("garbage" for "trash"; "hole in the road" for "pothole");
- for a stem the index has never seen: indexed stems within a small edit distance (typos:
  "garbge"), longer indexed stems it starts ("corona" → "coronavirus", and the word still
  being typed in a typeahead), and two indexed stems it splits into ("streetlight" →
  "street light");
- two adjacent words written together in the index ("corona virus" → "coronavirus").

A concept's `mass` is the IDF of its own stems, or of its best alternative when the index
does not know it: the share of the query a document can match is measured against it.
"""

from dataclasses import dataclass

from civicdesk.knowledge.search.analysis import Term
from civicdesk.knowledge.search.index import SearchIndex
from civicdesk.knowledge.search.synonyms import Phrase, SynonymTable

MAX_QUERY_CHARS = 2000
MAX_CONCEPTS = 32
SYNONYM_WEIGHT = 0.9
COMPOUND_WEIGHT = 0.9
SPLIT_WEIGHT = 0.85
PREFIX_WEIGHT = 0.7
TYPO_WEIGHTS = {1: 0.8, 2: 0.6}
MAX_TYPOS = 2
MAX_PREFIXES = 4
MIN_PREFIX = 3
MIN_SPLIT_PART = 3
RELATED_WEIGHT = 0.75
RELATED_PREFIX = 6
MAX_RELATED = 3


@dataclass(frozen=True)
class Alternative:
    stems: Phrase
    weight: float
    how: str


@dataclass(frozen=True)
class Concept:
    original: Phrase
    alternatives: tuple[Alternative, ...]
    mass: float


def parse(
    index: SearchIndex, synonyms: SynonymTable, text: str, *, partial_last: bool = False
) -> list[Concept]:
    """The concepts of a query, in order, without repeats. `partial_last`: the last word may
    be unfinished (typeahead), so it also matches the indexed words it starts."""
    terms = index.analyzer.terms(text[:MAX_QUERY_CHARS])
    stems = [term.stem for term in terms]
    concepts: list[Concept] = []
    seen: set[Phrase] = set()
    position = 0
    while position < len(terms) and len(concepts) < MAX_CONCEPTS:
        length, others = synonyms.match(stems, position)
        alternatives: list[Alternative]
        if length:
            original = tuple(stems[position : position + length])
            alternatives = [Alternative(original, 1.0, "exact")]
            alternatives += [Alternative(other, SYNONYM_WEIGHT, "synonym") for other in others]
        else:
            length = 1
            original = (stems[position],)
            alternatives = [Alternative(original, 1.0, "exact")]
            joined = _compound(index, terms, position)
            if joined is not None:
                length = 2
                original = (stems[position], stems[position + 1])
                alternatives = [Alternative(original, 1.0, "exact"), joined]
            else:
                last = position == len(terms) - 1
                alternatives += _expansions(index, terms[position], partial=partial_last and last)
        position += length
        if original in seen:
            continue
        seen.add(original)
        concepts.append(
            Concept(original, tuple(alternatives), _mass(index, original, alternatives))
        )
    return concepts


def _compound(index: SearchIndex, terms: list[Term], position: int) -> Alternative | None:
    if position + 1 >= len(terms) or terms[position + 1].position != terms[position].position + 1:
        return None
    stem = index.analyzer.stem(terms[position].word + terms[position + 1].word)
    if stem in index.idf:
        return Alternative((stem,), COMPOUND_WEIGHT, "compound")
    return None


def _expansions(index: SearchIndex, term: Term, *, partial: bool) -> list[Alternative]:
    stem = term.stem
    known = stem in index.idf
    found: list[Alternative] = []
    if (partial or not known) and len(stem) >= MIN_PREFIX:
        found += [
            Alternative((longer,), PREFIX_WEIGHT, "prefix")
            for longer in index.with_prefix(stem, limit=MAX_PREFIXES)
        ]
    found += [
        Alternative((related,), RELATED_WEIGHT, "related")
        for related in _related(index, stem)
        if all(related not in alternative.stems for alternative in found)
    ]
    if known:
        return found
    for candidate, distance in index.typo_candidates(stem)[:MAX_TYPOS]:
        found.append(Alternative((candidate,), TYPO_WEIGHTS[distance], "typo"))
    word = term.word
    for cut in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1):
        head = index.analyzer.stem(word[:cut])
        tail = index.analyzer.stem(word[cut:])
        if head in index.idf and tail in index.idf:
            found.append(Alternative((head, tail), SPLIT_WEIGHT, "split"))
            break
    return found


def _related(index: SearchIndex, stem: str) -> list[str]:
    """Indexed stems of the same family: "pregnanc" and "pregnant", "transmit" and "transmiss".

    Snowball strips inflections, not derivations; stems that share all but their last two
    letters (and at least RELATED_PREFIX) are taken for one family.
    """
    if len(stem) < RELATED_PREFIX or not stem.isalpha():
        return []
    shared = max(RELATED_PREFIX, len(stem) - 2)
    return [
        other
        for other in index.with_prefix(stem[:shared], limit=MAX_RELATED * 3)
        if other != stem and len(other) - shared <= 3
    ][:MAX_RELATED]


def _mass(index: SearchIndex, original: Phrase, alternatives: list[Alternative]) -> float:
    if all(stem in index.idf for stem in original):
        return sum(index.idf[stem] for stem in original)
    known = [
        sum(index.idf[stem] for stem in alternative.stems)
        for alternative in alternatives
        if all(stem in index.idf for stem in alternative.stems)
    ]
    return max(known) if known else index.max_idf * len(original)
