"""Form-template keys come out, the resident's own words stay, and normalising is stable."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicdesk.routing.text import TEMPLATE_KEYS, Answer, template_strip, text_normalise


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        (
            "Make of the abandoned car: FORD | Model of the abandoned car: PU | Color of the "
            "abandoned car: BLACK | License Plate number if available: 22XX62 | License Plate "
            "State if available: MA | Additional Details/Comments: flat tire in the front",
            "flat tire in the front",
        ),
        (
            "The closest intersecting street: Porter St | How is the car parked illegally? "
            "Other | Details: cars parked all day | Type of vehicle: Car | Make: Honda | "
            "Model: 4DR | Color: Blue | Vehicle License Plate Registration: 123ABC | Vehicle "
            "License Plate State: MA",
            "cars parked all day",
        ),
        (
            "Unshovelled location: Sidewalk | City Owned: No | Exact location: front",
            "",
        ),
        (
            "Unshovelled location: [Sidewalk]   Details:  [All sidewalks are like a skating "
            "rink.]   Exact location:  [Front sidewalks.]",
            "All sidewalks are like a skating rink.",
        ),
        (
            "What is the nature of the problem? : Sidewalk at the corner was not cleared",
            "Sidewalk at the corner was not cleared",
        ),
        (
            "Car in bike lane \nThe user entered the address: 91 Main Street, Boston, MA to see "
            "more details visit: http://reports.example/issues/1",
            "Car in bike lane",
        ),
        (
            "Case (SR) Type: Code Enforcement | Referred To: CODE ENFORCEMENT",
            "",
        ),
        (
            "Question: can a form I never saw keep its answer | Ward: 4",
            "can a form I never saw keep its answer 4",
        ),
    ],
)
def test_template_keys_and_pick_list_answers_are_removed(description, expected):
    assert template_strip(description) == expected


def test_prose_that_mentions_a_short_key_keeps_every_word():
    text = "The van's Plate: none. Color: rusty red, it has not moved since March."
    assert template_strip(text) == text


def test_every_long_key_is_removed_wherever_it_appears():
    for key in TEMPLATE_KEYS:
        if key.anywhere:
            stripped = template_strip(f"it is blocked {key.text} answer here")
            assert key.text.casefold() not in stripped.casefold()
            assert stripped.startswith("it is blocked")
            assert ("answer here" in stripped) == (key.answer is Answer.KEEP)


def test_normalising_folds_case_digits_links_and_spacing():
    text = "Pothole   at 1234 MAIN st!! See https://example.org/p?id=9 or mail me@example.com"
    assert text_normalise(text) == "pothole at 0 main st!! see or mail"


@given(st.text())
def test_stripping_never_raises_and_is_idempotent(text):
    once = template_strip(text)
    assert template_strip(once) == once


@given(st.text())
def test_normalising_never_raises_and_is_idempotent(text):
    once = text_normalise(text)
    assert text_normalise(once) == once


_TEMPLATE_LIKE = st.lists(
    st.one_of(
        st.sampled_from([key.text for key in TEMPLATE_KEYS]),
        st.sampled_from([" | ", "[", "]", "  ", ": ", "? ", "\n"]),
        st.text(alphabet="abcXYZ019 ", max_size=12),
    ),
    max_size=12,
).map("".join)


@given(_TEMPLATE_LIKE)
def test_template_shaped_text_is_stable_too(text):
    once = text_normalise(text)
    assert text_normalise(once) == once
    assert "|" not in template_strip(text)
