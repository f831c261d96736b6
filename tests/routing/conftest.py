import csv
import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from civicdesk.catalog.services import catalog_import
from civicdesk.routing.classifier import _active

# Four service types with the words residents use for them, and the Boston-style form some
# intake systems put in front of the resident's words.
SERVICES: dict[str, dict[str, Any]] = {
    "pothole": {
        "name": "Pothole",
        "keywords": ["pothole", "hole in the road"],
        "openings": [
            "There is a deep pothole",
            "Huge hole in the road",
            "Pothole keeps getting bigger",
            "My tire burst on a pothole",
            "Crater in the asphalt",
            "Road surface broken, big hole",
        ],
        "details": ["in the right lane", "near the crosswalk", "by the bus stop", "after the rain"],
    },
    "graffiti": {
        "name": "Graffiti removal",
        "keywords": ["graffiti", "spray paint"],
        "openings": [
            "Graffiti tag on the wall",
            "Someone spray painted the mailbox",
            "Offensive graffiti sprayed",
            "Tagging all over the bridge",
            "Paint vandalism on the school fence",
            "New graffiti on the storefront",
        ],
        "details": ["facing the park", "on the corner", "near the library", "again this week"],
    },
    "streetlight": {
        "name": "Street light out",
        "keywords": ["street light", "lamp"],
        "openings": [
            "Street light is out",
            "The lamp post keeps flickering",
            "Streetlight dark all night",
            "Light pole not working",
            "Whole block is dark, lights broken",
            "Street lamp buzzing and off",
        ],
        "details": ["on my street", "since Monday", "at the intersection", "near the playground"],
    },
    "missed-trash": {
        "name": "Missed trash pickup",
        "keywords": ["trash", "garbage", "pickup"],
        "openings": [
            "Trash was not picked up",
            "Garbage collection missed",
            "Bins still full, truck skipped us",
            "Recycling and trash left on the curb",
            "Missed pickup on our street",
            "Garbage truck never came",
        ],
        "details": ["this week", "again", "on Tuesday", "for the whole block"],
    },
}
STREETS = ["Main St", "Elm St", "Oak Ave", "Park Rd", "Center St", "Hill St"]
START = datetime(2024, 1, 1, tzinfo=UTC)


def synthetic_rows(per_service: int = 40, seed: int = 311) -> list[dict[str, str]]:
    """Realistic-looking resident reports, spread over 2024 in time order."""
    chooser = random.Random(seed)
    rows = []
    for code, service in SERVICES.items():
        for _ in range(per_service):
            text = (
                f"{chooser.choice(service['openings'])} {chooser.choice(service['details'])} "
                f"at {chooser.randint(1, 400)} {chooser.choice(STREETS)}"
            )
            if chooser.random() < 0.2:
                text = f"Exact location: front | Details: {text} | Color: GREY"
            at = START + timedelta(minutes=chooser.randint(0, 365 * 24 * 60))
            rows.append({"description": text, "category": code, "requested": at.isoformat()})
    return sorted(rows, key=lambda row: row["requested"])


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def catalog_document(codes: list[str] | None = None) -> dict[str, Any]:
    return {
        "format": "civicdesk-catalog/1",
        "departments": [{"code": "pw", "name": "Public Works"}],
        "service_types": [
            {
                "code": code,
                "name": SERVICES[code]["name"],
                "keywords": SERVICES[code]["keywords"],
                "department": "pw",
            }
            for code in (codes or list(SERVICES))
        ],
    }


@pytest.fixture(autouse=True)
def _fresh_classifier() -> Iterator[None]:
    # The active classifier is held per process; tests roll back the rows it was loaded from.
    _active.clear()
    yield
    _active.clear()


@pytest.fixture
def catalog(db: None) -> None:
    catalog_import(data=catalog_document())


@pytest.fixture
def training_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "reports.csv", synthetic_rows())


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One model fitted on the synthetic reports, shared by the tests that only need one."""
    from civicdesk.routing.datasets import dataset_from_csv
    from civicdesk.routing.training import classifier_train

    path = write_csv(tmp_path_factory.mktemp("routing") / "reports.csv", synthetic_rows())
    dataset = dataset_from_csv(
        path=path, text_column="description", label_column="category", time_column="requested"
    )
    return dataset, classifier_train(dataset, min_examples=10)


@pytest.fixture
def train_version(catalog: None, trained: Any) -> Callable[..., Any]:
    """Save the shared model as a new version, through the service the command uses."""
    from civicdesk.routing.choices import TrainingSource
    from civicdesk.routing.services import classifier_version_create

    dataset, outcome = trained

    def save(*, activate: bool = True) -> Any:
        return classifier_version_create(
            outcome=outcome,
            source=TrainingSource.CSV,
            description=dataset.description,
            activate=activate,
        )

    return save
