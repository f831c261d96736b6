"""Checking the contact details written in an article: phone numbers, emails, hours, addresses.

Every article is checked for well-formed details: a phone number that cannot exist, an email
address that is not one, a time like "13 p.m.", a ZIP code that is not five digits. Articles
the city writes itself (no `source_url`) are also held to the catalog: each phone number and
email must be a department's on record, and opening hours stated in the article (a time range
in a sentence about being open or about hours) must be among its owner's recorded hours.
An office address given where the article speaks of visiting or opening hours must be a
department's address on record. Information from another agency links to that agency instead,
so its details are only checked for form.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from civicdesk.catalog.models import Department
from civicdesk.knowledge.rendering import markdown_plain_text

PHONE = "phone"
EMAIL = "email"
HOURS = "hours"
ADDRESS = "address"

# Digits grouped like a North American number (3-3-4), with the usual punctuation; the last
# group's length is left loose so that a digit too few or too many is caught, not skipped.
_PHONE_CANDIDATE = re.compile(
    r"(?<![\w/.:-])(?:\+?1[ .-]?)?(?:\(\d{3}\)[ ]?|\d{3}[ .-])\d{3}[ .-]\d{2,6}(?![\w/-])"
)
_EMAIL_CANDIDATE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*")
_TIME = r"(\d{1,2})(?::(\d{2}))?\s*(?:([ap])\.?\s?m\b\.?)?"
_RANGE = re.compile(
    r"(?<![\d:/.-])" + _TIME + r"\s*(?:-|\u2013|\u2014|to|until|through|a|hasta)\s*" + _TIME,
    re.IGNORECASE,
)
_OPENING_WORDS = re.compile(
    r"\b(open|opens|hours|office|staffed|horario|horas|abiert[oa]s?|oficina|atiende|atención)\b",
    re.IGNORECASE,
)
# A sentence ends at a stop followed by a capital, so "8 a.m. to 4 p.m." stays in one piece.
_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z\u00c0-\u00de\u00bf\u00a1])|\n+")
_STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Square|Sq|Place|Pl|Plaza|Plz|Drive|Dr|"
    r"Lane|Ln|Way|Court|Ct|Terrace|Ter|Highway|Hwy|Parkway|Pkwy)"
)
# "1 City Hall Square, Boston, MA 02201": a state abbreviation then the ZIP code.
_STATE_ZIP = re.compile(
    r"\b" + _STREET_SUFFIX + r"\b\.?,?(?:\s+[A-Z][a-z]+)*,?\s+([A-Z]{2})\s+(\d[\d-]*)\b"
)
# The street line before it: a house number, up to five words, the suffix.
_STREET_LINE = re.compile(
    r"\b(\d{1,6}[A-Za-z]?)\s+((?:[A-Z0-9][\w'.-]*\s+){0,5}?" + _STREET_SUFFIX + r")\b\.?,?"
    r"(?:\s+[A-Z][a-z]+)*,?\s+[A-Z]{2}\s+(\d{5})"
)
_VISITING_WORDS = re.compile(
    r"\b(open|opens|hours|office|visit|address|located|in person|horario|abiert[oa]s?|oficina|"
    r"visite|dirección|direccion|ubicad[oa]|en persona)\b",
    re.IGNORECASE,
)
_SUFFIXES = {
    "st": "street", "ave": "avenue", "rd": "road", "blvd": "boulevard", "sq": "square",
    "pl": "place", "plz": "plaza", "dr": "drive", "ln": "lane", "ct": "court", "ter": "terrace",
    "hwy": "highway", "pkwy": "parkway",
}  # fmt: skip
_ZIP = re.compile(r"\d{5}(?:-\d{4})?")


@dataclass(frozen=True)
class ContactProblem:
    """One detail in an article that is malformed or not what the catalog records."""

    kind: str
    text: str
    message: str


@dataclass(frozen=True)
class DepartmentRecord:
    """What the catalog says about reaching the departments, normalised for comparison."""

    phones: dict[str, str]
    emails: dict[str, str]
    addresses: dict[str, str]

    @classmethod
    def of(cls, departments: Iterable[Department]) -> "DepartmentRecord":
        phones: dict[str, str] = {}
        emails: dict[str, str] = {}
        addresses: dict[str, str] = {}
        for department in departments:
            number = _e164(department.phone)
            if number:
                phones.setdefault(number, department.name)
            if department.email:
                emails.setdefault(department.email.lower(), department.name)
            for match in _STREET_LINE.finditer(department.address):
                addresses.setdefault(_address_key(match), department.name)
        return cls(phones=phones, emails=emails, addresses=addresses)


def _address_key(match: re.Match[str]) -> str:
    """House number, street and ZIP code, spelled one way: "1 city hall square 02201"."""
    number, street, zip_code = match.groups()
    words = re.sub(r"[^\w\s]", " ", street.lower()).split()
    words[-1] = _SUFFIXES.get(words[-1], words[-1])
    return " ".join([number.lower(), *words, zip_code])


def _e164(text: str) -> str:
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, settings.CIVICDESK_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _minutes(hour: str, minute: str | None, half: str | None) -> int | None:
    """Minutes after midnight, or None when the time cannot exist."""
    h = int(hour)
    m = int(minute) if minute else 0
    if m > 59:
        return None
    if half:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if half.lower() == "p" else 0)
    elif minute is None or h > 24 or (h == 24 and m):
        return None
    return h * 60 + m


def time_ranges(text: str) -> list[tuple[str, int | None, int | None]]:
    """Every "a to b" time range in the text: (as written, start, end in minutes or None)."""
    ranges = []
    for match in _RANGE.finditer(text):
        h1, m1, half1, h2, m2, half2 = match.groups()
        if not (half1 or half2 or (m1 and m2)):
            continue  # "5 to 10" is a count, "10:30-11" too unclear to judge
        # "8-11 a.m.": a meridiem written once covers both ends.
        start = _minutes(h1, m1, half1 or half2)
        end = _minutes(h2, m2, half2 or half1)
        if not half1 and half2 and start is not None and end is not None and start >= end:
            start = _minutes(h1, m1, "a")  # "8 to 5 p.m." opens in the morning
        ranges.append((match.group(0).strip(), start, end))
    return ranges


def _phone_problems(
    text: str, record: DepartmentRecord, *, held_to_record: bool
) -> list[ContactProblem]:
    problems = []
    seen: set[str] = set()
    for match in _PHONE_CANDIDATE.finditer(text):
        written = match.group(0)
        if written in seen:
            continue
        seen.add(written)
        number = _e164(written)
        if not number:
            problems.append(
                ContactProblem(
                    PHONE,
                    written,
                    _("%(number)s is not a valid phone number.") % {"number": written},
                )
            )
        elif held_to_record and number not in record.phones:
            problems.append(
                ContactProblem(
                    PHONE,
                    written,
                    _("%(number)s is not the phone number of any department on record.")
                    % {"number": written},
                )
            )
    return problems


def _email_problems(
    text: str, record: DepartmentRecord, *, held_to_record: bool
) -> list[ContactProblem]:
    problems = []
    validate = EmailValidator()
    for written in dict.fromkeys(m.group(0).rstrip(".") for m in _EMAIL_CANDIDATE.finditer(text)):
        try:
            validate(written)
        except ValidationError:
            problems.append(
                ContactProblem(
                    EMAIL,
                    written,
                    _("%(email)s is not a valid email address.") % {"email": written},
                )
            )
            continue
        if held_to_record and written.lower() not in record.emails:
            problems.append(
                ContactProblem(
                    EMAIL,
                    written,
                    _("%(email)s is not the email address of any department on record.")
                    % {"email": written},
                )
            )
    return problems


def _hours_problems(
    text: str, owner: Department | None, *, held_to_record: bool
) -> list[ContactProblem]:
    problems = []
    recorded = {
        (start, end)
        for _written, start, end in time_ranges(owner.hours if owner is not None else "")
        if start is not None and end is not None
    }
    for sentence in _SENTENCE.split(text):
        about_opening = bool(_OPENING_WORDS.search(sentence))
        for written, start, end in time_ranges(sentence):
            if start is None or end is None:
                problems.append(
                    ContactProblem(
                        HOURS, written, _("%(hours)s is not a real time.") % {"hours": written}
                    )
                )
            elif held_to_record and about_opening and recorded and (start, end) not in recorded:
                problems.append(
                    ContactProblem(
                        HOURS,
                        written,
                        _("%(hours)s does not match %(department)s's hours on record (%(record)s).")
                        % {"hours": written, "department": owner.name, "record": owner.hours},  # type: ignore[union-attr]
                    )
                )
    return problems


def _address_problems(
    text: str, record: DepartmentRecord, *, held_to_record: bool
) -> list[ContactProblem]:
    problems = []
    for match in _STATE_ZIP.finditer(text):
        zip_code = match.group(2)
        if not _ZIP.fullmatch(zip_code):
            problems.append(
                ContactProblem(
                    ADDRESS,
                    match.group(0),
                    _("%(zip)s is not a ZIP code (five digits, or five and four).")
                    % {"zip": zip_code},
                )
            )
    if not (held_to_record and record.addresses):
        return problems
    for sentence in _SENTENCE.split(text):
        if not _VISITING_WORDS.search(sentence):
            continue
        for match in _STREET_LINE.finditer(sentence):
            if _address_key(match) not in record.addresses:
                written = match.group(0).rstrip(",. ")
                problems.append(
                    ContactProblem(
                        ADDRESS,
                        written,
                        _("%(address)s is not the address of any department on record.")
                        % {"address": written},
                    )
                )
    return problems


def article_contact_problems(
    *,
    title: str,
    summary: str,
    body: str,
    source_url: str,
    owner: Department | None,
    record: DepartmentRecord,
) -> list[ContactProblem]:
    """What is wrong with the contact details in one article's text (see the module's doc)."""
    text = "\n".join([title, summary, markdown_plain_text(body)])
    held_to_record = not source_url
    found = [
        *_phone_problems(text, record, held_to_record=held_to_record),
        *_email_problems(text, record, held_to_record=held_to_record),
        *_hours_problems(text, owner, held_to_record=held_to_record),
        *_address_problems(text, record, held_to_record=held_to_record),
    ]
    return list(dict.fromkeys(found))  # the summary often repeats what the body says


def department_record(departments: Sequence[Department] | None = None) -> DepartmentRecord:
    """The catalog's phone numbers, email and street addresses (active departments by default)."""
    if departments is None:
        departments = list(Department.objects.filter(is_active=True))
    return DepartmentRecord.of(departments)
