"""Open311 GET documents as plain dicts and lists, ready for `formats.render` in JSON or XML.

Every dict is built from an allow-list of fields; requests reuse the cases app's public record,
so nothing about residents, staff or internal notes can reach these documents.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from civicdesk.cases.models import Case
from civicdesk.cases.public import case_public_record, public_datetime, public_record_from_values
from civicdesk.catalog.choices import LIST_DATATYPES
from civicdesk.catalog.models import ServiceAttribute, ServiceType
from civicdesk.open311.jurisdictions import ServedJurisdiction
from civicdesk.open311.selectors import ListedService, PublicUpdate

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
DISCOVERY_FORMATS = ["text/xml", "application/json"]
# The service catalog keeps no change times yet, so the changeset is the date this API's
# documents last changed shape; bump it with any change a client could notice.
DISCOVERY_CHANGESET = datetime(2026, 11, 23, tzinfo=UTC)

AbsoluteUrl = Callable[[str], str]


def discovery_document(
    *, endpoint_url: str, jurisdictions: Sequence[ServedJurisdiction] = ()
) -> dict[str, Any]:
    """Service discovery: where the GeoReport v2 endpoint is and what it speaks.

    A server with several jurisdictions also lists them (`jurisdictions`, the ids clients send);
    a single-jurisdiction server's document is the plain GeoReport one.
    """
    changeset = public_datetime(DISCOVERY_CHANGESET)
    name = (
        jurisdictions[0].name
        if len(jurisdictions) == 1
        else str(settings.CIVICDESK_JURISDICTION_NAME)
    )
    document: dict[str, Any] = {
        "changeset": changeset,
        "contact": f"{name}: call 311, or use the city's 311 website.",
        "key_service": f"Ask the {name} 311 team for an API key to post requests; "
        "reading needs no key.",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint_url,
                "changeset": changeset,
                "type": "production",
                "formats": list(DISCOVERY_FORMATS),
            }
        ],
    }
    if jurisdictions:
        document["jurisdictions"] = [
            {"jurisdiction_id": item.jurisdiction_id, "name": item.name} for item in jurisdictions
        ]
    return document


def service_item(service_type: ListedService) -> dict[str, Any]:
    """One entry of the service list; `metadata` says whether a definition has attributes."""
    keywords = service_type.keywords if isinstance(service_type.keywords, list) else []
    return {
        "service_code": service_type.code,
        "service_name": service_type.name,
        "description": service_type.description,
        "metadata": bool(service_type.has_attributes),
        "type": service_type.kind,
        "keywords": ", ".join(str(keyword) for keyword in keywords),
        "group": service_type.group,
    }


def _attribute(attribute: ServiceAttribute) -> dict[str, Any]:
    values = (
        [{"key": value.key, "name": value.name} for value in attribute.values.all()]
        if attribute.datatype in LIST_DATATYPES
        else []
    )
    return {
        "variable": attribute.variable,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": attribute.datatype_description,
        "order": attribute.order,
        "description": attribute.description,
        "values": values,
    }


def service_definition(service_type: ServiceType) -> dict[str, Any]:
    """The service definition: the questions a request for this service asks."""
    return {
        "service_code": service_type.code,
        "attributes": [_attribute(attribute) for attribute in service_type.attributes.all()],
    }


def _absolute_media(record: dict[str, Any], absolute_url: AbsoluteUrl) -> None:
    # Stored photos have site-relative URLs; a client on another host needs the full address.
    media_url = record.get("media_url")
    if isinstance(media_url, str) and media_url.startswith("/"):
        record["media_url"] = absolute_url(media_url)


def _attribute_list(attributes: Any) -> list[dict[str, Any]]:
    # A list of {code, value} rather than an object keyed by code: attribute codes may start
    # with a digit, which no XML element name may, and JSON mirrors the XML.
    if not isinstance(attributes, dict):
        return []
    return [{"code": str(code), "value": value} for code, value in attributes.items()]


def request_record(case: Case, *, extensions: bool, absolute_url: AbsoluteUrl) -> dict[str, Any]:
    """One service request; with `extensions`, also its attributes and public notes."""
    record = case_public_record(case, extensions=extensions)
    _absolute_media(record, absolute_url)
    if extensions:
        record["attributes"] = _attribute_list(record.get("attributes"))
    return record


def request_records(
    cases: Iterable[Case], *, extensions: bool, absolute_url: AbsoluteUrl
) -> list[dict[str, Any]]:
    """Service requests in the order given."""
    return [
        request_record(case, extensions=extensions, absolute_url=absolute_url) for case in cases
    ]


def request_records_from_values(
    rows: Iterable[Mapping[str, Any]], *, absolute_url: AbsoluteUrl
) -> list[dict[str, Any]]:
    """Service requests without extensions, from `case_public_values` rows, in the order given."""
    records = []
    for row in rows:
        record = public_record_from_values(row)
        _absolute_media(record, absolute_url)
        records.append(record)
    return records


def update_records(
    updates: Iterable[PublicUpdate], *, absolute_url: AbsoluteUrl
) -> list[dict[str, Any]]:
    """The request-updates feed entries (mySociety `servicerequestupdates`)."""
    return [
        {
            "update_id": str(update.update_id),
            "service_request_id": update.reference,
            "status": update.status,
            "updated_datetime": public_datetime(update.at),
            "description": update.description,
            "media_url": absolute_url(update.media_path) if update.media_path else "",
        }
        for update in updates
    ]
