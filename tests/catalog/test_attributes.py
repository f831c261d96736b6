import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from civicdesk.catalog.attributes import clean_attributes
from civicdesk.catalog.selectors import service_type_get_by_code
from civicdesk.catalog.services import catalog_import

pytestmark = pytest.mark.django_db

ATTRIBUTES: list[dict[str, Any]] = [
    {"code": "plate", "description": "License plate", "datatype": "string"},
    {"code": "count", "description": "How many items?", "datatype": "number", "required": True},
    {"code": "since", "description": "Since when?", "datatype": "datetime"},
    {"code": "details", "description": "Tell us more", "datatype": "text"},
    {
        "code": "size",
        "description": "How big is it?",
        "datatype": "singlevaluelist",
        "required": True,
        "values": [{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}],
    },
    {
        "code": "which",
        "description": "Which collections were missed?",
        "datatype": "multivaluelist",
        "values": [
            {"key": "trash", "name": "Trash"},
            {"key": "recycling", "name": "Recycling"},
            {"key": "yard", "name": "Yard waste"},
        ],
    },
    {
        "code": "note",
        "description": "Put items out by 6 a.m.",
        "datatype": "text",
        "variable": False,
    },
]
VALID = {"count": "2", "size": "small"}


@pytest.fixture
def service_type(document):
    document["service_types"][0]["attributes"] = ATTRIBUTES
    catalog_import(data=document)
    return service_type_get_by_code("pothole")


def errors_of(service_type, values) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        clean_attributes(service_type=service_type, values=values)
    return info.value.message_dict


def test_valid_answers_are_normalized(service_type):
    cleaned = clean_attributes(
        service_type=service_type,
        values={
            "plate": "  1ABC23 ",
            "count": "1e1",
            "since": "2025-01-31T14:30:00",
            "details": "It is next to the school.",
            "size": ["large"],
            "which": ["yard", "trash", "yard"],
        },
    )

    assert cleaned == {
        "plate": "1ABC23",
        "count": "10",
        "since": "2025-01-31T19:30:00+00:00",
        "details": "It is next to the school.",
        "size": "large",
        "which": ["trash", "yard"],
    }


def test_datetime_with_an_offset_keeps_its_moment(service_type):
    cleaned = clean_attributes(
        service_type=service_type, values={**VALID, "since": "2025-07-01T08:00:00Z"}
    )

    assert cleaned["since"] == "2025-07-01T08:00:00+00:00"


def test_blank_optional_answers_are_left_out(service_type):
    cleaned = clean_attributes(
        service_type=service_type, values={**VALID, "plate": "   ", "which": []}
    )

    assert cleaned == {"count": "2", "size": "small"}


def test_unknown_code_is_rejected(service_type):
    errors = errors_of(service_type, {**VALID, "colour": "red"})

    assert errors == {"attribute[colour]": ["This service has no question with the code “colour”."]}


def test_missing_and_blank_required_answers_name_the_question(service_type):
    errors = errors_of(service_type, {"count": "  "})

    assert errors == {
        "attribute[count]": ["How many items?: this answer is required."],
        "attribute[size]": ["How big is it?: this answer is required."],
    }


@pytest.mark.parametrize("number", ["two", "NaN", "Infinity", "1,5", "1e99999", "0x10", "١٢"])
def test_number_must_be_a_finite_decimal(service_type, number):
    errors = errors_of(service_type, {**VALID, "count": number})

    assert errors == {
        "attribute[count]": ["How many items?: enter a number, for example 12 or 3.5."]
    }


def test_datetime_must_be_iso_8601(service_type):
    errors = errors_of(service_type, {**VALID, "since": "last Tuesday"})

    assert list(errors) == ["attribute[since]"]
    assert "Since when?: enter a date and time in ISO 8601 form" in errors["attribute[since]"][0]


def test_single_value_list_takes_exactly_one_known_key(service_type):
    unknown = errors_of(service_type, {**VALID, "size": "huge"})
    several = errors_of(service_type, {**VALID, "size": ["small", "large"]})

    assert unknown == {
        "attribute[size]": ["How big is it?: choose exactly one of: small (Small), large (Large)."]
    }
    assert several == {"attribute[size]": ["How big is it?: send a single answer."]}


def test_multi_value_list_rejects_unknown_keys(service_type):
    errors = errors_of(service_type, {**VALID, "which": ["trash", "compost"]})

    assert errors == {
        "attribute[which]": [
            "Which collections were missed?: 'compost' is not a choice; choose from: "
            "trash (Trash), recycling (Recycling), yard (Yard waste)."
        ]
    }


