"""Resident text → a suggested service type, from the active classifier version.

`classify(text)` is what the portal, the assistant and the channel adapters call. The active
version is loaded once per process and kept until the `routing` revision moves (a version is
activated or switched off anywhere); the revision is read at most every
`CIVICDESK_ROUTING_CACHE_CHECK_SECONDS`. Text that is empty, too short, unreadable, enormous, in
a language the model was not trained on, made only of words it never saw, or that the model is
not sure enough about (`CIVICDESK_ROUTING_CONFIDENCE`) gets `needs_triage` and no service
code: a person decides, never a guess.
"""

import logging
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from civicdesk.catalog.cache import service_type_active_get
from civicdesk.core.revisions import RevisionMemo, revision_bump
from civicdesk.routing.choices import TriageReason
from civicdesk.routing.serialization import ModelIntegrityError, model_load
from civicdesk.routing.text import letter_count, text_normalise

logger = logging.getLogger(__name__)

ROUTING_REVISION = "routing"
MIN_LETTERS = 3
MAX_TEXT_CHARS = 10_000
TOP = 3
_UNREADABLE_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})


@dataclass(frozen=True)
class Suggestion:
    """What the classifier makes of a text.

    `service_code` is set only when the text can be routed without a person; otherwise
    `needs_triage` is true, `reason` says why (a `TriageReason`) and `top` still lists the
    likeliest service types, when there are any, for the person who triages it.
    """

    service_code: str | None
    confidence: float
    top: list[tuple[str, float]] = field(default_factory=list)
    needs_triage: bool = True
    reason: str = ""
    model_version: int | None = None


def _triage(
    reason: TriageReason, *, version: int | None, top: Sequence[tuple[str, float]] = ()
) -> Suggestion:
    return Suggestion(
        service_code=None,
        confidence=top[0][1] if top else 0.0,
        top=list(top),
        needs_triage=True,
        reason=reason.value,
        model_version=version,
    )


def unreadable(text: str) -> bool:
    """Binary or mangled input: NUL bytes, or more than 1 in 20 characters control codes,
    unassigned code points or decoding errors (U+FFFD)."""
    if "\x00" in text:
        return True
    sample = text[:2000]
    bad = sum(
        1
        for char in sample
        if char == "\ufffd"
        or (char not in "\n\r\t" and unicodedata.category(char) in _UNREADABLE_CATEGORIES)
    )
    return bad > max(2, len(sample) // 20)


def word_vectorizer(pipeline: Any) -> Any:
    """The word-level vectorizer of a pipeline built by `routing.training`."""
    steps = pipeline.named_steps
    if "words" in steps:
        return steps["words"]
    return dict(steps["features"].transformer_list)["words"]


def _primary_language(language: str) -> str:
    return language.replace("_", "-").split("-")[0].casefold()


class LoadedClassifier:
    """A fitted pipeline ready to answer, with the checks that come before the model."""

    def __init__(self, *, pipeline: Any, version: int | None, languages: Sequence[str]) -> None:
        self.pipeline = pipeline
        self.version = version
        self.labels = [str(label) for label in pipeline.classes_]
        self.languages = frozenset(_primary_language(language) for language in languages)
        vectorizer = word_vectorizer(pipeline)
        self._analyzer = vectorizer.build_analyzer()
        self._vocabulary = vectorizer.vocabulary_

    def probabilities(self, normalised_texts: Sequence[str]) -> Any:
        """Each text's probability per label (rows in order, columns as `labels`)."""
        return self.pipeline.predict_proba(list(normalised_texts))

    def knows_a_word(self, normalised_text: str) -> bool:
        return any(term in self._vocabulary for term in self._analyzer(normalised_text))

    def suggest(
        self,
        text: str,
        *,
        language: str | None = None,
        threshold: float,
        allowed: Callable[[str], bool] | None = None,
    ) -> Suggestion:
        if len(text) > MAX_TEXT_CHARS:
            return _triage(TriageReason.TOO_LONG, version=self.version)
        if unreadable(text):
            return _triage(TriageReason.UNREADABLE, version=self.version)
        normalised = text_normalise(text)
        if letter_count(normalised) < MIN_LETTERS:
            return _triage(TriageReason.EMPTY, version=self.version)
        if language and self.languages and _primary_language(language) not in self.languages:
            return _triage(TriageReason.LANGUAGE, version=self.version)
        if not self.knows_a_word(normalised):
            return _triage(TriageReason.NO_KNOWN_WORDS, version=self.version)
        row = self.probabilities([normalised])[0]
        ranked = sorted(zip(self.labels, row, strict=True), key=lambda pair: -pair[1])
        top = [
            (label, round(float(probability), 4))
            for label, probability in ranked
            if allowed is None or allowed(label)
        ][:TOP]
        if not top or top[0][1] < threshold:
            return _triage(TriageReason.LOW_CONFIDENCE, version=self.version, top=top)
        return Suggestion(
            service_code=top[0][0],
            confidence=top[0][1],
            top=top,
            needs_triage=False,
            model_version=self.version,
        )


@dataclass(frozen=True)
class _Active:
    classifier: LoadedClassifier | None


def _load_active() -> _Active:
    from civicdesk.routing.selectors import classifier_version_active

    version = classifier_version_active()
    if version is None:
        return _Active(None)
    try:
        pipeline = model_load(version.model)
    except ModelIntegrityError:
        logger.exception("classifier v%s cannot be loaded; classification is off", version.number)
        return _Active(None)
    return _Active(
        LoadedClassifier(pipeline=pipeline, version=version.number, languages=version.languages)
    )


_active = RevisionMemo(
    ROUTING_REVISION,
    _load_active,
    check_seconds=lambda: float(getattr(settings, "CIVICDESK_ROUTING_CACHE_CHECK_SECONDS", 5.0)),
)


def classifier_changed() -> None:
    """Record that the active classifier changed: call inside the writing transaction."""
    revision_bump(ROUTING_REVISION)
    _active.clear()
    transaction.on_commit(_active.clear)


def _routable(code: str) -> bool:
    return service_type_active_get(code) is not None


def classify(text: str, language: str | None = None) -> Suggestion:
    """Suggest the service type for a resident's text with the active classifier.

    `language` is the language the text is written in, when known (`"es"`, `"en-US"`).
    Service types the catalog no longer has active are never suggested.
    """
    classifier = _active.get().classifier
    if classifier is None:
        return _triage(TriageReason.NO_MODEL, version=None)
    return classifier.suggest(
        text,
        language=language,
        threshold=float(getattr(settings, "CIVICDESK_ROUTING_CONFIDENCE", 0.6)),
        allowed=_routable,
    )
