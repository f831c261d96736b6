"""Helpers for the Open311 write tests (no tests here): keys, posting forms, reading errors."""

import json
from collections.abc import Sequence
from io import BytesIO
from typing import Any
from urllib.parse import urlencode

from defusedxml import ElementTree as SafeET
from django.test import Client
from PIL import Image

from civicdesk.open311.services import apikey_create

BASE = "/open311/v2/"
CITY_HALL = ("42.3601", "-71.0589")
FORM = "application/x-www-form-urlencoded"


def new_key(**options: Any) -> str:
    _key, raw = apikey_create(name="Test integrator", **options)
    return raw


def pothole_form(key: str, **overrides: str) -> list[tuple[str, str]]:
    fields = {
        "api_key": key,
        "service_code": "pothole",
        "lat": CITY_HALL[0],
        "long": CITY_HALL[1],
        "description": "Deep pothole in the right lane.",
        "attribute[size]": "large",
        "attribute[lane]": "travel-lane",
    }
    fields.update(overrides)
    return [(name, value) for name, value in fields.items() if value is not None]


def post(
    client: Client,
    fmt: str,
    fields: Sequence[tuple[str, str]] | bytes,
    *,
    content_type: str = FORM,
    **extra: Any,
) -> Any:
    """POST requests.{fmt} with a urlencoded body (or raw bytes as given)."""
    body = fields if isinstance(fields, bytes) else urlencode(list(fields))
    return client.post(f"{BASE}requests.{fmt}", body, content_type=content_type, **extra)


def post_multipart(client: Client, fmt: str, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(f"{BASE}requests.{fmt}", data, **extra)


def body(response: Any, fmt: str) -> list[dict[str, Any]]:
    """The list in an Open311 answer (errors or requests) as dicts, from JSON or XML."""
    expected = "application/json" if fmt == "json" else "text/xml"
    assert response["Content-Type"].startswith(expected), response["Content-Type"]
    if fmt == "json":
        data = json.loads(response.content)
        assert isinstance(data, list)
        return data
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = SafeET.fromstring(response.content)
    items = []
    for item in root:
        record: dict[str, Any] = {child.tag: child.text or "" for child in item}
        if "code" in record:
            record["code"] = int(record["code"])
        items.append(record)
    return items


def errors(response: Any, fmt: str, status: int) -> list[str]:
    """Check an Open311 error answer and return its descriptions."""
    assert response.status_code == status, (response.status_code, response.content[:400])
    items = body(response, fmt)
    assert items, "an error answer lists at least one error"
    for item in items:
        assert set(item) == {"code", "description"}, item
        assert isinstance(item["code"], int)
    return [item["description"] for item in items]


def png_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()
