"""The canonical address text that stored keys and typed queries share."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from civicdesk.geo.normalize import (
    address_query_parse,
    number_normalize,
    number_value,
    ordinal,
    street_normalize,
    text_normalize,
)

# Text built from address-like pieces finds the interesting cases (suffixes, directions,
# ordinals, ranges) far more often than arbitrary text does.
ADDRESS_PIECES = st.sampled_from(
    [
        "St",
        "st.",
        "Street",
        "Ave",
        "N",
        "e",
        "W",
        "NE",
        "first",
        "Twenty",
        "twenty-first",
        "3rd",
        "3th",
        "Mt",
        "57",
        "59",
        "605A",
        "-",
        ",",
        "'",
        "#",
        "02130",
        "MA",
        "Saint",
        "İ",
        "ß",
        "é",
        "½",
        "٣",
        "\x00",
        " ",
    ]
)
ADDRESS_LIKE = st.lists(ADDRESS_PIECES | st.text(max_size=6), max_size=12).map(" ".join)
ANY_TEXT = st.text(max_size=80) | ADDRESS_LIKE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25 E. Third St., Boston", "25 east 3rd street boston"),
        ("25 east 3rd street BOSTON", "25 east 3rd street boston"),
        ("10 W Broadway", "10 west broadway"),
        ("1 N St", "1 n street"),  # a street named N, not "North Street"
        ("8 Oak St W", "8 oak street west"),
        ("St James Ave", "saint james avenue"),
        ("10 St Botolph St", "10 saint botolph street"),
        ("Twenty-First Ave", "21st avenue"),
        ("1st Ave", "1st avenue"),
        ("First Avenue", "1st avenue"),
        ("Sixteenth St", "16th street"),
        ("23th St", "23rd street"),
        ("O'Brien Hwy", "obrien highway"),
        ("Mt Vernon St", "mount vernon street"),
        ("1 City Hall Plz", "1 city hall plaza"),
        ("Mass Pike Blvd", "mass pike boulevard"),
        ("57 59 South St", "57-59 south street"),
        ("57 - 59 South St", "57-59 south street"),
        ("Rue de l'Église", "rue de leglise"),
        ("  MAIN   st  ", "main street"),
        ("", ""),
        ("?!,", ""),
    ],
)
def test_text_normalize(text, expected):
    assert text_normalize(text) == expected


@pytest.mark.parametrize(
    ("street", "expected"),
    [
        ("St Botolph St", "saint botolph street"),
        ("E St", "e street"),
        ("E Third St", "east 3rd street"),
        ("Pkwy Dr", "parkway drive"),
    ],
)
def test_street_normalize(street, expected):
    assert street_normalize(street) == expected


@pytest.mark.parametrize(
    ("number", "normalized", "value"),
    [
        ("25", "25", 25),
        ("605A", "605a", 605),
        ("605 A", "605a", 605),
        ("57-59", "57-59", 57),
        ("57 59", "57-59", 57),
        ("A12", "a12", 0),
        ("", "", 0),
        ("9" * 40, "9" * 40, 999_999_999),
    ],
)
def test_house_numbers(number, normalized, value):
    assert number_normalize(number) == normalized
    assert number_value(number) == value


@pytest.mark.parametrize(
    ("value", "text"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (12, "12th"), (22, "22nd")],
)
def test_ordinal(value, text):
    assert ordinal(value) == text


def test_query_parse_takes_the_address_apart():
    parsed = address_query_parse("25 Sheridan St, Jamaica Plain, MA 02130")
    assert parsed.number == "25"
    assert parsed.words == ("sheridan", "street", "jamaica", "plain")
    assert parsed.postcode == "02130"
    # A postcode ends the typing: every word is complete.
    assert parsed.last_forms == ()
    assert parsed.street_words() == ("sheridan", "street")


def test_query_parse_keeps_the_partial_last_word_as_typed_and_expanded():
    assert address_query_parse("25 sher").last_forms == ("sher",)
    # "rd" is not the start of "road", so both spellings are tried as prefixes.
    assert address_query_parse("25 main rd").last_forms == ("rd", "road")
    # "st" is the start of "street"; alone after a number it may also be "Saint ...".
    assert address_query_parse("25 st").last_forms == ("st", "saint")
    assert address_query_parse("e thi").last_forms == ("thi", "3rd", "13th", "30th")
    # A trailing space or comma means the word is finished.
    assert address_query_parse("25 main rd ").last_forms == ()


def test_query_parse_drops_state_and_country_only_in_written_out_addresses():
    assert address_query_parse("1 Main St, Boston, MA, USA").words == ("main", "street", "boston")
    # Without a comma or postcode, "ma" may be the start of a street name.
    assert address_query_parse("1 ma").words == ("ma",)


@pytest.mark.parametrize("query", ["", "   ", ",,,", "\x00", "?"])
def test_query_parse_of_nothing_searchable(query):
    assert address_query_parse(query) is None


def test_query_prefixes_relax_from_whole_to_street_to_first_word():
    parsed = address_query_parse("12 Church Street Apt 4")
    assert parsed.prefixes() == [
        ("church", "street", "apt", "4"),
        ("church", "street"),
        ("church",),
    ]


@given(ANY_TEXT)
@example("1 2 twenty first st")
@example("st n main")
@example("ǰ İ ß ﬀ")
def test_text_normalize_is_idempotent_and_never_raises(text):
    once = text_normalize(text)
    assert text_normalize(once) == once
    assert once == once.strip()
    assert "  " not in once
    assert once == once.casefold()


@given(ANY_TEXT)
def test_street_and_number_normalize_are_idempotent(text):
    assert street_normalize(street_normalize(text)) == street_normalize(text)
    assert number_normalize(number_normalize(text)) == number_normalize(text)
    assert number_value(text) >= 0


@given(ANY_TEXT)
def test_query_parse_never_raises_and_agrees_with_text_normalize(text):
    parsed = address_query_parse(text)
    if parsed is None:
        return
    for words in parsed.prefixes():
        for prefix in parsed.prefix_texts(words):
            assert prefix == prefix.strip()
    # The complete words are canonical: normalizing them again changes nothing.
    assert street_normalize(" ".join(parsed.words)) == " ".join(parsed.words)
