import pytest

from civicdesk.catalog.choices import AttributeDatatype, SlaUnit
from civicdesk.catalog.models import (
    AttributeValue,
    ContactReason,
    Department,
    ServiceAttribute,
    ServiceType,
)


@pytest.fixture
def department(db):
    return Department.objects.create(code="public-works", name="Public Works")


@pytest.fixture
def pothole(department):
    service = ServiceType.objects.create(
        code="pothole",
        name="Pothole",
        group="Streets",
        default_department=department,
        sla_value=3,
        sla_unit=SlaUnit.CALENDAR_DAYS,
    )
    size = ServiceAttribute.objects.create(
        service_type=service,
        code="size",
        datatype=AttributeDatatype.SINGLEVALUELIST,
        required=True,
        description="How big is the pothole?",
        order=1,
    )
    for order, (key, name) in enumerate([("small", "Smaller than a plate"), ("large", "Larger")]):
        AttributeValue.objects.create(attribute=size, key=key, name=name, order=order)
    ServiceAttribute.objects.create(
        service_type=service,
        code="depth_cm",
        datatype=AttributeDatatype.NUMBER,
        required=False,
        description="Depth in centimetres",
        order=2,
    )
    return service


@pytest.fixture
def status_check_reason(db):
    return ContactReason.objects.create(code="status-check", name="Status check on a request")


@pytest.fixture
def square_jurisdiction(db):
    from civicdesk.geo.choices import AreaKind
    from civicdesk.geo.services import area_dissolve_jurisdiction, area_import_geojson

    area_import_geojson(
        data={
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"code": "d1", "name": "District 1"},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [
                            [
                                [-71.2, 42.2],
                                [-71.0, 42.2],
                                [-71.0, 42.4],
                                [-71.2, 42.4],
                                [-71.2, 42.2],
                            ]
                        ],
                    },
                }
            ],
        },
        kind=AreaKind.DISTRICT,
        code_property="code",
        name_property="name",
    )
    return area_dissolve_jurisdiction(from_kind=AreaKind.DISTRICT, code="city", name="The City")
