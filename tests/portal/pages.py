"""What the portal tests look for in pages."""

import re
from typing import Any

# Personal details that must never reach a public page.
RESIDENT_FIRST = "Zebediah"
RESIDENT_LAST = "Quackenbush"
RESIDENT_EMAIL = "zebediah.quackenbush@example.org"
RESIDENT_PHONE = "+16175550199"
AGENT_NAME = "Agathangelos"
INTERNAL_NOTE = "INTERNAL-ONLY-7c1e: caller sounded upset"
PERSONAL_MARKERS = (
    RESIDENT_FIRST,
    RESIDENT_LAST,
    RESIDENT_EMAIL,
    RESIDENT_PHONE,
    "617-555-0199",
    "6175550199",
    AGENT_NAME,
    "agent7",
    "INTERNAL-ONLY-7c1e",
)


def page_text(response: Any) -> str:
    return response.content.decode()


def html_lang(response: Any) -> str:
    match = re.search(r'<html lang="([^"]+)"', page_text(response))
    assert match, "the page has no <html lang>"
    return match.group(1)


def attribute_values(response: Any, attribute: str) -> list[str]:
    """The values of a data attribute in document order, e.g. the top tasks as shown."""
    return re.findall(rf'{attribute}="([^"]*)"', page_text(response))


def assert_no_personal_data(text: str) -> None:
    leaked = [marker for marker in PERSONAL_MARKERS if marker.casefold() in text.casefold()]
    assert not leaked, f"personal data on a public page: {leaked}"
