"""Text-only contacts are categorized by the classifier, or wait for a person in triage."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicdesk.catalog.models import ContactReason, ServiceType
from civicdesk.contacts.choices import Channel
from civicdesk.contacts.models import Contact
from civicdesk.contacts.selectors import contacts_awaiting_triage, triage_decisions
from civicdesk.contacts.services import (
    contact_categorize,
    contact_classify,
    contact_record,
    contact_triage_resolve,
)
from civicdesk.routing.selectors import dataset_from_cases

pytestmark = pytest.mark.django_db

TRIAGE_URL = "/admin/contacts/contact/triage/"


def categorized(text: str, channel: Channel = Channel.EMAIL, **extra: str) -> Contact:
    contact = contact_record(channel=channel, **extra)
    contact_categorize(contact=contact, text=text)
    contact.refresh_from_db()
    return contact


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  ",
        "😀🎉🔥👍",
        "xqzv blorp fnarg wibble qwrtp",
        "asdkjhqwe zxmnbv lkjhg",
        "Huge hole in the road by the bus stop. " * 400,
    ],
    ids=["empty", "whitespace", "emoji", "nonsense", "random-letters", "very-long"],
)
def test_empty_or_nonsense_text_goes_to_triage_never_to_a_service(active_classifier, text):
    contact = categorized(text)

    assert contact.service_type is None
    assert contact.reason is None
    assert contact.triage_since is not None
    assert contact.classification["service_code"] == ""
    assert contact.classification["triage_reason"]
    assert contact.classification["model_version"] == active_classifier.number
    assert list(contacts_awaiting_triage()) == [contact]


def test_a_clear_text_gets_its_service_type_with_the_model_and_confidence(active_classifier):
    contact = categorized("There is a huge hole in the road by the bus stop, my tire burst")

    assert contact.service_type.code == "pothole"
    assert contact.triage_since is None
    assert contact.classification["model_version"] == active_classifier.number
    assert contact.classification["confidence"] >= 0.6
    assert contact.classification["top"][0][0] == "pothole"
    assert len(contact.classification["top"]) == 3
    assert contact.classified_text.startswith("There is a huge hole")
    assert not contacts_awaiting_triage().exists()


def test_the_catalogs_contact_reason_for_the_service_type_is_recorded_too(active_classifier):
    contact = categorized("Garbage truck never came, bins still full on our street", Channel.SMS)

    assert contact.service_type.code == "missed-trash"
    assert contact.reason.code == "report-missed-collection"


def test_an_emergency_keeps_its_own_path_and_never_waits_for_triage(active_classifier):
    contact = categorized("I smell gas in my kitchen right now")

    assert contact.emergency is True
    assert contact.emergency_category == "gas"
    assert contact.triage_since is None
    assert not contacts_awaiting_triage().exists()


def test_only_the_first_categorization_counts(active_classifier):
    contact = categorized("xqzv blorp fnarg")
    first = contact.classified_at

    contact_categorize(contact=contact, text="Huge hole in the road by the bus stop")
    again = Contact.objects.get(pk=contact.pk)
    assert again.classified_at == first
    assert again.service_type is None
    assert again.classified_text == "xqzv blorp fnarg"


def test_without_an_active_classifier_every_contact_goes_to_triage(db):
    contact = categorized("Huge hole in the road by the bus stop")

    assert contact.service_type is None
    assert contact.classification["triage_reason"] == "no_model"
    assert list(contacts_awaiting_triage()) == [contact]


def test_the_queue_is_oldest_first_and_drops_contacts_whose_reason_became_known(
    active_classifier,
):
    late, early, answered = (categorized("wibble fnarg") for _ in range(3))
    for contact, minutes_ago in ((late, 5), (early, 50), (answered, 80)):
        Contact.objects.filter(pk=contact.pk).update(
            triage_since=timezone.now() - timedelta(minutes=minutes_ago)
        )
    contact_classify(contact=answered, reason=ContactReason.objects.get())

    assert list(contacts_awaiting_triage()) == [early, late]


def test_a_persons_decision_takes_it_out_of_the_queue_and_is_kept_for_training(
    active_classifier,
):
    person = User.objects.create_user("triager", is_staff=True)
    contact = categorized("the thing on the corner is broken again, wibble")
    graffiti = ServiceType.objects.get(code="graffiti")

    contact_triage_resolve(contact=contact, service_type=graffiti, actor=person)

    contact.refresh_from_db()
    assert (contact.service_type, contact.triaged_by) == (graffiti, person)
    assert contact.classification["decision"]["service_code"] == "graffiti"
    assert not contacts_awaiting_triage().exists()
    assert list(triage_decisions()) == [contact]
    examples = dataset_from_cases().examples
    assert [(example.text, example.label) for example in examples] == [
        ("the thing on the corner is broken again, wibble", "graffiti")
    ]


def test_a_reason_that_is_a_service_request_sets_its_service_type(active_classifier):
    person = User.objects.create_user("triager", is_staff=True)
    contact = categorized("wibble fnarg")

    contact_triage_resolve(contact=contact, reason=ContactReason.objects.get(), actor=person)

    contact.refresh_from_db()
    assert contact.service_type.code == "missed-trash"
    assert contact.reason.code == "report-missed-collection"


@pytest.fixture
def triager(db) -> User:
    user = User.objects.create_user("triager", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_contact"))
    return user


def test_the_triage_page_needs_staff_with_permission(active_classifier, client: Client):
    contact = categorized("wibble fnarg")
    assert client.get(TRIAGE_URL).status_code == 302  # to the admin sign-in
    client.force_login(User.objects.create_user("viewer", is_staff=True))
    assert client.get(TRIAGE_URL).status_code == 403
    response = client.post(f"{TRIAGE_URL}{contact.pk}/", {"service_type": "pothole"})
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.service_type is None


def test_staff_see_the_text_and_top_three_oldest_first_and_resolve(
    active_classifier, client: Client, triager, settings
):
    settings.CIVICDESK_ROUTING_CONFIDENCE = 0.9999
    unsure = categorized("the lamp on the corner of my street, wibble")
    later = categorized("wibble fnarg")
    Contact.objects.filter(pk=later.pk).update(triage_since=timezone.now() + timedelta(seconds=1))
    client.force_login(triager)

    page = client.get(TRIAGE_URL)
    content = page.content.decode()
    assert page.status_code == 200
    assert content.index(f'data-triage="{unsure.pk}"') < content.index(f'data-triage="{later.pk}"')
    assert "the lamp on the corner of my street" in content
    assert 'data-suggested="streetlight"' in content
    assert "Street light out (" in content

    response = client.post(f"{TRIAGE_URL}{unsure.pk}/", {"suggested": "streetlight"}, follow=True)
    assert response.status_code == 200
    unsure.refresh_from_db()
    assert unsure.service_type.code == "streetlight"
    assert unsure.triaged_by == triager
    assert f'data-triage="{unsure.pk}"' not in response.content.decode()


def test_choosing_nothing_is_refused_with_a_message(active_classifier, client: Client, triager):
    contact = categorized("wibble fnarg")
    client.force_login(triager)

    response = client.post(f"{TRIAGE_URL}{contact.pk}/", {"service_type": ""}, follow=True)
    assert "Choose a service type or a contact reason." in response.content.decode()
    contact.refresh_from_db()
    assert contact.triaged_at is None


def test_the_triage_page_reads_in_a_fixed_number_of_queries(
    active_classifier, client: Client, triager, django_assert_max_num_queries
):
    for _ in range(12):
        categorized("wibble fnarg")
    client.force_login(triager)
    with django_assert_max_num_queries(12):
        assert client.get(TRIAGE_URL).status_code == 200


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_text_gets_a_service_it_is_sure_of_or_a_person(active_classifier, text):
    contact = contact_record(channel=Channel.SMS)
    contact_categorize(contact=contact, text=text)
    contact.refresh_from_db()

    if contact.emergency:
        assert contact.triage_since is None
    elif contact.service_type is None:
        assert contact.triage_since is not None
        assert contact.classification["triage_reason"]
    else:
        assert contact.triage_since is None
        assert contact.classification["confidence"] >= 0.6
        assert contact.classification["top"][0][0] == contact.service_type.code
