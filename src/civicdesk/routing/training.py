"""Fitting the text → service type classifier and measuring it honestly.

The examples are normalised (`routing.text`: form-template keys stripped), texts with no
resident words left are set aside, and the rest split by time: the model is fitted on the
earlier part and scored on the later one, beside the majority class and a keyword matcher on
the same rows. Labels with fewer than `min_examples` training examples are left out: the model
cannot learn them, and a text about one then scores low and goes to triage rather than to a
look-alike. Unless told not to, the saved model is then refitted on every example, so it knows
the newest wording; the figures are those of the hold-out fit.

Model (chosen by measurement on Boston's 2008-2016 → 2017 split, docs/routing.md): TF-IDF of
words and word pairs into Complement Naive Bayes, whose scores are calibrated into probabilities
by cross-validation (isotonic from 10,000 examples, sigmoid below, where isotonic overfits).
"logistic" (word and character n-grams into a logistic-loss linear model) is kept to compare.
"""

import math
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from civicdesk.routing.classifier import MIN_LETTERS, LoadedClassifier
from civicdesk.routing.datasets import Dataset, DatasetError, jurisdiction_zone
from civicdesk.routing.evaluation import (
    KeywordBaseline,
    by_frequency,
    coverage_table,
    label_report,
    scores_compute,
)
from civicdesk.routing.text import letter_count, text_normalise

COMPLEMENT_NB = "complement-nb"
LOGISTIC = "logistic"
MODEL_KINDS = (COMPLEMENT_NB, LOGISTIC)
DEFAULT_MIN_EXAMPLES = 20
SMALLEST_MIN_EXAMPLES = 5
DEFAULT_TEST_SHARE = 0.2
ISOTONIC_FROM_ROWS = 10_000
TEXT_VERSION = 1
COVERAGE_THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)
_CALIBRATION_FOLDS = 3
_TIMED_SINGLE_PREDICTIONS = 300


@dataclass(frozen=True)
class Prepared:
    raw: str
    text: str
    label: str
    at: datetime | None


@dataclass(frozen=True)
class Split:
    train: list[Prepared]
    test: list[Prepared]
    description: str
    test_from: datetime | None


@dataclass
class TrainingOutcome:
    """A fitted pipeline, what it can suggest, and everything measured on the way."""

    pipeline: Any
    labels: list[str]
    metrics: dict[str, Any]
    params: dict[str, Any]


def examples_prepare(dataset: Dataset) -> tuple[list[Prepared], int]:
    """Normalised examples with resident words left, and how many had none."""
    prepared = []
    for example in dataset.examples:
        text = text_normalise(example.text)
        if letter_count(text) >= MIN_LETTERS:
            prepared.append(Prepared(example.text, text, example.label, example.at))
    return prepared, len(dataset.examples) - len(prepared)


def _local(moment: datetime) -> str:
    return f"{moment.astimezone(jurisdiction_zone()):%Y-%m-%d %H:%M %Z}"


def split_by_time(
    prepared: Sequence[Prepared],
    *,
    test_from: datetime | None = None,
    test_share: float = DEFAULT_TEST_SHARE,
) -> Split:
    """Train on the earlier examples, test on the later: from `test_from` on, else the latest
    `test_share` by time (or by position when the examples have no times)."""
    if test_from is not None:
        if any(example.at is None for example in prepared):
            raise DatasetError("--test-from needs a time for every example (give --time)")
        train = [example for example in prepared if example.at and example.at < test_from]
        test = [example for example in prepared if example.at and example.at >= test_from]
        return Split(train, test, f"test from {_local(test_from)}", test_from)
    timed = all(example.at is not None for example in prepared)
    ordered = (
        sorted(prepared, key=lambda example: example.at.timestamp() if example.at else 0.0)
        if timed
        else list(prepared)
    )
    cut = len(ordered) - math.ceil(len(ordered) * test_share)
    first_test = ordered[cut].at if timed and cut < len(ordered) else None
    order = "by time" if timed else "in file order"
    when = f", from {_local(first_test)}" if first_test else ""
    return Split(ordered[:cut], ordered[cut:], f"latest {test_share:.0%} {order}{when}", first_test)


def _frequent(examples: Sequence[Prepared], min_examples: int) -> tuple[set[str], dict[str, int]]:
    counts = Counter(example.label for example in examples)
    kept = {label for label, count in counts.items() if count >= min_examples}
    dropped = {label: count for label, count in sorted(counts.items()) if label not in kept}
    return kept, dropped


def model_build(kind: str, *, rows: int) -> Any:
    """An unfitted pipeline of the given kind (see the module docstring)."""
    import numpy
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.naive_bayes import ComplementNB
    from sklearn.pipeline import FeatureUnion, Pipeline

    words = TfidfVectorizer(
        lowercase=False,
        ngram_range=(1, 2),
        min_df=3 if rows >= ISOTONIC_FROM_ROWS else 1,
        max_features=200_000,
        sublinear_tf=True,
        dtype=numpy.float32,
    )
    if kind == COMPLEMENT_NB:
        method = "isotonic" if rows >= ISOTONIC_FROM_ROWS else "sigmoid"
        calibrated = CalibratedClassifierCV(
            ComplementNB(alpha=0.3), method=method, cv=_CALIBRATION_FOLDS, ensemble=False
        )
        return Pipeline([("words", words), ("classifier", calibrated)])
    if kind == LOGISTIC:
        characters = TfidfVectorizer(
            lowercase=False,
            analyzer="char_wb",
            ngram_range=(2, 5),
            min_df=3,
            max_features=200_000,
            sublinear_tf=True,
            dtype=numpy.float32,
        )
        linear = SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=20, tol=None, random_state=0)
        features = FeatureUnion([("words", words), ("chars", characters)])
        return Pipeline([("features", features), ("classifier", linear)])
    raise ValueError(f"unknown model kind {kind!r}; use one of {', '.join(MODEL_KINDS)}")


