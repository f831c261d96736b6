"""The committed Boston demo gazetteer loads, lands in the right districts and answers searches."""

import csv
import gzip

import pytest

from civicdesk.core.demo import DEMO_ADDRESSES, demo_addresses_load, demo_districts_load
from civicdesk.geo.models import Address
from civicdesk.geo.openaddresses import COLUMNS
from civicdesk.geo.selectors import address_nearest, address_search

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_file_is_small_openaddresses_csv():
    assert DEMO_ADDRESSES.stat().st_size < 1_500_000
    with gzip.open(DEMO_ADDRESSES, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    assert header == [*COLUMNS, "ID", "HASH"]
    assert 3_000 <= len(rows) <= 20_000
    assert len({row[9] for row in rows}) == len(rows)  # unique IDs
    assert all(row[4] == "" for row in rows)  # no apartment numbers


def test_demo_addresses_load_idempotently_into_the_districts():
    demo_districts_load()
    first = demo_addresses_load()
    assert first.created > 10_000
    assert first.skipped_total == 0
    count = Address.objects.count()
    assert Address.objects.filter(district__isnull=True).count() < count / 100

    again = demo_addresses_load()
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    assert Address.objects.count() == count

    (sheridan, *_rest) = address_search("25 Sheridan St")
    assert sheridan.label == "25 Sheridan St, Jamaica Plain 02130"
    assert sheridan.district_code == "jamaica-plain"
    (city_hall, *_rest) = address_search("1 City Hall Plz, Boston, MA 02114")
    assert city_hall.label == "1 City Hall Plz, Boston 02114"
    assert city_hall.district_code == "downtown-government-center"

    pin = address_nearest(city_hall.lat + 0.0001, city_hall.long)
    assert pin is not None
    assert pin.distance_metres < 75
    assert pin.district_code == "downtown-government-center"
