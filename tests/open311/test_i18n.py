"""The Open311 app's Spanish catalog (service notices, the jurisdiction admin) is complete and
compiled, and a client that asks for Spanish gets it."""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

import civicdesk.open311
from civicdesk.catalog.models import ServiceType
from civicdesk.open311.models import Jurisdiction
from civicdesk.open311.services import service_notice
from tests.open311.test_post_support import new_key, post, pothole_form

LOCALE = Path(civicdesk.open311.__file__).parent / "locale" / "es" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_every_entry_is_translated_and_compiled():
    source = polib.pofile(str(LOCALE / "django.po"))
    assert source.percent_translated() == 100
    assert not source.fuzzy_entries() and not source.metadata_is_fuzzy
    with (LOCALE / "django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    for entry in source:
        if entry.msgid_plural:
            assert catalog.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
            assert catalog.ngettext(entry.msgid, entry.msgid_plural, 5) == entry.msgstr_plural[1]
            translations = list(entry.msgstr_plural.values())
        else:
            assert catalog.gettext(entry.msgid) == entry.msgstr
            translations = [entry.msgstr]
        wanted = set(PLACEHOLDER.findall(entry.msgid + entry.msgid_plural))
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) == wanted, entry.msgid


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
