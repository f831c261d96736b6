"""The demo trains a classifier from its own Boston cases, so suggestions work out of the box."""

import pytest

from civicdesk.core.demo import (
    DEMO_OPEN311_MAPPING,
    DEMO_OPEN311_SAMPLE,
    demo_catalog_load,
    demo_classifier_train,
    demo_districts_load,
)
from civicdesk.intake.importers import import_open311, load_mapping
from civicdesk.routing.classifier import classify
from civicdesk.routing.models import ClassifierVersion


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_classifier_suggests_from_the_start_and_is_trained_once():
    demo_catalog_load()
    demo_districts_load()
    import_open311(
        path=DEMO_OPEN311_SAMPLE,
        mapping=load_mapping(DEMO_OPEN311_MAPPING),
        source="boston-open311",
        progress=False,
    )

    (line,) = demo_classifier_train()
    assert line.startswith("version 1: 4 service types")
    version = ClassifierVersion.objects.get()
    assert version.is_active
    assert version.metric("macro_f1") > 0.7
    assert set(version.labels) == {
        "abandoned-vehicle",
        "general-request",
        "illegal-parking",
        "sidewalk-not-shoveled",
    }

    assert classify("Car parked on the sidewalk blocking the ramp").service_code == (
        "illegal-parking"
    )
    assert classify("nobody shoveled the sidewalk, it is solid ice").service_code == (
        "sidewalk-not-shoveled"
    )
    assert classify("").needs_triage

    assert "exists, kept" in demo_classifier_train()[0]
    assert ClassifierVersion.objects.count() == 1
