import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from civicdesk.people.services import email_normalize, phone_normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Jane.Doe@Example.ORG ", "jane.doe@example.org"),
        ("JANE+311@BOSTON.GOV", "jane+311@boston.gov"),
        ("a@b.co", "a@b.co"),
    ],
)
def test_email_normalize(raw, expected):
    assert email_normalize(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "   ", "not-an-email", "a@", "@b.com", "a b@c.com", "a@b", "x" * 250 + "@b.com"]
)
def test_email_normalize_rejects_naming_the_field(raw):
    with pytest.raises(ValidationError) as caught:
        email_normalize(raw)
    assert list(caught.value.message_dict) == ["email"]


@pytest.mark.parametrize(
    "raw",
    [
        "(617) 635-4500",
        "+1 617 635 4500",
        "617.635.4500",
        "617-635-4500",
        "1 (617) 635-4500",
        "+16176354500",
    ],
)
def test_phone_normalize_to_e164(raw):
    assert phone_normalize(raw) == "+16176354500"


def test_phone_normalize_other_region_and_international():
    assert phone_normalize("020 7946 0958", region="GB") == "+442079460958"
    assert phone_normalize("+44 20 7946 0958") == "+442079460958"


@override_settings(CIVICDESK_PHONE_REGION="GB")
def test_phone_region_default_comes_from_settings():
    assert phone_normalize("020 7946 0958") == "+442079460958"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "  ",
        "311",
        "555-0100",
        "(617) 635-450",
        "123 456 7890",
        "call me",
        "+999 1234",
        "1" * 80,
    ],
)
def test_phone_normalize_rejects_impossible_numbers(raw):
    with pytest.raises(ValidationError) as caught:
        phone_normalize(raw)
    assert list(caught.value.message_dict) == ["phone"]


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_email_normalize_is_idempotent_and_only_raises_validation_error(raw):
    try:
        once = email_normalize(raw)
    except ValidationError as error:
        assert list(error.message_dict) == ["email"]
        return
    assert email_normalize(once) == once


@settings(max_examples=300)
@given(st.emails())
def test_generated_emails_normalize_idempotently(raw):
    try:
        once = email_normalize(raw)
    except ValidationError:
        # Hypothesis builds some addresses (e.g. dotless TLDs) that Django rightly refuses.
        return
    assert email_normalize(once) == once
    assert once == once.strip().lower()


phone_like = st.text(alphabet="0123456789 +-().x", max_size=25)


@settings(max_examples=300)
@given(st.one_of(phone_like, st.text(max_size=30), st.from_regex(r"\+?1?[2-9]\d{2}[2-9]\d{6}")))
def test_phone_normalize_is_idempotent_and_only_raises_validation_error(raw):
    try:
        once = phone_normalize(raw)
    except ValidationError as error:
        assert list(error.message_dict) == ["phone"]
        return
    assert once.startswith("+")
    assert phone_normalize(once) == once
