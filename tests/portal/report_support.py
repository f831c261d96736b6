"""Helpers for the report flow's tests: a small city, a service with every kind of question,
files to upload, and a client that walks the steps."""

import csv
import io
import re
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civicdesk.cases.models import Attachment, Case, CaseEvent
from civicdesk.catalog.choices import AttributeDatatype
from civicdesk.catalog.models import AttributeValue, Department, ServiceAttribute, ServiceType
from civicdesk.contacts.models import Contact
from civicdesk.geo.choices import AreaKind
from civicdesk.geo.services import (
    address_import_openaddresses,
    area_dissolve_jurisdiction,
    area_import_geojson,
)
from civicdesk.intake.models import IdempotencyRecord
from civicdesk.people.models import ContactPoint, Resident

from .pages import page_text

# A square city around Boston's centre; every address below is inside it.
CITY = [[-71.20, 42.25], [-71.00, 42.25], [-71.00, 42.40], [-71.20, 42.40], [-71.20, 42.25]]
OUTSIDE = (40.7128, -74.0060)  # New York
SHERIDAN = (42.32137, -71.10861)
ADDRESSES = [
    # number, street, city, postcode, lat, long
    ("25", "Sheridan St", "Jamaica Plain", "02130", *SHERIDAN),
    ("22", "Sheridan St", "Jamaica Plain", "02130", 42.32150, -71.10840),
    ("1", "City Hall Sq", "Boston", "02201", 42.36030, -71.05800),
    ("1", "Center St", "Roslindale", "02131", 42.28600, -71.12900),
    ("1", "Center St", "West Roxbury", "02132", 42.28700, -71.15000),
]


def load_city(tmp_path: Path) -> None:
    """The districts, the jurisdiction boundary and a tiny gazetteer."""
    area_import_geojson(
        data={
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"code": "central", "name": "Central"},
                    "geometry": {"type": "Polygon", "coordinates": [CITY]},
                }
            ],
        },
        kind=AreaKind.DISTRICT,
        code_property="code",
        name_property="name",
    )
    area_dissolve_jurisdiction(from_kind=AreaKind.DISTRICT, code="city", name="The City")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["LON", "LAT", "NUMBER", "STREET", "UNIT", "CITY", "POSTCODE", "ID"])
    for number, (house, street, city, postcode, lat, long) in enumerate(ADDRESSES):
        writer.writerow([long, lat, house, street, "", city, postcode, f"a{number}"])
    path = tmp_path / "addresses.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    address_import_openaddresses(path=path, source="test")


def make_streetlight(department: Department) -> ServiceType:
    """A service with a question of each of the six Open311 datatypes, and a note."""
    service = ServiceType.objects.create(
        code="streetlight",
        name="Street light out",
        name_es="Farol apagado",
        description="A street light that is dark or flickering.",
        group="Streets",
        default_department=department,
        sla_value=3,
        sla_unit="calendar_days",
        required_documents=["The number on the pole, if you can see it"],
    )
    kind = ServiceAttribute.objects.create(
        service_type=service,
        code="kind",
        description="What is wrong with it?",
        description_es="¿Qué le pasa?",
        datatype=AttributeDatatype.SINGLEVALUELIST,
        required=True,
        order=1,
    )
    AttributeValue.objects.create(attribute=kind, key="dark", name="Dark", name_es="Apagado")
    AttributeValue.objects.create(attribute=kind, key="flicker", name="Flickering", order=1)
    near = ServiceAttribute.objects.create(
        service_type=service,
        code="near",
        description="What is near it?",
        datatype=AttributeDatatype.MULTIVALUELIST,
        order=2,
    )
    AttributeValue.objects.create(attribute=near, key="school", name="A school")
    AttributeValue.objects.create(attribute=near, key="park", name="A park", order=1)
    ServiceAttribute.objects.create(
        service_type=service,
        code="pole",
        description="Pole number",
        datatype=AttributeDatatype.STRING,
        order=3,
    )
    ServiceAttribute.objects.create(
        service_type=service,
        code="lights",
        description="How many lights are out?",
        datatype=AttributeDatatype.NUMBER,
        required=True,
        order=4,
    )
    ServiceAttribute.objects.create(
        service_type=service,
        code="since",
        description="Since when?",
        datatype=AttributeDatatype.DATETIME,
        order=5,
    )
    ServiceAttribute.objects.create(
        service_type=service,
        code="notes",
        description="Anything else?",
        datatype=AttributeDatatype.TEXT,
        order=6,
    )
    ServiceAttribute.objects.create(
        service_type=service,
        code="danger",
        description="If wires are hanging down, stay away and call 911.",
        datatype=AttributeDatatype.STRING,
        variable=False,
        order=0,
    )
    return service


