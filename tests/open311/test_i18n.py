"""The Open311 app's Spanish catalog (service notices, the jurisdiction admin) is complete and
compiled, and a client that asks for Spanish gets it."""

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

import civicdesk.open311
from civicdesk.catalog.models import ServiceType
from civicdesk.open311.models import Jurisdiction
from civicdesk.open311.services import service_notice
from tests.open311.test_post_support import new_key, post, pothole_form

LOCALE = Path(civicdesk.open311.__file__).parent / "locale" / "es" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _unquote(text: str) -> str:
    return "".join(
        part.encode("latin-1", "backslashreplace").decode("unicode_escape")
        for part in re.findall(r'"((?:[^"\\]|\\.)*)"', text)
    )


def po_entries() -> list[tuple[str, str, list[str]]]:
    """(msgid, msgid_plural, msgstrs) of every entry but the header."""
    source = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in source.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        text = "\n".join(lines)
        fields = re.findall(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) ((?:".*"\n?)+)', text, re.M)
        values = {name: _unquote(value) for name, value in fields}
        if values.get("msgid"):
            strs = [value for name, value in values.items() if name.startswith("msgstr")]
            entries.append((values["msgid"], values.get("msgid_plural", ""), strs))
    return entries


def test_every_entry_is_translated_and_compiled():
    entries = po_entries()
    assert len(entries) >= 10
    assert "fuzzy" not in (LOCALE / "django.po").read_text(encoding="utf-8")
    with (LOCALE / "django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    for msgid, plural, strs in entries:
        assert all(strs), msgid
        if plural:
            assert catalog.ngettext(msgid, plural, 1) == strs[0], msgid
            assert catalog.ngettext(msgid, plural, 5) == strs[1], msgid
        else:
            assert catalog.gettext(msgid) == strs[0], msgid
        wanted = set(PLACEHOLDER.findall(msgid + plural))
        for text in strs:
            assert set(PLACEHOLDER.findall(text)) == wanted, msgid


@pytest.mark.django_db
def test_spanish_service_notice_and_admin_help(demo_catalog):
    bulk = ServiceType.objects.get(code="bulk-item-pickup")
    with translation.override("es"):
        assert service_notice(service_type=bulk) == "Nuestro objetivo es responder en 7 días."
        help_text = str(Jurisdiction._meta.get_field("is_active").help_text)
    assert help_text == "Atendida por Open311; una inactiva responde 404."


@pytest.mark.django_db
def test_a_client_asking_for_spanish_gets_a_spanish_service_notice(client, demo_catalog):
    form = pothole_form(new_key())
    english = post(client, "json", form)
    spanish = post(client, "json", form, HTTP_ACCEPT_LANGUAGE="es")
    assert english.json()[0]["service_notice"].startswith("We aim to respond within")
    assert spanish.json()[0]["service_notice"].startswith("Nuestro objetivo es responder en")
