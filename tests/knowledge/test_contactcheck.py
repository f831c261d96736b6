"""Contact details in articles: well-formed, and the catalog's for what the city writes."""

import pytest

from civicdesk.catalog.models import Department
from civicdesk.knowledge.contactcheck import (
    ADDRESS,
    EMAIL,
    HOURS,
    PHONE,
    DepartmentRecord,
    article_contact_problems,
    time_ranges,
)

SANITATION = Department(
    code="sanitation",
    name="Sanitation",
    phone="617-555-0103",
    email="sanitation@city.example",
    hours="Mon-Fri 7:00 a.m.-4:00 p.m.",
    address="1 City Hall Sq., Boston, MA 02201",
)
PARKS = Department(
    code="parks",
    name="Parks",
    phone="(617) 555-0104",
    email="parks@city.example",
    address="1010 Massachusetts Avenue, Boston, MA 02118",
)
RECORD = DepartmentRecord.of([SANITATION, PARKS])


def _problems(body: str, *, source_url: str = "", owner: Department | None = SANITATION):
    return [
        (p.kind, p.text)
        for p in article_contact_problems(
            title="T", summary="S", body=body, source_url=source_url, owner=owner, record=RECORD
        )
    ]


def test_numbers_and_addresses_on_record_pass():
    body = (
        "Call 617-555-0103 or Parks at 617.555.0104, or 311. Write to "
        "sanitation@city.example. Our office is open Mon-Fri 7:00 a.m. to 4:00 p.m. "
        "Visit 1 City Hall Square, Boston, MA 02201."
    )
    assert _problems(body) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Call 617-555-9999.", [(PHONE, "617-555-9999")]),
        ("Call 617-555-01 today.", [(PHONE, "617-555-01")]),
        ("Call (123) 456-7890.", [(PHONE, "(123) 456-7890")]),
        ("Write to trash@elsewhere.example.", [(EMAIL, "trash@elsewhere.example")]),
        ("Write to bad@@city.example.", []),
        ("We are open 8:00 a.m. to 4:00 p.m.", [(HOURS, "8:00 a.m. to 4:00 p.m.")]),
        ("Hours: 13 p.m. to 5 p.m.", [(HOURS, "13 p.m. to 5 p.m.")]),
        ("The office is open 5:00 p.m. to 9:00 a.m.", [(HOURS, "5:00 p.m. to 9:00 a.m.")]),
        ("Come by 100 Main Street, Boston, MA 0221.", [(ADDRESS, "Street, Boston, MA 0221")]),
        (
            "Our office is at 10 City Hall Square, Boston, MA 02201.",
            [(ADDRESS, "10 City Hall Square, Boston, MA 02201")],
        ),
        ("Visit Parks at 1010 Massachusetts Ave, Boston, MA 02118.", []),
        # An address that is not about visiting the city (a drop-off site) is not checked.
        ("Bring paint to 400 Frontage Road, Boston, MA 02118 on Saturdays.", []),
    ],
)
def test_problems_are_found(body, expected):
    assert _problems(body) == expected


def test_times_that_are_not_opening_hours_are_left_alone():
    # Quiet hours overnight, and a pickup window, are not the department's office hours.
    assert _problems("Quiet time is 10 p.m. to 7 a.m. Put bins out 6 a.m.-7 a.m.") == []


def test_another_agencys_page_is_only_checked_for_form():
    body = (
        "Call the state line at 1-866-207-2880, or 617-555-01. Open 9 a.m. to 5 p.m. "
        "Visit 24 Beacon Street, Boston, MA 02133."
    )
    assert _problems(body, source_url="https://state.example.gov/faq") == [(PHONE, "617-555-01")]


def test_spanish_text_is_checked_too():
    assert _problems("La oficina atiende de 8:00 a.m. a 4:00 p.m.") == [
        (HOURS, "8:00 a.m. a 4:00 p.m.")
    ]
    assert _problems("Horario: de 7:00 a.m. a 4:00 p.m.") == []


def test_time_ranges():
    assert time_ranges("7:00 a.m.-4:00 p.m.; 8 a 5 p.m.; 8-11 a.m.; 17:00-18:75; 5 to 10") == [
        ("7:00 a.m.-4:00 p.m.", 420, 960),
        ("8 a 5 p.m.", 480, 1020),
        ("8-11 a.m.", 480, 660),
        ("17:00-18:75", 1020, None),
    ]
