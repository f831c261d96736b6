"""Emergency detection on free text: does a resident describe danger to life or property now?

`detect(text)` runs on every free-text input (the report description, the assistant, SMS,
email) before anything else. When it finds an emergency the resident is told at once to call
911 and the contact is flagged so staff see it first; a report can still be sent.

It is a small rule engine, not a list of keywords. The text is folded (lowercase, accents
removed, punctuation reduced to clause and sentence ends, one character for one character so
evidence keeps its place in the original); routine phrases that contain a danger word ("fire
hydrant", "gas station", "burnt-out light") are blanked; then hazard patterns
(`emergency_rules.FAMILIES`) are matched and each match is kept only if nothing around it
cancels it:

- a negation just before it in its clause ("no one hurt", "nadie salió herido");
- a worry, question or near miss before it in its clause ("someone *could* get hurt",
  "*almost* hit", "*antes de que* alguien se lastime");
- the past or a habit in its sentence ("*last week*", "*every time* it rains", "*ayer*"),
  unless the same sentence says it is happening *now*;
- the danger being over ("the fire is out", "ya lo apagaron");
- a rule's own routine context ("smoke" from a *bus*, an *injured duck*).

A person hurt or trapped next to a crash makes the finding a crash with injuries. Both
languages' rules run on every text, so mixed English and Spanish works; `language` is only a
hint for `EmergencyFinding.language`. A text is read up to `MAX_CHARS` characters: a typical
report of a few hundred characters takes tens of microseconds, the longest text a few
milliseconds, and no input, however large or strange, raises.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from django.utils import translation
from django.utils.translation import gettext

from civicdesk.assistant.choices import EmergencyCategory
from civicdesk.assistant.emergency_rules import FAMILIES, PRIORITY, HazardRule
from civicdesk.assistant.emergency_rules.cues import (
    CLAUSE_BREAK,
    CRASH,
    ENGLISH_WORDS,
    HABITUAL,
    MACROS,
    MASKS,
    MODAL,
    NEGATION_PHRASE,
    NEGATION_WINDOW,
    NEGATIONS,
    PAST,
    PRESENT,
    RESOLVED,
    SPANISH_WORDS,
)

MAX_CHARS = 10_000
LONG_TEXT = 1_000
LANGUAGES = ("en", "es")


@dataclass(frozen=True, slots=True)
class Evidence:
    """The words that showed the danger, where they are in the text, and the rule that read them."""

    category: EmergencyCategory
    text: str
    start: int
    end: int
    rule: str


@dataclass(frozen=True, slots=True)
class EmergencyFinding:
    """What `detect` read. `category` is the most specific danger found (None when there is
    none); `categories` has every one, most specific first."""

    is_emergency: bool
    category: EmergencyCategory | None
    categories: tuple[EmergencyCategory, ...]
    evidence: tuple[Evidence, ...]
    language: str

    def __bool__(self) -> bool:
        return self.is_emergency


NO_EMERGENCY = EmergencyFinding(
    is_emergency=False, category=None, categories=(), evidence=(), language="en"
)


def detect(text: str | bytes | None, language: str | None = None) -> EmergencyFinding:
    """Read a resident's words for danger to life or property happening now.

    Never raises: empty, huge, binary or malformed input is read as far as it makes sense.
    """
    source = _as_text(text)
    hint = _language_code(language)
    if not source.strip():
        return _nothing(hint or "en")
    folded = source.translate(_fold_table())
    if not any(_triggered(family.triggers, folded) for family in FAMILIES.values()):
        return _nothing(_detect_language(folded, hint))
    masked = folded
    for keys, pattern in _mask_patterns():
        if any(key in folded for key in keys):
            masked = pattern.sub(_blank, masked)
    detected = _detect_language(masked, hint)
    families = [family for family in FAMILIES.values() if _triggered(family.triggers, masked)]
    if not families:
        return _nothing(detected)
    document = _Document(masked)
    evidence: list[Evidence] = []
    casualty = False
    for family in families:
        for rule in family.rules:
            for match in _compiled(rule).finditer(masked):
                if document.allows(match.start(), match.end(), rule):
                    category = EmergencyCategory(rule.category)
                    evidence.append(
                        Evidence(
                            category=category,
                            text=source[match.start() : match.end()],
                            start=match.start(),
                            end=match.end(),
                            rule=rule.name,
                        )
                    )
                    casualty = casualty or rule.casualty
    if casualty:
        evidence += _crash_evidence(source, masked, document)
    return _finding(evidence, detected)


def emergency_advice(language: str | None = None) -> str:
    """The sentence every channel shows or says first when `detect` finds an emergency."""
    with translation.override(_language_code(language) or "en"):
        return gettext("If this is an emergency, call 911 now.")


def _as_text(text: str | bytes | None) -> str:
    if isinstance(text, bytes | bytearray):
        text = bytes(text[: MAX_CHARS * 4]).decode("utf-8", errors="replace")
    if not isinstance(text, str):
        return ""
    if len(text) > MAX_CHARS:
        text = _cut(text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        # Decomposed accents would fold to two characters; composed, every character is one.
        text = unicodedata.normalize("NFC", text)[:MAX_CHARS]
    return text


def _cut(text: str) -> str:
    """The first MAX_CHARS characters, ended at a sentence (or at least a word) so that a
    routine phrase cut in half ("gas | station") is not read as a hazard."""
    text = text[:MAX_CHARS]
    sentence_end = max(text.rfind(mark) for mark in ".!?\n")
    if sentence_end > MAX_CHARS - 1000:
        return text[: sentence_end + 1]
    return text[: max(text.rfind(" "), 0)] or text


def _language_code(language: str | None) -> str:
    code = (language or "").strip().lower()[:2]
    return code if code in LANGUAGES else ""


def _nothing(language: str) -> EmergencyFinding:
    return EmergencyFinding(
        is_emergency=False, category=None, categories=(), evidence=(), language=language
    )


def _finding(evidence: list[Evidence], language: str) -> EmergencyFinding:
    if not evidence:
        return _nothing(language)
    found = {item.category for item in evidence}
    categories = tuple(category for category in PRIORITY if category in found)
    evidence.sort(key=lambda item: (PRIORITY.index(item.category), item.start))
    return EmergencyFinding(
        is_emergency=True,
        category=categories[0],
        categories=categories,
        evidence=tuple(_distinct(evidence)),
        language=language,
    )


def _distinct(evidence: list[Evidence]) -> Iterator[Evidence]:
    """Drop evidence that repeats the same words for the same category."""
    seen: list[tuple[EmergencyCategory, int, int]] = []
    for item in evidence:
        if any(
            category == item.category and start < item.end and item.start < end
            for category, start, end in seen
        ):
            continue
        seen.append((item.category, item.start, item.end))
        yield item


def _crash_evidence(source: str, masked: str, document: "_Document") -> list[Evidence]:
    for match in _crash_pattern().finditer(masked):
        if document.allows(match.start(), match.end(), None):
            return [
                Evidence(
                    category=EmergencyCategory.CRASH_WITH_INJURIES,
                    text=source[match.start() : match.end()],
                    start=match.start(),
                    end=match.end(),
                    rule="crash+casualty",
                )
            ]
    return []


def _detect_language(masked: str, hint: str) -> str:
    words = _WORD.findall(masked)
    english = sum(word in ENGLISH_WORDS for word in words)
    spanish = sum(word in SPANISH_WORDS for word in words)
    if english == spanish:
        return hint or "en"
    return "en" if english > spanish else "es"


def _triggered(triggers: tuple[str, ...], text: str) -> bool:
    # One regex beats a loop of `in` on a short text; on a long one, the loop's C scans win.
    if len(text) > LONG_TEXT:
        return any(trigger in text for trigger in triggers)
    return _triggers(triggers).search(text) is not None


@cache
def _triggers(triggers: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(trigger) for trigger in triggers))


def _blank(match: re.Match[str]) -> str:
    return "x" * (match.end() - match.start())


class _Document:
    """Where sentences and clauses begin and end, and which cues each sentence holds; worked out
    once per sentence, only for sentences where a rule matched."""

    def __init__(self, masked: str) -> None:
        self.text = masked
        self._sentences: dict[int, tuple[bool, bool]] = {}
        last_resolved = max((cue.end() for cue in _cue("resolved").finditer(masked)), default=-1)
        self.resolved_until = self._sentence_end(last_resolved) if last_resolved >= 0 else -1

    def allows(self, start: int, end: int, rule: HazardRule | None) -> bool:
        if start < self.resolved_until:
            return False
        text = self.text
        sentence_start = text.rfind(".", 0, start) + 1
        clause_start = max(sentence_start, text.rfind(",", 0, start) + 1)
        prefix = text[clause_start:start]
        breaks = [cut.end() for cut in _cue("clause_break").finditer(prefix)]
        if breaks:
            clause_start += breaks[-1]
            prefix = text[clause_start:start]
        if (
            self._negated(prefix)
            or _cue("negation_phrase").search(prefix)
            or _cue("modal").search(prefix)
        ):
            return False
        past_or_habit, present = self._sentence_cues(sentence_start)
        if past_or_habit and not present:
            return False
        if rule is None:
            return True
        if rule.unless and _compiled_cue(rule.unless).search(text):
            return False
        if rule.requires and not _compiled_cue(rule.requires).search(text):
            return False
        if rule.unless_near:
            clause_end = min(
                position
                for position in (text.find(",", end), text.find(".", end), len(text))
                if position >= 0
            )
            if _compiled_cue(rule.unless_near).search(text, clause_start, clause_end):
                return False
        return True

    def _negated(self, prefix: str) -> bool:
        words = _WORD.findall(prefix)[-NEGATION_WINDOW:]
        return any(word in NEGATIONS for word in words)

    def _sentence_cues(self, sentence_start: int) -> tuple[bool, bool]:
        cues = self._sentences.get(sentence_start)
        if cues is None:
            sentence = self.text[sentence_start : self._sentence_end(sentence_start)]
            past_or_habit = bool(_cue("past").search(sentence) or _cue("habitual").search(sentence))
            present = bool(_cue("present").search(sentence))
            cues = self._sentences[sentence_start] = (past_or_habit, present)
        return cues

    def _sentence_end(self, position: int) -> int:
        end = self.text.find(".", position)
        return len(self.text) if end < 0 else end


_WORD = re.compile(r"[\w']+")
_SEPARATOR = "[ ,]+"
_MACRO = re.compile(r"<(\w+)>")


def _expand(pattern: str) -> str:
    """Macros in, then every space made "any run of spaces and commas", whole words only."""
    for _ in range(3):
        pattern = _MACRO.sub(lambda match: MACROS[match.group(1)], pattern)
    pattern = pattern.replace(" ", _SEPARATOR)
    return rf"(?<![\w'])(?:{pattern})(?![\w'])"


@cache
def _compiled(rule: HazardRule) -> re.Pattern[str]:
    return re.compile(_expand(rule.pattern))


@cache
def _compiled_cue(pattern: str) -> re.Pattern[str]:
    return re.compile(_expand(pattern))


_CUES = {
    "modal": MODAL,
    "negation_phrase": NEGATION_PHRASE,
    "past": PAST,
    "habitual": HABITUAL,
    "present": PRESENT,
    "resolved": RESOLVED,
    "clause_break": CLAUSE_BREAK,
}


def _cue(name: str) -> re.Pattern[str]:
    return _compiled_cue(_CUES[name])


@cache
def _mask_patterns() -> tuple[tuple[tuple[str, ...], re.Pattern[str]], ...]:
    return tuple(
        (keys, re.compile("|".join(f"(?:{_expand(mask)})" for mask in masks)))
        for keys, masks in MASKS.items()
    )


@cache
def _crash_pattern() -> re.Pattern[str]:
    return re.compile(_expand(CRASH))


_SENTENCE_ENDS = ".!?;\n\r|\u2026\u2028\u2029"
_APOSTROPHES = "'\u2019\u2018`\u00b4\u02bc"


@cache
def _fold_table() -> dict[int, str]:
    """One character for one character: lowercase letters without accents and digits stay,
    apostrophes become ', sentence ends become ".", commas stay, everything else is a space.
    Characters beyond Latin Extended-B are left alone (no pattern matches them)."""
    table: dict[int, str] = {}
    for code in range(0x250):
        char = chr(code)
        if char in _SENTENCE_ENDS:
            table[code] = "."
        elif char in _APOSTROPHES:
            table[code] = "'"
        elif char == ",":
            table[code] = ","
        else:
            base = "".join(
                part
                for part in unicodedata.normalize("NFKD", char.lower())
                if not unicodedata.combining(part)
            )
            table[code] = base if len(base) == 1 and base.isalnum() else " "
    table[ord("ß")] = "s"
    for char in _APOSTROPHES + "\u2026\u2028\u2029":
        table[ord(char)] = "'" if char in _APOSTROPHES else "."
    return table


def warm_up() -> None:
    """Compile every pattern now rather than on the first resident's text."""
    _mask_patterns()
    _crash_pattern()
    for name in _CUES:
        _cue(name)
    for family in FAMILIES.values():
        _triggers(family.triggers)
        for rule in family.rules:
            _compiled(rule)
            for extra in (rule.unless, rule.unless_near, rule.requires):
                if extra:
                    _compiled_cue(extra)
