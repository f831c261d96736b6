"""Saved versions: the model round-trips through the database, one is active, every process
follows the active one, and bytes this deployment did not write are never unpickled."""

import collections

import numpy
import pytest
from django.db import IntegrityError, transaction

from civicdesk.core.revisions import revision_bump
from civicdesk.routing.choices import TrainingSource, TriageReason
from civicdesk.routing.classifier import ROUTING_REVISION, classify
from civicdesk.routing.datasets import dataset_from_csv
from civicdesk.routing.models import ClassifierVersion
from civicdesk.routing.selectors import classifier_version_active
from civicdesk.routing.serialization import ModelIntegrityError, model_dump, model_load
from civicdesk.routing.services import (
    classifier_deactivate,
    classifier_version_activate,
    classifier_version_create,
)
from civicdesk.routing.training import classifier_train

TEXTS = ["Huge hole in the road", "graffiti on the wall", "the lamp post is dark"]


@pytest.mark.django_db
def test_a_saved_model_answers_exactly_as_it_did_before_saving(catalog, training_csv):
    dataset = dataset_from_csv(
        path=training_csv, text_column="description", label_column="category"
    )
    outcome = classifier_train(dataset, min_examples=10)
    version = classifier_version_create(
        outcome=outcome, source=TrainingSource.CSV, description=dataset.description
    )

    stored = ClassifierVersion.objects.get(pk=version.pk)
    loaded = model_load(stored.model)
    assert stored.size_bytes == len(bytes(stored.model)) > 1000
    assert stored.labels == sorted(loaded.classes_)
    assert stored.metrics["model"]["macro_f1"] > 0.9
    assert stored.params["model"] == "complement-nb"
    assert stored.languages == ["en"]
    assert stored.description == "reports.csv: column 'description' → 'category'"
    numpy.testing.assert_array_equal(
        loaded.predict_proba(TEXTS), outcome.pipeline.predict_proba(TEXTS)
    )


@pytest.mark.django_db
def test_a_new_version_takes_over_and_an_old_one_can_come_back(train_version):
    first = train_version()
    second = train_version()
    assert (first.number, second.number) == (1, 2)
    assert list(ClassifierVersion.objects.filter(is_active=True).values_list("number")) == [(2,)]
    assert classify("Huge hole in the road").model_version == 2

    classifier_version_activate(version=first)
    assert classify("Huge hole in the road").model_version == 1

    unsaved = train_version(activate=False)
    assert not unsaved.is_active
    assert classify("Huge hole in the road").model_version == 1

    assert classifier_deactivate().number == 1
    assert classify("Huge hole in the road").reason == TriageReason.NO_MODEL
    assert classifier_deactivate() is None


@pytest.mark.django_db
def test_the_database_refuses_two_active_versions(train_version):
    train_version()
    second = train_version(activate=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClassifierVersion.objects.filter(pk=second.pk).update(is_active=True)


@pytest.mark.django_db(transaction=True)
def test_a_process_keeps_its_model_until_the_routing_revision_moves(
    train_version, settings, django_assert_num_queries
):
    settings.CIVICDESK_ROUTING_CACHE_CHECK_SECONDS = 60
    settings.CIVICDESK_CATALOG_CACHE_CHECK_SECONDS = 60
    first = train_version()
    second = train_version()
    assert classify("Huge hole in the road").model_version == second.number
    with django_assert_num_queries(0):
        assert classify("graffiti on the wall").model_version == second.number

    # Another process activates the first version: it changes the rows and bumps the revision,
    # but cannot clear this process's copy.
    with transaction.atomic():
        ClassifierVersion.objects.filter(pk=second.pk).update(is_active=False)
        ClassifierVersion.objects.filter(pk=first.pk).update(is_active=True)
        revision_bump(ROUTING_REVISION)
    assert classify("Huge hole in the road").model_version == second.number

    settings.CIVICDESK_ROUTING_CACHE_CHECK_SECONDS = 0
    assert classify("Huge hole in the road").model_version == first.number


@pytest.mark.django_db
def test_bytes_changed_in_the_database_are_refused_and_classification_stops(train_version):
    version = train_version()
    tampered = bytearray(bytes(version.model))
    tampered[-10] ^= 0xFF
    ClassifierVersion.objects.filter(pk=version.pk).update(model=bytes(tampered))

    with pytest.raises(ModelIntegrityError, match="signature"):
        model_load(classifier_version_active().model)
    assert classify("Huge hole in the road").reason == TriageReason.NO_MODEL


def test_a_model_signed_with_another_key_is_refused_unless_it_is_a_fallback(settings):
    settings.SECRET_KEY = "the-old-key-" * 4
    data = model_dump({"weights": [1, 2, 3]})
    settings.SECRET_KEY = "the-new-key-" * 4
    with pytest.raises(ModelIntegrityError):
        model_load(data)
    settings.SECRET_KEY_FALLBACKS = ["the-old-key-" * 4]
    assert model_load(data) == {"weights": [1, 2, 3]}


def test_only_scikit_learn_and_numpy_types_are_unpickled_even_when_signed():
    with pytest.raises(ModelIntegrityError, match=r"collections\.OrderedDict"):
        model_load(model_dump(collections.OrderedDict(a=1)))
    with pytest.raises(ModelIntegrityError, match=r"(posix|os)\.system"):
        model_load(model_dump(_Exploit()))


class _Exploit:
    def __reduce__(self):
        import os

        return (os.system, ("echo should-never-run",))
