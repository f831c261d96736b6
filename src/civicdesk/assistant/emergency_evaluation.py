"""Measuring the emergency detector on labelled sentences: precision, recall and F1 per
language and overall, the category it chose, its misses and false alarms, and its speed.

A labelled file is a CSV with the columns `text`, `language` (en or es), `label` (emergency or
routine) and `category` (an `EmergencyCategory` value for an emergency, empty otherwise).
"""

import csv
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from civicdesk.assistant.choices import EmergencyCategory
from civicdesk.assistant.emergency import EmergencyFinding, detect

LABELS = ("emergency", "routine")
COLUMNS = ("text", "language", "label", "category")


class LabelledFileError(ValueError):
    """A labelled file that cannot be read; the message names the line."""


@dataclass(frozen=True)
class LabelledSentence:
    line: int
    text: str
    language: str
    is_emergency: bool
    category: str


@dataclass
class Counts:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    true_negatives: int = 0

    @property
    def total(self) -> int:
        return (
            self.true_positives + self.false_positives + self.false_negatives + self.true_negatives
        )

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        both = self.precision + self.recall
        return 2 * self.precision * self.recall / both if both else 0.0


@dataclass
class Evaluation:
    """What `evaluate` measured on one file."""

    by_language: dict[str, Counts] = field(default_factory=dict)
    overall: Counts = field(default_factory=Counts)
    category_agreement: int = 0
    false_negatives: list[LabelledSentence] = field(default_factory=list)
    false_positives: list[tuple[LabelledSentence, EmergencyFinding]] = field(default_factory=list)
    wrong_category: list[tuple[LabelledSentence, EmergencyFinding]] = field(default_factory=list)
    microseconds: list[float] = field(default_factory=list)


def labelled_read(path: Path) -> list[LabelledSentence]:
    """The sentences of a labelled CSV; raises LabelledFileError naming the first bad line."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise LabelledFileError(f"{path}: the columns must be {', '.join(COLUMNS)}.")
            return [_sentence(row, reader.line_num, path) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise LabelledFileError(f"{path}: {error}") from error


def _sentence(row: dict[str, str], line: int, path: Path) -> LabelledSentence:
    text, language = row["text"] or "", (row["language"] or "").strip()
    label, category = (row["label"] or "").strip(), (row["category"] or "").strip()
    if not text.strip():
        raise LabelledFileError(f"{path}, line {line}: the text is empty.")
    if language not in ("en", "es"):
        raise LabelledFileError(f"{path}, line {line}: language must be en or es.")
    if label not in LABELS:
        raise LabelledFileError(f"{path}, line {line}: label must be emergency or routine.")
    if label == "emergency" and category not in EmergencyCategory.values:
        raise LabelledFileError(f"{path}, line {line}: unknown category {category!r}.")
    if label == "routine" and category:
        raise LabelledFileError(f"{path}, line {line}: a routine sentence has no category.")
    return LabelledSentence(
        line=line,
        text=text,
        language=language,
        is_emergency=label == "emergency",
        category=category,
    )


def evaluate(sentences: Iterable[LabelledSentence]) -> Evaluation:
    """Run the detector on every sentence and count what it got right and wrong."""
    result = Evaluation()
    for sentence in sentences:
        started = time.perf_counter()
        finding = detect(sentence.text, sentence.language)
        result.microseconds.append((time.perf_counter() - started) * 1e6)
        counts = result.by_language.setdefault(sentence.language, Counts())
        for tally in (counts, result.overall):
            if sentence.is_emergency and finding.is_emergency:
                tally.true_positives += 1
            elif sentence.is_emergency:
                tally.false_negatives += 1
            elif finding.is_emergency:
                tally.false_positives += 1
            else:
                tally.true_negatives += 1
        if sentence.is_emergency and not finding.is_emergency:
            result.false_negatives.append(sentence)
        elif finding.is_emergency and not sentence.is_emergency:
            result.false_positives.append((sentence, finding))
        elif finding.is_emergency:
            if finding.category == sentence.category:
                result.category_agreement += 1
            else:
                result.wrong_category.append((sentence, finding))
    return result


def evaluation_report(name: str, result: Evaluation) -> list[str]:
    """The evaluation as lines of text, as `civicdesk assistant emergency-evaluate` prints it."""
    overall = result.overall
    emergencies = overall.true_positives + overall.false_negatives
    lines = [
        f"{name}: {overall.total} sentences, {emergencies} emergencies, "
        f"{overall.total - emergencies} routine",
        f"{'':<8}{'n':>5}{'TP':>5}{'FP':>5}{'FN':>5}{'TN':>5}"
        f"{'precision':>11}{'recall':>8}{'F1':>7}",
    ]
    rows = [*sorted(result.by_language.items()), ("all", overall)]
    for language, counts in rows:
        lines.append(
            f"{language:<8}{counts.total:>5}{counts.true_positives:>5}"
            f"{counts.false_positives:>5}{counts.false_negatives:>5}{counts.true_negatives:>5}"
            f"{counts.precision:>11.3f}{counts.recall:>8.3f}{counts.f1:>7.3f}"
        )
    lines.append(
        f"category agrees with the label on {result.category_agreement} of "
        f"{overall.true_positives} emergencies found"
    )
    if result.microseconds:
        ordered = sorted(result.microseconds)
        p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
        lines.append(
            f"detector time per sentence: median {statistics.median(ordered):.0f} µs, "
            f"p99 {p99:.0f} µs, max {ordered[-1]:.0f} µs"
        )
    lines.append(f"false negatives ({len(result.false_negatives)}):")
    lines += [
        f"  line {item.line} [{item.language}] {item.text}" for item in result.false_negatives
    ]
    lines.append(f"false positives ({len(result.false_positives)}):")
    lines += [
        f"  line {item.line} [{item.language}] {item.text}  <- {_evidence(finding)}"
        for item, finding in result.false_positives
    ]
    if result.wrong_category:
        lines.append(f"other category than labelled ({len(result.wrong_category)}):")
        lines += [
            f"  line {item.line} [{item.language}] {item.category} -> {finding.category}: "
            f"{item.text}"
            for item, finding in result.wrong_category
        ]
    return lines


def _evidence(finding: EmergencyFinding) -> str:
    return "; ".join(f"{item.rule} {item.text!r}" for item in finding.evidence)
