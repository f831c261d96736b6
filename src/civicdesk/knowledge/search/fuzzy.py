"""Typo tolerance: the indexed stems within a small edit distance of a stem nobody indexed.

Candidates come from a symmetric-deletion index (every stem with one, or for long stems up to
two, letters deleted), so a lookup costs a few dictionary probes however large the vocabulary,
and each candidate is confirmed with the true distance (adjacent transpositions count as one
edit: "reycling" → "recycling").
"""

from collections.abc import Iterable


def max_distance(length: int) -> int:
    """How many edits a stem of this length may be off: none under 4 letters, 1 under 8, else 2."""
    if length < 4:
        return 0
    return 1 if length < 8 else 2


def _deletes(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {
            variant[:index] + variant[index + 1 :]
            for variant in frontier
            for index in range(len(variant))
        }
        found |= frontier
    return found


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance between a and b, or limit + 1 when it exceeds limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, previous_previous[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


class TypoIndex:
    """Indexed stems by their deletion variants."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._variants: dict[str, list[str]] = {}
        for term in vocabulary:
            depth = max_distance(len(term))
            if not depth or not term.isalpha():
                continue
            for variant in _deletes(term, depth):
                self._variants.setdefault(variant, []).append(term)

    def candidates(self, stem: str) -> list[tuple[str, int]]:
        """(indexed stem, distance) within the allowed distance of `stem`, closest first."""
        limit = max_distance(len(stem))
        if not limit or not stem.isalpha():
            return []
        seen: dict[str, int] = {}
        for variant in _deletes(stem, limit):
            for term in self._variants.get(variant, ()):
                if term in seen or term == stem:
                    continue
                distance = edit_distance(stem, term, min(limit, max_distance(len(term))))
                if distance <= limit:
                    seen[term] = distance
        return sorted(seen.items(), key=lambda item: (item[1], item[0]))