GOOD_DETAILS = {
    "attribute-kind": "dark",
    "attribute-near": ["school", "park"],
    "attribute-pole": "BX-1042",
    "attribute-lights": "2",
    "attribute-since": "2025-03-01T21:15",
    "attribute-notes": "Whole block is dark.",
    "description": "The light in front of number 25 is out.",
}


def jpeg_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 90, 60)).save(buffer, format="JPEG")
    return buffer.getvalue()


def jpeg(name: str = "light.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def pdf(name: str = "letter.pdf") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def written() -> dict[str, int]:
    """Row counts of everything a report writes."""
    return {
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "contacts": Contact.objects.count(),
        "residents": Resident.objects.count(),
        "contact_points": ContactPoint.objects.count(),
        "attachments": Attachment.objects.count(),
        "idempotency": IdempotencyRecord.objects.count(),
    }


class Flow:
    """One resident's report, step by step, through the Django test client."""

    def __init__(self, client: Any, code: str, *, language: str = "en") -> None:
        self.client = client
        self.code = code
        self.headers = {"accept-language": language}
        response = client.post(f"/report/{code}/start/", headers=self.headers)
        assert response.status_code == 302, response
        match = re.fullmatch(rf"/report/{re.escape(code)}/([A-Za-z0-9_-]+)/details/", response.url)
        assert match, response.url
        self.draft_id = match.group(1)

    def url(self, step: str) -> str:
        return f"/report/{self.code}/{self.draft_id}/{step}/"

    def get(self, step: str, **kwargs: Any) -> Any:
        return self.client.get(self.url(step), headers=self.headers, **kwargs)

    def post(self, step: str, data: dict[str, Any], **kwargs: Any) -> Any:
        return self.client.post(self.url(step), data, headers=self.headers, **kwargs)

    def details(self, **changes: Any) -> Any:
        return self.post("details", {**GOOD_DETAILS, **changes})

    def location(self, address: str = "25 Sheridan St", **fields: Any) -> Any:
        return self.post("location", {"address": address, "action": "continue", **fields})

    def photos(self, *files: SimpleUploadedFile) -> Any:
        data: dict[str, Any] = {"action": "continue"}
        if files:
            data["photos"] = list(files)
        return self.post("photos", data)

    def contact(self, **fields: Any) -> Any:
        return self.post("contact", fields)

    def review(self, **fields: Any) -> Any:
        return self.post("review", fields)

    def to_review(self) -> None:
        """Every step with good answers, up to the review page."""
        assert self.details().status_code == 302
        assert self.location().status_code == 302
        assert self.photos().status_code == 302
        assert self.contact().status_code == 302


def errors_by_field(response: Any) -> dict[str, str]:
    """The error message shown under each field: {field id: message}."""
    return dict(
        re.findall(
            r'<span class="usa-error-message" id="([\w.-]+)-error">([^<]*)</span>',
            page_text(response),
        )
    )


def summary_links(response: Any) -> list[tuple[str, str]]:
    """(href, text) of the error summary's links."""
    text = page_text(response)
    start = text.find('id="error-summary"')
    assert start >= 0, "no error summary"
    block = text[start : text.find("</ul>", start)]
    return re.findall(r'<a class="usa-link" href="([^"]+)">([^<]*)</a>', block)
