"""A demo-like classifier for the tests that need one: four public service types, one internal
one, a few dozen labelled reports in English and Spanish, trained once per test process and
saved as the active version through the same service `civicdesk routing train` uses."""

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import pytest

from civicdesk.catalog.models import ContactReason, Department, ServiceType
from civicdesk.routing.choices import TrainingSource
from civicdesk.routing.classifier import _active
from civicdesk.routing.datasets import Dataset, Example
from civicdesk.routing.models import ClassifierVersion
from civicdesk.routing.services import classifier_version_create
from civicdesk.routing.training import TrainingOutcome, classifier_train

SERVICES: dict[str, dict[str, Any]] = {
    "pothole": {
        "name": "Pothole repair",
        "name_es": "Reparación de baches",
        "public": True,
        "en": [
            "There is a deep pothole",
            "Huge hole in the road",
            "Pothole keeps getting bigger",
            "My tire burst on a pothole",
            "Crater in the asphalt",
            "Road surface broken, big hole",
        ],
        "es": ["Hay un bache enorme", "Un hoyo profundo en la calle", "Bache en el asfalto"],
    },
    "graffiti": {
        "name": "Graffiti removal",
        "name_es": "Quitar grafiti",
        "public": True,
        "en": [
            "Graffiti tag on the wall",
            "Someone spray painted the mailbox",
            "Offensive graffiti sprayed",
            "Tagging all over the bridge",
            "Paint vandalism on the school fence",
            "New graffiti on the storefront",
        ],
        "es": ["Grafiti en la pared", "Pintaron con aerosol el buzón", "Pintadas en la escuela"],
    },
    "streetlight": {
        "name": "Street light out",
        "name_es": "Farola apagada",
        "public": True,
        "en": [
            "Street light is out",
            "The lamp post keeps flickering",
            "Streetlight dark all night",
            "Light pole not working",
            "Whole block is dark, lights broken",
            "Street lamp buzzing and off",
        ],
        "es": ["La farola está apagada", "El poste de luz no funciona", "La calle está oscura"],
    },
    "missed-trash": {
        "name": "Missed trash pickup",
        "name_es": "Basura no recogida",
        "public": True,
        "en": [
            "Trash was not picked up",
            "Garbage collection missed",
            "Bins still full, truck skipped us",
            "Recycling and trash left on the curb",
            "Missed pickup on our street",
            "Garbage truck never came",
        ],
        "es": ["No recogieron la basura", "El camión de basura no pasó", "Los botes siguen llenos"],
    },
    # Crews open these themselves; residents never see or report them.
    "sewer-inspection": {
        "name": "Sewer inspection",
        "name_es": "Inspección de alcantarillado",
        "public": False,
        "en": [
            "Sewer main inspection due",
            "Camera inspection of the sewer line",
            "Sewer manhole survey",
            "Inspect sewer pipe for roots",
            "Sewer line condition check",
            "Routine sewer main survey",
        ],
        "es": [
            "Inspección de la alcantarilla",
            "Revisar el colector",
            "Cámara en el alcantarillado",
        ],
    },
}
DETAILS_EN = ["in the right lane", "near the crosswalk", "by the bus stop", "on my street"]
DETAILS_ES = ["en mi calle", "cerca de la escuela", "en la esquina", "desde el lunes"]
STREETS = ["Main St", "Elm St", "Oak Ave", "Park Rd", "Center St", "Hill St"]
START = datetime(2025, 1, 1, tzinfo=UTC)


def labelled_examples(*, per_service: int = 36, seed: int = 311) -> list[Example]:
    """Resident-like reports for each service type, two in three English, in time order."""
    chooser = random.Random(seed)
    examples = []
    for code, service in SERVICES.items():
        for number in range(per_service):
            if number % 3 == 2:
                text = f"{chooser.choice(service['es'])} {chooser.choice(DETAILS_ES)}"
            else:
                text = f"{chooser.choice(service['en'])} {chooser.choice(DETAILS_EN)}"
            text += f", {chooser.randint(1, 400)} {chooser.choice(STREETS)}"
            at = START + timedelta(minutes=chooser.randint(0, 200 * 24 * 60))
            examples.append(Example(text=text, label=code, at=at))
    return sorted(examples, key=lambda example: example.at or START)


@cache
def trained() -> TrainingOutcome:
    """The model, fitted once per test process (the fitted pipeline is only ever read)."""
    dataset = Dataset(examples=labelled_examples(), description="classifier_support reports")
    return classifier_train(dataset, min_examples=10, languages=("en", "es"))


def services_create() -> dict[str, ServiceType]:
    """The service types the model knows (kept when a test's catalog already has them), and a
    contact reason for missed trash."""
    department, _ = Department.objects.get_or_create(
        code="public-works", defaults={"name": "Public Works"}
    )
    services = {}
    for code, service in SERVICES.items():
        services[code], _ = ServiceType.objects.get_or_create(
            code=code,
            defaults={
                "name": service["name"],
                "name_es": service["name_es"],
                "default_department": department,
                "is_public": service["public"],
            },
        )
    ContactReason.objects.get_or_create(
        code="report-missed-collection",
        defaults={"name": "Report a missed collection", "service_type": services["missed-trash"]},
    )
    return services


def classifier_activate() -> ClassifierVersion:
    """Save the demo-like model as the active classifier version."""
    services_create()
    version = classifier_version_create(
        outcome=trained(), source=TrainingSource.CSV, description="classifier_support reports"
    )
    _active.clear()
    return version


@pytest.fixture
def active_classifier(db: None) -> Iterator[ClassifierVersion]:
    """The demo-like classifier, active for one test and forgotten by the process after it."""
    _active.clear()
    yield classifier_activate()
    _active.clear()