def test_string_and_text_lengths_are_limited(service_type):
    errors = errors_of(service_type, {**VALID, "plate": "x" * 1001, "details": "y" * 4001})

    assert errors == {
        "attribute[plate]": ["License plate: keep the answer to 1000 characters (it has 1001)."],
        "attribute[details]": ["Tell us more: keep the answer to 4000 characters (it has 4001)."],
    }
    assert (
        clean_attributes(
            service_type=service_type, values={**VALID, "plate": "x" * 1000, "details": "y" * 4000}
        )["details"]
        == "y" * 4000
    )


def test_information_only_attribute_must_not_be_answered(service_type):
    errors = errors_of(service_type, {**VALID, "note": "ok"})

    assert errors == {
        "attribute[note]": [
            "Put items out by 6 a.m.: this is information only; do not send an answer."
        ]
    }


def test_every_problem_is_reported_at_once(service_type):
    errors = errors_of(service_type, {"count": "many", "since": "soon", "bogus": "1"})

    assert set(errors) == {
        "attribute[count]",
        "attribute[since]",
        "attribute[bogus]",
        "attribute[size]",
    }


def test_checks_run_in_fixed_queries_when_prefetched(service_type, django_assert_num_queries):
    with django_assert_num_queries(0):
        clean_attributes(service_type=service_type, values={**VALID, "which": "trash"})


_ANY_VALUE = st.one_of(
    st.text(max_size=30),
    st.lists(st.text(max_size=10), max_size=4),
    st.sampled_from(["small", "large", "trash", "yard", "2025-02-30T10:00", "1e5", " 3.5 "]),
    st.integers(),
    st.floats(),
    st.none(),
    st.binary(max_size=5),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)


def test_random_input_only_ever_raises_validation_error(service_type):
    codes = [str(a["code"]) for a in ATTRIBUTES]

    @settings(max_examples=400, deadline=None)
    @given(
        values=st.dictionaries(
            st.one_of(st.sampled_from(codes), st.text(max_size=8), st.integers()),
            _ANY_VALUE,
            max_size=8,
        )
    )
    def check(values):
        try:
            cleaned = clean_attributes(service_type=service_type, values=values)
        except ValidationError as exc:
            assert all(key.startswith("attribute[") for key in exc.message_dict)
        else:
            assert set(cleaned) <= set(codes) - {"note"}

    check()


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=60,
).filter(lambda s: s.strip())


def test_valid_generated_answers_round_trip(service_type):
    valid: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
        {
            "count": st.decimals(allow_nan=False, allow_infinity=False, places=3).filter(
                lambda d: abs(d) < Decimal(10) ** 12
            ),
            "size": st.sampled_from(["small", "large"]),
        },
        optional={
            "plate": _TEXT,
            "details": _TEXT,
            "since": st.datetimes(
                min_value=dt.datetime(1990, 1, 1),
                max_value=dt.datetime(2100, 1, 1),
                timezones=st.sampled_from([None, dt.UTC]),
            ),
            "which": st.lists(st.sampled_from(["trash", "recycling", "yard"]), min_size=1),
        },
    )

    @settings(max_examples=300, deadline=None)
    @given(answers=valid)
    def check(answers):
        sent = {
            code: value.isoformat()
            if isinstance(value, dt.datetime)
            else value
            if isinstance(value, list)
            else str(value)
            for code, value in answers.items()
        }
        cleaned = clean_attributes(service_type=service_type, values=sent)

        assert set(cleaned) == set(sent)
        assert Decimal(str(cleaned["count"])) == answers["count"]
        assert cleaned["size"] == answers["size"]
        for code in ("plate", "details"):
            if code in answers:
                assert cleaned[code] == answers[code].strip()
        if "which" in answers:
            assert sorted(cleaned["which"]) == sorted(set(answers["which"]))
        if "since" in answers:
            moment = dt.datetime.fromisoformat(str(cleaned["since"]))
            expected = answers["since"]
            if expected.tzinfo is None:
                # Naive times are read in the jurisdiction's zone.
                expected = expected.replace(
                    tzinfo=ZoneInfo(django_settings.CIVICDESK_JURISDICTION_TIMEZONE)
                )
            assert moment.tzinfo == dt.UTC
            assert moment == expected.astimezone(dt.UTC)
        # Cleaning what came out changes nothing: the intake can store and re-check it.
        assert clean_attributes(service_type=service_type, values=cleaned) == cleaned

    check()