def _check_trainable(examples: Sequence[Prepared], min_examples: int, where: str) -> None:
    labels = Counter(example.label for example in examples)
    if len(labels) < 2:
        raise DatasetError(
            f"{where}: need at least two service types with {min_examples} or more examples "
            f"each; found {len(labels)}"
        )


def _predictions_per_second(classifier: LoadedClassifier, test: Sequence[Prepared]) -> float:
    sample = [example.raw for example in test[:_TIMED_SINGLE_PREDICTIONS]]
    if not sample:
        return 0.0
    started = time.perf_counter()
    for text in sample:
        classifier.suggest(text, threshold=0.0)
    return len(sample) / (time.perf_counter() - started)


def _measure(
    measured: LoadedClassifier,
    *,
    train: Sequence[Prepared],
    test: Sequence[Prepared],
    keywords: Mapping[str, Sequence[str]],
) -> dict[str, Any]:
    """The model and both baselines on the test examples, the threshold table and the speed."""
    truth = [example.label for example in test]
    started = time.perf_counter()
    probabilities = measured.probabilities([example.text for example in test]) if test else []
    batch_seconds = time.perf_counter() - started
    rankings = [[measured.labels[index] for index in (-row).argsort()] for row in probabilities]
    best = [ranking[0] for ranking in rankings]
    prior = by_frequency(example.label for example in train)
    keyword = KeywordBaseline(keywords=keywords, prior=prior)
    return {
        "model": scores_compute(truth, rankings).as_dict()
        | {"per_label": label_report(truth, best)},
        "majority": scores_compute(truth, [prior] * len(truth)).as_dict(),
        "keyword": scores_compute(
            truth, [keyword.rank(example.text) for example in test]
        ).as_dict(),
        "coverage": coverage_table(
            truth, best, [float(row.max()) for row in probabilities], COVERAGE_THRESHOLDS
        ),
        "predictions_per_second": {
            "one_at_a_time": round(_predictions_per_second(measured, test), 1),
            "batch": round(len(test) / batch_seconds, 1) if test else 0.0,
        },
    }


def classifier_train(
    dataset: Dataset,
    *,
    kind: str = COMPLEMENT_NB,
    min_examples: int = DEFAULT_MIN_EXAMPLES,
    test_from: datetime | None = None,
    test_share: float = DEFAULT_TEST_SHARE,
    keywords: Mapping[str, Sequence[str]] | None = None,
    refit: bool = True,
    languages: Sequence[str] = ("en",),
) -> TrainingOutcome:
    """Fit on the earlier examples, score on the later beside the baselines, then (with
    `refit`) fit again on all of them. `keywords` are the keyword baseline's, per label."""
    if kind not in MODEL_KINDS:
        raise DatasetError(f"unknown model {kind!r}; use one of {', '.join(MODEL_KINDS)}")
    if min_examples < SMALLEST_MIN_EXAMPLES:
        raise DatasetError(f"--min-examples must be at least {SMALLEST_MIN_EXAMPLES}")
    prepared, without_text = examples_prepare(dataset)
    split = split_by_time(prepared, test_from=test_from, test_share=test_share)
    kept, dropped_in_train = _frequent(split.train, min_examples)
    train = [example for example in split.train if example.label in kept]
    _check_trainable(train, min_examples, "the training part")

    pipeline = model_build(kind, rows=len(train))
    started = time.perf_counter()
    pipeline.fit([example.text for example in train], [example.label for example in train])
    training_seconds = time.perf_counter() - started
    measured = LoadedClassifier(pipeline=pipeline, version=None, languages=languages)

    metrics: dict[str, Any] = {
        "split": {
            "description": split.description,
            "test_from": split.test_from.isoformat() if split.test_from else None,
            "train_rows": len(train),
            "test_rows": len(split.test),
            "labels_below_minimum_in_training": dropped_in_train,
        },
        "excluded": {"no resident text after template stripping": without_text}
        | dict(dataset.skipped),
        **_measure(
            measured,
            train=train,
            test=split.test,
            keywords=keywords or {label: [label] for label in kept},
        ),
        "training_seconds": round(training_seconds, 3),
    }

    final_labels, dropped = kept, dropped_in_train
    if refit and split.test:
        final_labels, dropped = _frequent(prepared, min_examples)
        everything = [example for example in prepared if example.label in final_labels]
        _check_trainable(everything, min_examples, "all examples")
        pipeline = model_build(kind, rows=len(everything))
        started = time.perf_counter()
        pipeline.fit(
            [example.text for example in everything], [example.label for example in everything]
        )
        metrics["refit_seconds"] = round(time.perf_counter() - started, 3)
        metrics["refit_rows"] = len(everything)
    metrics["dropped_labels"] = dropped
    metrics["label_counts"] = dict(sorted(Counter(example.label for example in prepared).items()))
    return TrainingOutcome(
        pipeline=pipeline,
        labels=sorted(str(label) for label in pipeline.classes_),
        metrics=metrics,
        params={
            "model": kind,
            "min_examples": min_examples,
            "text_version": TEXT_VERSION,
            "refit": bool(refit and split.test),
            "languages": list(languages),
        },
    )
