"""Ranking service types against what a resident typed, in English or Spanish.

The catalog is small (tens to a few hundred public service types), so the rows are read once
and ranked here rather than in SQL: the same results on SQLite and PostgreSQL, accents and case
ignored ("senal" finds "señal"), plurals and word starts matched, and synonyms applied, none of
which the two databases' `LIKE` can do alike.

A service's score adds, for each word of the query, its best match in the service's fields in
either language: name, then keywords, then group, then description, each weighted less than the
one before; an exact word counts more than a word start or a plural. The score is then scaled by
the share of the query's words that matched, so a service matching all of "missed trash pickup"
ranks above one matching only "trash". Staff synonyms (`SearchSynonym`) rewrite the query into
variants ("garbage" → "trash"); a variant's score is discounted a little, so a service named
with the resident's own word comes first.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FIELD_WEIGHTS = {"name": 10.0, "keywords": 7.0, "group": 3.0, "description": 1.5}
WORD_START_FACTOR = 0.6
SYNONYM_FACTOR = 0.85
MAX_VARIANTS = 30
MAX_QUERY_LENGTH = 200

_STOPWORDS_EN = (
    "a",
    "an",
    "and",
    "are",
    "at",
    "be",
    "by",
    "for",
    "from",
    "has",
    "have",
    "i",
    "in",
    "is",
    "it",
    "its",
    "me",
    "my",
    "near",
    "of",
    "on",
    "or",
    "our",
    "the",
    "there",
    "this",
    "that",
    "to",
    "was",
    "we",
    "with",
    "your",
)
# "no" and "sin" are not stopwords: "no heat", "sin calefacción".
_STOPWORDS_ES = (
    "al",
    "de",
    "del",
    "el",
    "en",
    "es",
    "esta",
    "este",
    "hay",
    "la",
    "las",
    "lo",
    "los",
    "mi",
    "mis",
    "o",
    "para",
    "por",
    "que",
    "se",
    "su",
    "sus",
    "un",
    "una",
    "unas",
    "unos",
    "y",
)
STOPWORDS = frozenset(_STOPWORDS_EN + _STOPWORDS_ES)
_NON_WORD = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """Lower case, accents removed, punctuation turned into spaces: "¿Señal?" → "senal"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NON_WORD.sub(" ", bare.casefold()).split())


def query_words(text: str) -> list[str]:
    """The words of a query that say something; all of them if every one is a stopword."""
    words = normalize(text[:MAX_QUERY_LENGTH]).split()
    meaningful = [word for word in words if word not in STOPWORDS]
    return meaningful or words


@dataclass(frozen=True)
class SearchDocument:
    """The searchable text of one service type, normalized once."""

    key: object
    name: str
    words: dict[str, float]  # word -> weight of the best field it appears in
    phrases: dict[str, float]  # whole name and keywords -> weight

    @classmethod
    def build(cls, key: object, fields: dict[str, Iterable[str]]) -> "SearchDocument":
        words: dict[str, float] = {}
        phrases: dict[str, float] = {}
        for field, texts in fields.items():
            weight = FIELD_WEIGHTS[field]
            for text in texts:
                normalized = normalize(text)
                if not normalized:
                    continue
                if field in ("name", "keywords"):
                    phrases[normalized] = max(phrases.get(normalized, 0.0), weight)
                for word in normalized.split():
                    words[word] = max(words.get(word, 0.0), weight)
        names = [normalize(text) for text in fields.get("name", ())]
        return cls(key=key, name=" | ".join(names), words=words, phrases=phrases)


def _word_score(document: SearchDocument, word: str) -> float:
    exact = document.words.get(word)
    if exact is not None:
        return exact
    best = 0.0
    if len(word) >= 3:
        for candidate, weight in document.words.items():
            # "pot" finds "pothole"; "potholes" and "rats" find "pothole" and "rat".
            starts = candidate.startswith(word) or (
                len(candidate) >= 3
                and word.startswith(candidate)
                and len(word) - len(candidate) <= 2
            )
            if starts:
                best = max(best, weight * WORD_START_FACTOR)
    return best


def score(document: SearchDocument, words: Sequence[str]) -> float:
    """How well the words describe the document; 0 when none of them matches."""
    if not words:
        return 0.0
    scores = [_word_score(document, word) for word in words]
    matched = sum(1 for value in scores if value > 0)
    if not matched:
        return 0.0
    total = sum(scores)
    phrase = " ".join(words)
    for text, weight in document.phrases.items():
        if text == phrase:
            total += weight * 1.2
        elif len(words) > 1 and phrase in text:
            total += weight * 0.6
    return total * (0.4 + 0.6 * matched / len(words))


def query_variants(words: Sequence[str], synonyms: Iterable[Sequence[str]]) -> list[list[str]]:
    """The query itself, then the query with one synonym swapped in for each synonym it holds."""
    variants = [list(words)]
    padded = f" {' '.join(words)} "
    for group in synonyms:
        terms = [normalize(term) for term in group]
        for term in terms:
            if not term or f" {term} " not in padded:
                continue
            for other in terms:
                if other and other != term:
                    swapped = padded.replace(f" {term} ", f" {other} ", 1).split()
                    if swapped not in variants:
                        variants.append(swapped)
                if len(variants) >= MAX_VARIANTS:
                    return variants
    return variants


@dataclass(frozen=True)
class Ranked:
    key: object
    score: float
    via_synonym: bool


def rank(
    documents: Iterable[SearchDocument],
    query: str,
    synonyms: Iterable[Sequence[str]] = (),
) -> list[Ranked]:
    """The documents that match the query, best first (ties by name)."""
    words = query_words(query)
    if not words:
        return []
    variants = query_variants(words, synonyms)
    results: list[tuple[float, str, Ranked]] = []
    for document in documents:
        best = score(document, variants[0])
        via_synonym = False
        for variant in variants[1:]:
            candidate = score(document, variant) * SYNONYM_FACTOR
            if candidate > best:
                best, via_synonym = candidate, True
        if best > 0:
            results.append((-best, document.name, Ranked(document.key, best, via_synonym)))
    results.sort(key=lambda item: (item[0], item[1]))
    return [ranked for _, _, ranked in results]
