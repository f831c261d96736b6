"""Resident text as the classifier reads it: form-template keys stripped, then normalised.

Some intake systems write a request's form into its description as "Key: value | Key: value"
(Boston's Open311 feed: "Make of the abandoned car: FORD | Color of the abandoned car: BLACK |
Additional Details/Comments: flat tyres"). The keys, and the pick-list answers after most of
them, name the service type outright, so a classifier trained on them learns the form, not the
resident's words. `template_strip` removes them: the keys below were found by counting, over all
210,018 Boston requests, every "Key:" / "Key?" that opens a "|"-separated segment, a bracketed
answer ("Key: [value]") or a whole description, per service type, and reading every one seen
twice or more (docs/routing.md). A key's answer is kept when it is the resident's own free text
(`KEEP`) and dropped with the key when it is a pick list, a plate, an address or an agent's
routing note (`DROP`). In a "|"-separated template, keys not listed are dropped too, but their
answers kept, so unfamiliar forms lose their labels without losing what the resident wrote.

Pure Python, no Django: the benchmark and the evaluation read it too.
"""

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum


class Answer(Enum):
    KEEP = "keep"
    DROP = "drop"


@dataclass(frozen=True)
class TemplateKey:
    text: str
    answer: Answer
    # Short, generic keys ("Color:", "Details:") are only keys where a template puts them: at
    # the start, after "|", "[" or "]", or after a run of spaces. Long ones are keys anywhere.
    anywhere: bool = False


def _keys(answer: Answer, *texts: str, anywhere: bool = False) -> list[TemplateKey]:
    return [TemplateKey(text, answer, anywhere) for text in texts]


TEMPLATE_KEYS: tuple[TemplateKey, ...] = (
    # Abandoned vehicle form.
    *_keys(
        Answer.DROP,
        "Make of the abandoned car:",
        "Model of the abandoned car:",
        "Color of the abandoned car:",
        "License Plate number if available:",
        "License Plate State if available:",
        anywhere=True,
    ),
    *_keys(Answer.KEEP, "Additional Details/Comments:", anywhere=True),
    # Illegal parking form.
    *_keys(
        Answer.DROP,
        "How is the car parked illegally?",
        "The closest intersecting street:",
        "What is the nearest cross street?",
        "Vehicle License Plate Registration:",
        "Vehicle License Plate State:",
        anywhere=True,
    ),
    *_keys(Answer.KEEP, "Please provide details:", anywhere=True),
    *_keys(
        Answer.DROP,
        "Type of vehicle:",
        "Make/Model:",
        "Make:",
        "Model:",
        "Color:",
        "License plate:",
        "Plate:",
        "Public safety sign:",
        "Is the pole still there:",
        "Is the pole still there?",
        "Type of sign:",
        "Condition:",
        "Serial No:",
        "Size:",
        "Gender:",
        "Type:",
    ),
    # Sidewalk not shoveled form.
    *_keys(
        Answer.DROP,
        "Unshovelled location:",
        "Unshoveled location:",
        anywhere=True,
    ),
    *_keys(Answer.KEEP, "What is the nature of the problem?", anywhere=True),
    *_keys(Answer.DROP, "City Owned:", "Exact location:", "Agency Name:", "Park owner:"),
    # Agents' routing notes, and forms seen a few times.
    *_keys(
        Answer.DROP,
        "Case (SR) Type:",
        "Is this a City owned tree situated on the sidewalk?",
        "Is the request for a sidewalk tree or a private lawn planting?",
        "Is this a request for multiple street trees?",
        "Date of scheduled pickup:",
        "Curbside pickup or an alley:",
        "Do you reside at this location?",
        "What public way is blocked:",
        "The police on the scene:",
        "Date of the incident?",
        "Time of the incident?",
        "Badge of the employee:",
        # A reporting app's trailer: the address typed and a link to the app's own record.
        "The user entered the address:",
        "to see more details visit:",
        anywhere=True,
    ),
    *_keys(
        Answer.DROP,
        "SR Type:",
        "Referred To:",
        "SR Area:",
        "Trash day:",
        "Type of blockage:",
    ),
    *_keys(
        Answer.KEEP,
        "Description of the problem:",
        "Please describe the incident:",
        "Additional details:",
        "Description:",
        "Comments:",
        "Details:",
    ),
)

_BY_TEXT = {key.text.casefold(): key for key in TEMPLATE_KEYS}
_KEY_PATTERN = re.compile(
    "|".join(
        re.escape(key.text).replace(r"\ ", r"\s+")
        for key in sorted(TEMPLATE_KEYS, key=lambda key: -len(key.text))
    ),
    re.IGNORECASE,
)
_OPENERS = frozenset("|[]\n")
_SEPARATORS = " \t\r\n|[]:"
_UNKNOWN_SEGMENT_KEY = re.compile(r"(^|\|)\s*[A-Z][A-Za-z0-9 /()'&-]{0,40}[?:](?=\s)")
_WHITESPACE = re.compile(r"\s+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_DIGITS = re.compile(r"\d+")
_MAX_PASSES = 8


def _at_boundary(text: str, start: int) -> bool:
    before = text[:start]
    if before.endswith(("  ", "\t")):
        return True
    before = before.rstrip(" \t")
    return not before or before[-1] in _OPENERS


def _strip_once(text: str) -> str:
    if ":" not in text and "?" not in text:
        return _WHITESPACE.sub(" ", text.replace("|", " ")).strip(_SEPARATORS)
    matches = []
    for match in _KEY_PATTERN.finditer(text):
        key = _BY_TEXT[_WHITESPACE.sub(" ", match.group()).casefold()]
        if key.anywhere or _at_boundary(text, match.start()):
            matches.append((match, key))
    pieces = [text[: matches[0][0].start()] if matches else text]
    for index, (match, key) in enumerate(matches):
        end = matches[index + 1][0].start() if index + 1 < len(matches) else len(text)
        if key.answer is Answer.KEEP:
            pieces.append(text[match.end() : end])
    kept = " | ".join(piece.strip(_SEPARATORS) for piece in pieces)
    if "|" in text:
        kept = _UNKNOWN_SEGMENT_KEY.sub(r"\1", kept)
    return _WHITESPACE.sub(" ", kept.replace("|", " ")).strip(_SEPARATORS)


def template_strip(text: str) -> str:
    """The resident's own words: form-template keys and their pick-list answers removed.

    Letter case and punctuation are kept, so the result can be shown to a person.
    """
    for _ in range(_MAX_PASSES):
        stripped = _strip_once(text)
        if stripped == text:
            break
        text = stripped
    return text


def _clean_characters(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    if text.isprintable():
        return text
    return "".join(" " if unicodedata.category(char)[0] in {"C", "Z"} else char for char in text)


def text_normalise(text: str) -> str:
    """What the classifier sees: template stripped, case folded, links, addresses of email and
    digit runs replaced, whitespace collapsed. Idempotent."""
    for _ in range(_MAX_PASSES):
        normalised = _clean_characters(template_strip(text))
        normalised = _URL.sub(" ", normalised)
        normalised = _EMAIL.sub(" ", normalised)
        normalised = _DIGITS.sub("0", normalised)
        normalised = _WHITESPACE.sub(" ", normalised).strip()
        if normalised == text:
            break
        text = normalised
    return text


def letter_count(text: str) -> int:
    return sum(char.isalpha() for char in text)
