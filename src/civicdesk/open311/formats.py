"""Open311 GeoReport v2 wire formats: the same data as JSON or as XML, and errors in either.

JSON mirrors the XML: lists are bare arrays, objects are objects. In XML every list needs a
name for its items, which `ITEM_NAMES` gives by the list's own element name.
"""

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal
from xml.etree import ElementTree as ET

from django.http import HttpResponse

Format = Literal["json", "xml"]
FORMATS: tuple[Format, ...] = ("json", "xml")
CONTENT_TYPES: dict[Format, str] = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}

ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
    "errors": "error",
    "extended_attributes": "extended_attribute",
    "media": "media_url",
    "jurisdictions": "jurisdiction",
}

# XML 1.0 cannot carry most C0 control characters, even escaped; real imported descriptions
# sometimes hold them, so they are dropped from XML output rather than producing broken XML.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return XML_INVALID.sub("", str(value))


def _append(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    _fill(element, name, value)


def _fill(element: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            _append(element, str(key), child)
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        item_name = ITEM_NAMES.get(name, "item")
        for child in value:
            _append(element, item_name, child)
    else:
        element.text = xml_text(value)


def to_xml(root: str, data: Any) -> bytes:
    """Serialize `data` under `root`, with the XML declaration Open311 clients expect."""
    element = ET.Element(root)
    _fill(element, root, data)
    body = ET.tostring(element, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8")


def to_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def render(fmt: Format, *, root: str, data: Any, status: int = 200) -> HttpResponse:
    """The response for `data`: a JSON document, or XML under `root`."""
    body = to_json(data) if fmt == "json" else to_xml(root, data)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error_response(fmt: Format, errors: Iterable[tuple[int, str]], *, status: int) -> HttpResponse:
    """Open311 errors: a list of {code, description}, in the format the client asked for."""
    items = [{"code": code, "description": description} for code, description in errors]
    return render(fmt, root="errors", data=items, status=status)
