"""Address text in one canonical form, so stored addresses and typed queries compare as strings.

`text_normalize("25 E. Third St., Boston")` and `text_normalize("25 east 3rd street boston")`
both give `"25 east 3rd street boston"`: case folded, accents and punctuation dropped, street
suffixes and directions spelled out, ordinals written as numbers. The stored search keys and the
queries go through the same rules, so a prefix of one is a prefix of the other, and an index on
the stored key answers the query.

Pure Python with no Django import, so `scripts/demo_addresses_build.py` uses the same rules.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Abbreviation -> the canonical word (USPS Publication 28 forms, the common ones).
STREET_SUFFIXES = {
    "st": "street",
    "ave": "avenue",
    "av": "avenue",
    "rd": "road",
    "blvd": "boulevard",
    "dr": "drive",
    "pl": "place",
    "sq": "square",
    "ct": "court",
    "ter": "terrace",
    "terr": "terrace",
    "hwy": "highway",
    "pkwy": "parkway",
    "pky": "parkway",
    "ln": "lane",
    "plz": "plaza",
    "cir": "circle",
    "wy": "way",
    "aly": "alley",
    "ext": "extension",
    "hts": "heights",
    "xing": "crossing",
    "pt": "point",
    "ctr": "center",
    "expy": "expressway",
    "fwy": "freeway",
    "trl": "trail",
    "whf": "wharf",
    "pk": "park",
}
# Canonical suffix words that need no expansion, for the "is this a suffix?" test.
SUFFIX_WORDS = frozenset(STREET_SUFFIXES.values()) | {"row", "path", "walk", "green", "mall"}
DIRECTIONS = {
    "n": "north",
    "s": "south",
    "e": "east",
    "w": "west",
    "ne": "northeast",
    "nw": "northwest",
    "se": "southeast",
    "sw": "southwest",
}
# Abbreviations that are not suffixes: "Mt Vernon St", "Ft Hill Sq".
NAME_ABBREVIATIONS = {"mt": "mount", "ft": "fort"}
UNIT_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
}
ORDINAL_WORDS = {
    **UNIT_ORDINALS,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
US_STATES = frozenset(
    [
        "al",
        "ak",
        "az",
        "ar",
        "ca",
        "co",
        "ct",
        "de",
        "dc",
        "fl",
        "ga",
        "hi",
        "id",
        "il",
        "in",
        "ia",
        "ks",
        "ky",
        "la",
        "me",
        "md",
        "ma",
        "mi",
        "mn",
        "ms",
        "mo",
        "mt",
        "ne",
        "nv",
        "nh",
        "nj",
        "nm",
        "ny",
        "nc",
        "nd",
        "oh",
        "ok",
        "or",
        "pa",
        "pr",
        "ri",
        "sc",
        "sd",
        "tn",
        "tx",
        "ut",
        "vt",
        "va",
        "wa",
        "wv",
        "wi",
        "wy",
        "gu",
        "vi",
        "as",
        "mp",
    ]
)
COUNTRY_WORDS = frozenset({"usa", "us"})

HOUSE_NUMBER = re.compile(r"^[0-9]+[^\W\d_]?(?:-[0-9]+[^\W\d_]?)?$")
NUMERIC_ORDINAL = re.compile(r"^([0-9]{1,9})(st|nd|rd|th)$")
POSTCODE = re.compile(r"^([0-9]{5})(?:-?[0-9]{4})?$")
LEADING_DIGITS = re.compile(r"^[0-9]{1,12}")
_APOSTROPHES = re.compile(r"['\u2018\u2019`\u00b4]")
_DIGIT_HYPHEN = re.compile(r"(?<=\d)\s*-\s*(?=\d)")
_LOOSE_HYPHEN = re.compile(r"(?<!\d)-|-(?!\d)")
# Partial words this short stand for too many ordinals to be worth a query each.
MIN_PARTIAL_ORDINAL = 3
MAX_ALTERNATIVES = 4
# The longest number stored; longer digit runs are not house numbers.
MAX_NUMBER_VALUE = 999_999_999


def text_normalize(text: str) -> str:
    """The canonical form of a whole address text; idempotent and total (never raises)."""
    tokens = _join_leading_range(_words(text))
    street_start = 1 if tokens and is_house_number(tokens[0]) else 0
    return " ".join(_canonical(tokens, street_start=street_start))


def street_normalize(street: str) -> str:
    """The canonical form of a street name alone ("St James Ave" -> "saint james avenue")."""
    return " ".join(_canonical(_words(street), street_start=0))


def number_normalize(number: str) -> str:
    """A house number as one token: "57 59" and "57-59" -> "57-59", "605 A" -> "605a"."""
    words = _words(number.replace("-", " "))
    if not words:
        return ""
    joined = words[0]
    for word in words[1:]:
        # A lone letter after the digits is part of the number ("605 A"); more digits a range.
        joined += word if len(word) == 1 and word.isalpha() else f"-{word}"
    return joined


def number_value(number: str) -> int:
    """The leading integer of a house number, for ordering and nearness (0 when none)."""
    match = LEADING_DIGITS.match(number_normalize(number))
    return min(int(match.group()), MAX_NUMBER_VALUE) if match else 0


def is_house_number(token: str) -> bool:
    return bool(HOUSE_NUMBER.match(token)) and not NUMERIC_ORDINAL.match(token)


def ordinal(value: int) -> str:
    """1 -> "1st", 12 -> "12th", 23 -> "23rd"."""
    if value % 100 in (11, 12, 13):
        return f"{value}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


@dataclass(frozen=True)
class AddressQuery:
    """A typed query taken apart: house number, street (and maybe city) words, postcode.

    `words` are canonical and complete. While someone is typing, the last word may be a part of
    a word ("25 Sher"), so `last_forms` lists the spellings of the last word to match as a
    prefix: what was typed, plus an expansion that is not a continuation of it ("rd" -> "road",
    "thi" -> "3rd"). Empty when the query ended with a space or a comma (the word is finished).
    """

    number: str
    words: tuple[str, ...]
    last_forms: tuple[str, ...]
    postcode: str

    def prefixes(self) -> list[tuple[str, ...]]:
        """Word sequences to match as prefixes of the stored street-and-city words, most
        specific first: as typed, then cut after the last street suffix, then the first word."""
        candidates: list[tuple[str, ...]] = [self.words, self.street_words()]
        if self.words:
            candidates.append(self.words[:1])
        unique: list[tuple[str, ...]] = []
        for candidate in candidates:
            if candidate not in unique:
                unique.append(candidate)
        return unique

    def street_words(self) -> tuple[str, ...]:
        """The words up to the last street suffix ("sheridan street" of "sheridan street
        boston"), or all of them when there is none: the street to list other houses of."""
        positions = [i for i, word in enumerate(self.words) if word in SUFFIX_WORDS and i]
        return self.words[: positions[-1] + 1] if positions else self.words

    def prefix_texts(self, words: tuple[str, ...]) -> list[str]:
        """The strings to prefix-match for one word sequence: the partial last word in each of
        its forms when `words` ends with it, else the words as complete words."""
        if not words:
            return [""]
        if self.last_forms and words == self.words:
            head = " ".join(words[:-1])
            return [f"{head} {form}".strip() for form in self.last_forms]
        return [" ".join(words)]


def address_query_parse(query: str) -> AddressQuery | None:
    """Take a typed address apart; None when nothing searchable is left. Never raises."""
    raw = _words(query)
    if not raw:
        return None
    finished = bool(re.search(r"[\s,.;]$", query))
    raw = _join_leading_range(raw)
    number = ""
    if is_house_number(raw[0]):
        number, raw = raw[0], raw[1:]
    postcode = ""
    if raw and POSTCODE.match(raw[-1]) and (number or len(raw) > 1):
        postcode = POSTCODE.match(raw[-1]).group(1)  # type: ignore[union-attr]
        raw = raw[:-1]
        finished = True
    had_comma = "," in query
    while (
        len(raw) > 1
        and (raw[-1] in COUNTRY_WORDS or raw[-1] in US_STATES)
        and (had_comma or postcode)
    ):
        raw = raw[:-1]
        finished = True
    if not raw:
        return AddressQuery(number=number, words=(), last_forms=(), postcode=postcode)
    words = tuple(_canonical(raw, street_start=0))
    last_forms: tuple[str, ...] = ()
    if not finished:
        last_forms = _last_word_forms(raw, canonical_last=words[-1] if words else "")
        # Ordinal words merge ("twenty first" -> "21st"): the canonical tail can be shorter.
        if len(words) != len(raw):
            last_forms = (words[-1],) if words else ()
    return AddressQuery(number=number, words=words, last_forms=last_forms, postcode=postcode)


def _last_word_forms(raw: list[str], *, canonical_last: str) -> tuple[str, ...]:
    typed = raw[-1]
    forms = [typed]
    expansions = [canonical_last]
    if typed == "st" and len(raw) == 1:
        expansions.append("saint")
    if len(typed) >= MIN_PARTIAL_ORDINAL and typed not in ORDINAL_WORDS:
        expansions.extend(
            ordinal(value) for word, value in ORDINAL_WORDS.items() if word.startswith(typed)
        )
    for form in expansions:
        if form and not form.startswith(typed) and form not in forms:
            forms.append(form)
    return tuple(forms[:MAX_ALTERNATIVES])


def _words(text: str) -> list[str]:
    """Case-folded, accent-free words; a hyphen survives only between digits ("57-59")."""
    cleaned = _fold(text)
    cleaned = _APOSTROPHES.sub("", cleaned)
    cleaned = _DIGIT_HYPHEN.sub("-", cleaned)
    cleaned = "".join(ch if ch.isalnum() or ch == "-" else " " for ch in cleaned)
    return _LOOSE_HYPHEN.sub(" ", cleaned).split()


def _fold(text: str) -> str:
    # Case folding can produce combining marks and NFKD can produce characters that fold again
    # ("İ" -> "i̇"), so repeat until nothing changes; two rounds settle every known case.
    for _round in range(4):
        folded = unicodedata.normalize("NFKD", text.casefold())
        folded = "".join(ch for ch in folded if not unicodedata.category(ch).startswith("M"))
        if folded == text:
            break
        text = folded
    return text


def _join_leading_range(tokens: list[str]) -> list[str]:
    # Boston writes a range of house numbers as "57 59 South St".
    if len(tokens) >= 3 and tokens[0].isdigit() and tokens[1].isdigit():
        return [f"{tokens[0]}-{tokens[1]}", *tokens[2:]]
    return tokens


def _is_suffix(token: str) -> bool:
    return token in STREET_SUFFIXES or token in SUFFIX_WORDS


def _canonical(words: list[str], *, street_start: int) -> list[str]:
    merged = _merge_ordinals(words)
    result: list[str] = []
    for index, word in enumerate(merged):
        following = merged[index + 1] if index + 1 < len(merged) else None
        if word == "st" and index == street_start and following and not _is_suffix(following):
            result.append("saint")  # "St James Ave", "St Botolph St"
        elif word in STREET_SUFFIXES:
            result.append(STREET_SUFFIXES[word])
        elif word in DIRECTIONS:
            # "N St" and "E St" are streets named by a letter; "E Third St" is East Third.
            keep_letter = following is not None and _is_suffix(following)
            result.append(word if keep_letter else DIRECTIONS[word])
        elif word in NAME_ABBREVIATIONS:
            result.append(NAME_ABBREVIATIONS[word])
        else:
            match = NUMERIC_ORDINAL.match(word)
            result.append(ordinal(int(match.group(1))) if match else word)
    return result


def _merge_ordinals(tokens: list[str]) -> list[str]:
    merged: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token in TENS and following in UNIT_ORDINALS:
            merged.append(ordinal(TENS[token] + UNIT_ORDINALS[following]))
            index += 2
            continue
        merged.append(ordinal(ORDINAL_WORDS[token]) if token in ORDINAL_WORDS else token)
        index += 1
    return merged
