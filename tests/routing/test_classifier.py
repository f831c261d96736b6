"""`classify`: a clear report gets its service type; anything doubtful goes to a person."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicdesk.catalog.models import ServiceType
from civicdesk.routing.choices import TriageReason
from civicdesk.routing.classifier import MAX_TEXT_CHARS, classify


@pytest.fixture
def active(train_version):
    return train_version()


@pytest.mark.django_db
def test_a_clear_report_gets_its_service_type(active):
    suggestion = classify("Huge hole in the road by the bus stop, my tire burst")
    assert suggestion.needs_triage is False
    assert suggestion.service_code == "pothole"
    assert suggestion.confidence >= 0.6
    assert suggestion.top[0] == ("pothole", suggestion.confidence)
    assert len(suggestion.top) == 3
    assert suggestion.model_version == active.number


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", TriageReason.EMPTY),
        ("   \n\t ", TriageReason.EMPTY),
        ("?! 123 ... ok", TriageReason.EMPTY),
        ("Unshovelled location: Sidewalk | City Owned: No", TriageReason.EMPTY),
        ("\x00\x01\x02PNG\x00binary\x00", TriageReason.UNREADABLE),
        ("pot\ufffd\ufffdhole\ufffd\ufffd\ufffd in \ufffd\ufffd road", TriageReason.UNREADABLE),
        ("pothole " * (MAX_TEXT_CHARS // 8 + 1), TriageReason.TOO_LONG),
        ("xqzv blorp fnarg wibble", TriageReason.NO_KNOWN_WORDS),
    ],
)
def test_empty_or_nonsense_text_goes_to_triage_never_to_a_service(active, text, reason):
    suggestion = classify(text)
    assert suggestion.needs_triage is True
    assert suggestion.reason == reason
    assert suggestion.service_code is None
    assert suggestion.top == []


@pytest.mark.django_db
def test_a_language_the_model_was_not_trained_on_goes_to_triage(active):
    assert classify("Hay un bache enorme en la calle", language="es").reason == "language"
    assert classify("There is a deep pothole", language="en-US").service_code == "pothole"


@pytest.mark.django_db
def test_below_the_threshold_a_person_decides_but_sees_the_candidates(active, settings):
    settings.CIVICDESK_ROUTING_CONFIDENCE = 0.9999
    suggestion = classify("There is a deep pothole near the crosswalk")
    assert suggestion.needs_triage is True
    assert suggestion.reason == TriageReason.LOW_CONFIDENCE
    assert suggestion.service_code is None
    assert suggestion.top[0][0] == "pothole"


@pytest.mark.django_db
def test_a_service_type_switched_off_in_the_catalog_is_never_suggested(active):
    pothole = ServiceType.objects.get(code="pothole")
    pothole.is_active = False
    pothole.save()

    suggestion = classify("Huge hole in the road by the bus stop, my tire burst")
    assert "pothole" not in [code for code, _ in suggestion.top]
    assert suggestion.service_code != "pothole"


@pytest.mark.django_db
def test_without_an_active_classifier_everything_goes_to_triage(catalog):
    suggestion = classify("There is a deep pothole")
    assert (suggestion.needs_triage, suggestion.reason) == (True, TriageReason.NO_MODEL)
    assert suggestion.service_code is None


@pytest.mark.django_db
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_gets_either_a_confident_service_or_triage(active, text):
    suggestion = classify(text)
    if suggestion.needs_triage:
        assert suggestion.service_code is None
        assert suggestion.reason
    else:
        assert suggestion.service_code == suggestion.top[0][0]
        assert suggestion.confidence >= 0.6
