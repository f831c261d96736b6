"""What the browser tests put in the database: the demo jurisdiction and a few public requests.

The live server needs committed rows (each test's database is emptied afterwards), so every
test loads what it uses through the demo loaders; the catalog and districts take well under a
second. The full gazetteer takes a few seconds, so the report flow loads only the streets it
types, through the same OpenAddresses importer.
"""

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache

from civicdesk.cases.choices import CaseStatus, CloseReason
from civicdesk.cases.services.workflow import case_transition
from civicdesk.contacts.choices import Channel
from civicdesk.core.demo import DEMO_ADDRESSES, demo_catalog_load, demo_districts_load
from civicdesk.geo.services import address_import_openaddresses
from civicdesk.intake.services import IntakeSubmission, intake_submit

# A real Boston address in the demo gazetteer, inside the Jamaica Plain district.
DEMO_STREET = "Sheridan St"


def demo_jurisdiction_load() -> None:
    cache.clear()  # top tasks and other reads are cached per process, by row ids
    demo_catalog_load()
    demo_districts_load()


def demo_addresses_load(folder: Path, *, streets: tuple[str, ...] = (DEMO_STREET,)) -> int:
    """Import the demo gazetteer's rows on these streets; return how many were created."""
    subset = folder / "addresses.csv.gz"
    with (
        gzip.open(DEMO_ADDRESSES, "rt", encoding="utf-8", newline="") as source,
        gzip.open(subset, "wt", encoding="utf-8", newline="") as target,
    ):
        reader = csv.reader(source)
        writer = csv.writer(target)
        header = next(reader)
        writer.writerow(header)
        street = header.index("STREET")
        writer.writerows(row for row in reader if any(s in row[street] for s in streets))
    return address_import_openaddresses(path=subset, source="boston-demo").created


@dataclass(frozen=True)
class PublicRequests:
    open_reference: str
    closed_reference: str


def public_requests_open() -> PublicRequests:
    """Two requests from the web, one of them closed with a note the public sees."""
    opened = intake_submit(
        submission=IntakeSubmission(
            channel=Channel.WEB,
            service_code="pothole",
            description="Deep pothole in the right lane, near the bus stop.",
            lat=42.3101,
            long=-71.1145,
            address="25 Sheridan St, Jamaica Plain 02130",
            attributes={"size": "large", "lane": "travel-lane"},
        )
    ).case
    closed = intake_submit(
        submission=IntakeSubmission(
            channel=Channel.WEB,
            service_code="street-light-out",
            description="The light flickers all night.",
            lat=42.3601,
            long=-71.0589,
            address="1 City Hall Plz, Boston 02114",
            attributes={"problem": "flickering"},
        )
    ).case
    assert opened is not None and closed is not None
    case_transition(case=closed, to_status=CaseStatus.OPEN)
    case_transition(
        case=closed,
        to_status=CaseStatus.CLOSED,
        close_reason=CloseReason.RESOLVED,
        public_note="The lamp was replaced.",
    )
    return PublicRequests(open_reference=opened.reference, closed_reference=closed.reference)
