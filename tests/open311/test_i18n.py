"""The Open311 app's Spanish text (service notices, the jurisdiction admin) reaches a client
that asks for Spanish. Catalog completeness is checked for every app in
tests/core/test_translation_catalogs.py."""

import pytest
from django.utils import translation

from civicdesk.catalog.models import ServiceType
from civicdesk.open311.models import Jurisdiction
from civicdesk.open311.services import service_notice
from tests.open311.test_post_support import new_key, post, pothole_form


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
