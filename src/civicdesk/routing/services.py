"""Writes for routing: training and saving classifier versions, and choosing the active one."""

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from civicdesk.routing.choices import TrainingSource
from civicdesk.routing.classifier import classifier_changed
from civicdesk.routing.datasets import Dataset, DatasetError
from civicdesk.routing.models import ClassifierVersion
from civicdesk.routing.selectors import service_codes_active, service_type_keywords
from civicdesk.routing.serialization import MODEL_FORMAT, model_dump
from civicdesk.routing.training import (
    COMPLEMENT_NB,
    DEFAULT_MIN_EXAMPLES,
    TrainingOutcome,
    classifier_train,
)

_NUMBER_ATTEMPTS = 3


def _activate(version: ClassifierVersion) -> None:
    ClassifierVersion.objects.filter(is_active=True).exclude(pk=version.pk).update(is_active=False)
    version.is_active = True
    version.activated_at = timezone.now()
    version.save(update_fields=["is_active", "activated_at"])
    classifier_changed()


def classifier_version_create(
    *,
    outcome: TrainingOutcome,
    source: TrainingSource,
    description: str,
    activate: bool = True,
) -> ClassifierVersion:
    """Save a trained classifier as the next version, and make it the active one unless told
    not to. Every process switches to it within `CIVICDESK_ROUTING_CACHE_CHECK_SECONDS`."""
    model = model_dump(outcome.pipeline)
    for attempt in range(_NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                latest = ClassifierVersion.objects.aggregate(latest=Max("number"))["latest"]
                version = ClassifierVersion(
                    number=(latest or 0) + 1,
                    source=source,
                    description=description,
                    labels=outcome.labels,
                    languages=list(outcome.params.get("languages") or ["en"]),
                    metrics=outcome.metrics,
                    params=outcome.params,
                    model=model,
                    model_format=MODEL_FORMAT,
                    size_bytes=len(model),
                )
                version.full_clean()
                version.save()
                if activate:
                    _activate(version)
                return version
        except IntegrityError:
            # Two trainings finishing together drew the same number; the later one retries.
            if attempt == _NUMBER_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def classifier_version_activate(*, version: ClassifierVersion) -> ClassifierVersion:
    """Make this version the one every process classifies with (going back is allowed)."""
    with transaction.atomic():
        _activate(version)
    return version


def classifier_deactivate() -> ClassifierVersion | None:
    """Switch classification off: every text then goes to triage. Returns the version that
    was active, if any."""
    with transaction.atomic():
        version = ClassifierVersion.objects.filter(is_active=True).only("id", "number").first()
        if version is None:
            return None
        ClassifierVersion.objects.filter(pk=version.pk).update(is_active=False)
        version.is_active = False
        classifier_changed()
    return version


def labels_check_routable(dataset: Dataset) -> None:
    """Refuse labels that are not active service codes: a saved model must only ever suggest
    what the catalog can take."""
    unknown = {example.label for example in dataset.examples} - service_codes_active()
    if unknown:
        listed = ", ".join(repr(label) for label in sorted(unknown)[:8])
        more = f" and {len(unknown) - 8} more" if len(unknown) > 8 else ""
        raise DatasetError(
            f"labels {listed}{more} are not active service codes in the catalog: map them to "
            "codes with --label-map FILE, or measure on raw labels with `civicdesk routing "
            "evaluate`"
        )


def classifier_train_and_save(
    *,
    dataset: Dataset,
    source: TrainingSource,
    kind: str = COMPLEMENT_NB,
    min_examples: int = DEFAULT_MIN_EXAMPLES,
    test_from: datetime | None = None,
    refit: bool = True,
    languages: Sequence[str] = ("en",),
    activate: bool = True,
) -> tuple[ClassifierVersion, TrainingOutcome]:
    """Train on `dataset` (labels must be service codes), measure, save as a new version."""
    labels_check_routable(dataset)
    outcome = classifier_train(
        dataset,
        kind=kind,
        min_examples=min_examples,
        test_from=test_from,
        keywords=service_type_keywords({example.label for example in dataset.examples}),
        refit=refit,
        languages=languages,
    )
    version = classifier_version_create(
        outcome=outcome, source=source, description=dataset.description, activate=activate
    )
    return version, outcome
