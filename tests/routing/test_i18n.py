"""Routing's staff-facing text is in English and Spanish."""

from django.utils import translation

from civicdesk.routing.choices import TriageReason
from civicdesk.routing.models import ClassifierVersion


def test_triage_reasons_and_versions_read_in_spanish():
    with translation.override("es"):
        assert (
            str(TriageReason.LOW_CONFIDENCE.label) == "El clasificador no está lo bastante seguro"
        )
        assert str(ClassifierVersion._meta.verbose_name_plural) == "versiones del clasificador"
