"""Routing's staff-facing text is in English and Spanish."""

import re
from pathlib import Path

from django.utils import translation

import civicdesk.routing
from civicdesk.routing.choices import TriageReason
from civicdesk.routing.models import ClassifierVersion

CATALOG = Path(civicdesk.routing.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "django.po"


def entries(source: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every entry but the header, continuation lines joined."""
    pairs = []
    for block in source.split("\n\n"):
        text = "\n".join(line for line in block.splitlines() if not line.startswith("#"))
        fields = dict(re.findall(r'^(msgid|msgstr) ((?:".*"\n?)+)', text, re.M))
        joined = {key: "".join(re.findall(r'"(.*)"', value)) for key, value in fields.items()}
        if joined.get("msgid"):
            pairs.append((joined["msgid"], joined.get("msgstr", "")))
    return pairs


def test_every_routing_string_has_a_spanish_translation():
    source = CATALOG.read_text(encoding="utf-8")
    pairs = entries(source)
    assert len(pairs) > 30
    assert [msgid for msgid, msgstr in pairs if not msgstr] == []
    assert "fuzzy" not in source


def test_triage_reasons_and_versions_read_in_spanish():
    with translation.override("es"):
        assert (
            str(TriageReason.LOW_CONFIDENCE.label) == "El clasificador no está lo bastante seguro"
        )
        assert str(ClassifierVersion._meta.verbose_name_plural) == "versiones del clasificador"
