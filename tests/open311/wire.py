"""Fetch Open311 endpoints in both formats and check what comes back: JSON against our schemas
(with real date-time checking), XML with a real parser and the expected element names."""

import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import jsonschema
from defusedxml import ElementTree as SafeET
from django.test import Client
from referencing import Registry, Resource

SCHEMAS = Path(__file__).parent / "schemas"
BASE = "/open311/v2/"
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
# RFC 3339 date-time: the offset is mandatory, which is the point of checking it.
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

format_checker = jsonschema.FormatChecker(formats=())


@format_checker.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time with an offset")
    parsed = datetime.fromisoformat(value)
    return parsed.tzinfo is not None


@cache
def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, registry=_registry(), format_checker=format_checker
    )


def validate(data: Any, schema: str) -> None:
    """Raise jsonschema.ValidationError unless `data` matches tests/open311/schemas/<schema>."""
    _validator(schema).validate(data)


def parse_xml(body: bytes, *, root: str, item: str | None = None) -> Element:
    """Parse with a hardened parser; check the declaration, the root and the item names."""
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>'), body[:80]
    element = SafeET.fromstring(body)
    assert element.tag == root, (element.tag, root)
    if item is not None:
        assert all(child.tag == item for child in element), [c.tag for c in element]
    return element


def get(
    client: Client,
    path: str,
    fmt: str,
    params: dict[str, Any] | None = None,
    *,
    status: int = 200,
    **extra: Any,
) -> Any:
    """GET `path`.`fmt`, check status and content type; JSON decoded, XML parsed."""
    response = client.get(f"{BASE}{path}.{fmt}", params or {}, **extra)
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    if fmt == "json":
        return json.loads(response.content)
    return SafeET.fromstring(response.content)


def get_json(
    client: Client,
    path: str,
    params: dict[str, Any] | None = None,
    *,
    schema: str,
    status: int = 200,
) -> Any:
    """GET the JSON document and validate it against `schema`."""
    data = get(client, path, "json", params, status=status)
    validate(data, schema)
    return data


def get_xml(
    client: Client,
    path: str,
    params: dict[str, Any] | None = None,
    *,
    root: str,
    item: str | None = None,
    status: int = 200,
) -> Element:
    """GET the XML document and check its root and item element names."""
    response = client.get(f"{BASE}{path}.xml", params or {})
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == CONTENT_TYPES["xml"]
    return parse_xml(response.content, root=root, item=item)


def error_codes_json(data: Any) -> list[int]:
    validate(data, "errors")
    return [error["code"] for error in data]


def xml_records(element: Element) -> list[dict[str, str]]:
    """Each child element as {tag: text} of its own children (one level)."""
    return [{child.tag: child.text or "" for child in item} for item in element]
