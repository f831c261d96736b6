"""Whatever the query string, a GET answers 200, 400 or 404 with a body in its own format."""

import json
from urllib.parse import quote, urlencode

import pytest
from defusedxml import ElementTree as SafeET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .wire import BASE, validate

pytestmark = pytest.mark.django_db

KEYS = [
    "service_request_id",
    "service_code",
    "start_date",
    "end_date",
    "status",
    "page",
    "page_size",
    "extensions",
    "updated_after",
    "updated_before",
    "q",
    "bbox",
    "lat",
    "long",
    "radius",
    "jurisdiction_id",
    "api_key",
]
text = st.text(st.characters(codec="utf-8"), max_size=60)
numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e309", "-0", "0x1F", "1_000", "٣", "NaN", "inf", " 5 ", ""]),
)
dates = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.dates().map(str),
    st.sampled_from(
        [
            "2026-02-30",
            "9999-12-31T23:59:59-12:00",
            "0001-01-01T00:00:00+14:00",
            "2026-W05",
            "20260101T000000Z",
            "2026-01-01T25:00",
            "2026-01-01 10:00:00Z",
            "today",
        ]
    ),
)
values = st.one_of(
    text,
    numbers,
    dates,
    st.lists(st.sampled_from(["open", "closed", "pothole", "1", "-71.06", ""]), max_size=5).map(
        ",".join
    ),
)
pairs = st.lists(st.tuples(st.one_of(st.sampled_from(KEYS), text), values), max_size=6)


def check(response, fmt):
    assert response.status_code in {200, 400, 404}, (response.status_code, response.content)
    assert response["Content-Type"].startswith("application/json" if fmt == "json" else "text/xml")
    if fmt == "json":
        data = json.loads(response.content)
        if response.status_code != 200:
            validate(data, "errors")
    else:
        SafeET.fromstring(response.content)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pairs=pairs, fmt=st.sampled_from(["json", "xml"]))
def test_random_query_strings_on_requests(client, make_case, pairs, fmt):
    query = urlencode(pairs, quote_via=quote)
    response = client.get(f"{BASE}requests.{fmt}?{query}")
    check(response, fmt)
    if fmt == "json" and response.status_code == 200:
        validate(json.loads(response.content), "requests")


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(code=text, pairs=pairs, fmt=st.sampled_from(["json", "xml"]))
def test_random_service_codes_and_updates(client, demo_catalog, code, pairs, fmt):
    response = client.get(f"{BASE}services/{quote(code, safe='')}.{fmt}")
    assert response.status_code in {200, 404}
    # An empty code or one with '/' matches no endpoint: the catch-all answers in JSON.
    routed_fmt = fmt if code and "/" not in code else "json"
    check(response, routed_fmt)
    query = urlencode(pairs, quote_via=quote)
    check(client.get(f"{BASE}servicerequestupdates.{fmt}?{query}"), fmt)
    check(client.get(f"{BASE}requests/{quote(code, safe='')}.{fmt}?{query}"), routed_fmt)


def test_raw_bytes_in_the_query_string(client, make_case):
    for raw in ["status=%FF%FE", "q=%00", "start_date=%ED%A0%80", "page=%C0%AF", "%FF=1", "&&&=="]:
        for fmt in ("json", "xml"):
            check(client.get(f"{BASE}requests.{fmt}?{raw}"), fmt)
