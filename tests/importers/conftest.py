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


def demo_catalog_document() -> dict[str, object]:
    return yaml.safe_load((DEMO_DIR / "catalog.yaml").read_text(encoding="utf-8"))


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
