"""Scoring a ranking of service types against the truth, and the two baselines beside the model.

Every method (the model, the majority class, the keyword matcher) gives each test text a ranked
list of labels; accuracy and macro-F1 read the first, top-3 accuracy the first three.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from civicdesk.routing.text import text_normalise

_TOKEN = re.compile(r"\w+")
# Single keywords this long also match longer words ("shovel" finds "shoveled").
_PREFIX_MIN = 4


@dataclass(frozen=True)
class Scores:
    rows: int
    accuracy: float
    macro_f1: float
    top3_accuracy: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "top3_accuracy": round(self.top3_accuracy, 4),
        }


def label_report(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support per label (every label true or predicted)."""
    hits: Counter[str] = Counter()
    true_count = Counter(truth)
    predicted_count = Counter(predicted)
    for expected, guess in zip(truth, predicted, strict=True):
        if expected == guess:
            hits[expected] += 1
    report = {}
    for label in sorted(set(true_count) | set(predicted_count)):
        precision = hits[label] / predicted_count[label] if predicted_count[label] else 0.0
        recall = hits[label] / true_count[label] if true_count[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        report[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": true_count[label],
        }
    return report


def scores_compute(truth: Sequence[str], rankings: Sequence[Sequence[str]]) -> Scores:
    """Accuracy and macro-F1 of the first label of each ranking, and top-3 accuracy."""
    if not truth:
        return Scores(rows=0, accuracy=0.0, macro_f1=0.0, top3_accuracy=0.0)
    first = [ranking[0] if ranking else "" for ranking in rankings]
    report = label_report(truth, first)
    return Scores(
        rows=len(truth),
        accuracy=sum(a == b for a, b in zip(truth, first, strict=True)) / len(truth),
        macro_f1=sum(entry["f1"] for entry in report.values()) / len(report),
        top3_accuracy=sum(
            expected in ranking[:3] for expected, ranking in zip(truth, rankings, strict=True)
        )
        / len(truth),
    )


def by_frequency(labels: Iterable[str]) -> list[str]:
    """Labels from the most to the least frequent (ties by name): the majority baseline's
    ranking for every text, and the keyword baseline's tie-break."""
    counts = Counter(labels)
    return sorted(counts, key=lambda label: (-counts[label], label))


class KeywordBaseline:
    """Ranks labels by how many of their keywords and names a text contains.

    Keywords are the catalog's (`ServiceType.keywords`, names, and their Spanish), normalised
    like the text. A phrase matches as consecutive words; a single keyword of four letters or
    more also matches words that start with it. Ties, and texts that match nothing, fall back to
    the training labels' frequency, so with no keyword found it answers like the majority class.
    """

    def __init__(self, *, keywords: Mapping[str, Iterable[str]], prior: Sequence[str]) -> None:
        self._prior = list(prior)
        self._order = {label: index for index, label in enumerate(self._prior)}
        self._exact: dict[str, set[str]] = defaultdict(set)
        self._prefixes: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._phrases: list[tuple[str, str]] = []
        for label, phrases in keywords.items():
            for phrase in phrases:
                tokens = _TOKEN.findall(text_normalise(phrase))
                if len(tokens) > 1:
                    self._phrases.append((f" {' '.join(tokens)} ", label))
                elif tokens and len(tokens[0]) >= _PREFIX_MIN:
                    self._prefixes[tokens[0][:_PREFIX_MIN]].append((tokens[0], label))
                elif tokens:
                    self._exact[tokens[0]].add(label)

    def rank(self, normalised_text: str) -> list[str]:
        tokens = _TOKEN.findall(normalised_text)
        score: Counter[str] = Counter()
        for token in tokens:
            for label in self._exact.get(token, ()):
                score[label] += 1
            for keyword, label in self._prefixes.get(token[:_PREFIX_MIN], ()):
                if token.startswith(keyword):
                    score[label] += 1
        if self._phrases:
            joined = f" {' '.join(tokens)} "
            for phrase, label in self._phrases:
                if phrase in joined:
                    score[label] += 1
        labels = set(self._prior) | set(score)
        return sorted(
            labels, key=lambda label: (-score[label], self._order.get(label, len(self._order)))
        )


def coverage_table(
    truth: Sequence[str],
    best: Sequence[str],
    confidence: Sequence[float],
    thresholds: Iterable[float],
) -> list[dict[str, float]]:
    """For each confidence threshold: the share of texts at or above it (routed without a
    person) and the accuracy on those."""
    table = []
    for threshold in thresholds:
        routed = [
            expected == guess
            for expected, guess, sure in zip(truth, best, confidence, strict=True)
            if sure >= threshold
        ]
        table.append(
            {
                "threshold": threshold,
                "coverage": round(len(routed) / len(truth), 4) if truth else 0.0,
                "accuracy": round(sum(routed) / len(routed), 4) if routed else 0.0,
            }
        )
    return table
