"""Plain BM25, the yardstick the evaluation compares the engine with.

One field (title, questions and body joined), lower-cased words split on anything that is not
a letter or digit, no stemming, no stop words, no synonyms, no typo tolerance; k1 = 1.2,
b = 0.75, and the usual non-negative IDF, ln(1 + (N - df + 0.5) / (df + 0.5)).
"""

import math
import re
from collections import Counter
from collections.abc import Iterable

K1 = 1.2
B = 0.75
_WORD = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class PlainBM25:
    """A BM25 index over (key, text) pairs."""

    def __init__(self, documents: Iterable[tuple[str, str]]) -> None:
        self.keys: list[str] = []
        self.frequencies: list[Counter[str]] = []
        lengths: list[int] = []
        for key, text in documents:
            words = tokens(text)
            self.keys.append(key)
            self.frequencies.append(Counter(words))
            lengths.append(len(words))
        self.lengths = lengths
        self.average = (sum(lengths) / len(lengths)) if lengths and sum(lengths) else 1.0
        frequency: Counter[str] = Counter()
        for counter in self.frequencies:
            frequency.update(counter.keys())
        size = len(self.keys)
        self.idf = {
            word: math.log(1 + (size - count + 0.5) / (count + 0.5))
            for word, count in frequency.items()
        }

    def search(self, query: str, *, limit: int = 10) -> list[tuple[str, float]]:
        """(key, score) of the documents sharing a word with the query, best first."""
        words = [word for word in tokens(query) if word in self.idf]
        scored = []
        for position, counter in enumerate(self.frequencies):
            norm = K1 * (1 - B + B * self.lengths[position] / self.average)
            value = sum(
                self.idf[word] * counter[word] * (K1 + 1) / (counter[word] + norm)
                for word in words
                if word in counter
            )
            if value > 0:
                scored.append((self.keys[position], value))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored[:limit]
