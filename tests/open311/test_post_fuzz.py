"""Property test: no form a client can send makes POST requests.{fmt} fail with a 500, answer
outside the documented statuses, answer in another format, or write on a refusal."""

import json

import pytest
from defusedxml import ElementTree as SafeET
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicdesk.cases.models import Case
from civicdesk.contacts.models import Contact
from tests.open311.test_post_support import BASE, CITY_HALL, new_key

NAMES = [
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "email",
    "device_id",
    "account_id",
    "first_name",
    "last_name",
    "phone",
    "description",
    "media_url",
    "jurisdiction_id",
    "api_key",
    "attribute[size]",
    "attribute[lane]",
    "attribute[lane][]",
]
text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["pothole", "bulk-item-pickup", "large", "travel-lane", *CITY_HALL, "", "\x00"]
    ),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=4000, max_size=4100),
    st.builds(lambda s: s * 500, st.text(min_size=1, max_size=20)),
)
name = st.one_of(
    st.sampled_from(NAMES),
    st.builds(
        lambda code, multi: f"attribute[{code}]" + ("[]" if multi else ""),
        st.text(max_size=12),
        st.booleans(),
    ),
    st.text(max_size=15),
)
pairs = st.lists(st.tuples(name, text), max_size=12)


@pytest.mark.django_db
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(fields=pairs, fmt=st.sampled_from(["json", "xml"]), with_key=st.booleans())
def test_post_never_fails_and_never_writes_on_refusal(demo_catalog, fields, fmt, with_key):
    cache.clear()
    key = new_key(rate_limit_per_minute=10_000)
    form = [("api_key", key), ("service_code", "pothole")] if with_key else []
    form += fields
    before = (Case.objects.count(), Contact.objects.count())

    response = Client().post(
        f"{BASE}requests.{fmt}",
        "&".join(f"{_q(k)}={_q(v)}" for k, v in form),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code in {200, 201, 400, 403, 404, 429}, response.content[:300]
    if fmt == "json":
        parsed = json.loads(response.content)
        assert isinstance(parsed, list) and parsed
    else:
        root = SafeET.fromstring(response.content)
        assert root.tag == ("errors" if response.status_code >= 400 else "service_requests")
    if response.status_code >= 400:
        assert (Case.objects.count(), Contact.objects.count()) == before


def _q(value: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(value, encoding="utf-8", errors="surrogatepass")
