from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

import civicdesk
from civicdesk.catalog.services import catalog_import
from civicdesk.intake.importers import CategoryMapping, load_mapping

DEMO_DIR = Path(civicdesk.__file__).resolve().parent / "demo"
DATA_DIR = DEMO_DIR / "data"
MAPPINGS_DIR = DEMO_DIR / "mappings"
BOSTON_SAMPLE = DATA_DIR / "boston-open311-sample.json.gz"
NYC_HOUR_SAMPLE = DATA_DIR / "nyc311-2022-05-01-hour.csv.gz"
NYC_SOCRATA_SAMPLE = DATA_DIR / "nyc311-2021-09-21-socrata.csv.gz"

# The demo catalog's codes, as agreed with the catalog's author; used only until
# src/civicdesk/demo/catalog.yaml exists, so these tests can run before it lands.
FALLBACK_DEPARTMENTS = [
    "public-works",
    "transportation",
    "sanitation",
    "parks",
    "inspectional-services",
    "police-nonemergency",
    "water-sewer",
    "public-health",
    "animal-care",
    "constituent-services",
]
FALLBACK_SERVICE_TYPES = [
    "pothole",
    "sidewalk-repair",
    "street-light-out",
    "graffiti-removal",
    "sidewalk-not-shoveled",
    "snow-plowing",
    "street-cleaning",
    "curb-repair",
    "illegal-parking",
    "abandoned-vehicle",
    "blocked-driveway",
    "traffic-signal",
    "street-sign",
    "parking-meter",
    "missed-trash",
    "missed-recycling",
    "bulk-item-pickup",
    "illegal-dumping",
    "overflowing-litter-basket",
    "dirty-conditions",
    "tree-damaged",
    "tree-planting-request",
    "tree-overgrown",
    "park-maintenance",
    "heat-hot-water",
    "unsanitary-condition",
    "building-plumbing",
    "building-structural",
    "elevator",
    "illegal-construction",
    "rodent",
    "noise-residential",
    "noise-commercial",
    "noise-street",
    "noise-vehicle",
    "sewer-backup",
    "water-leak",
    "hydrant",
    "food-establishment",
    "air-quality",
    "lead-hazard",
    "animal-abuse",
    "dead-animal",
    "loose-dog",
    "general-request",
    "homeless-assistance",
    "consumer-complaint",
]


def demo_catalog_document() -> dict[str, object]:
    path = DEMO_DIR / "catalog.yaml"
    if path.exists():
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        "departments": [{"code": code, "name": code} for code in FALLBACK_DEPARTMENTS],
        "service_types": [
            {"code": code, "name": code, "department": "constituent-services"}
            for code in FALLBACK_SERVICE_TYPES
        ],
    }


@pytest.fixture
def catalog(db: None) -> None:
    catalog_import(data=demo_catalog_document())


@pytest.fixture
def boston_mapping() -> CategoryMapping:
    return load_mapping(MAPPINGS_DIR / "boston-open311.yaml")


@pytest.fixture
def nyc_mapping() -> CategoryMapping:
    return load_mapping(MAPPINGS_DIR / "nyc311.yaml")


@pytest.fixture
def transactional_catalog(transactional_db: None) -> Iterator[None]:
    catalog_import(data=demo_catalog_document())
    yield
