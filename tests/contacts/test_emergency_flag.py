"""Contacts whose words described an emergency: flagged, and first in the staff queue."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from civicdesk.assistant.choices import EmergencyCategory
from civicdesk.contacts.choices import Channel
from civicdesk.contacts.models import Contact
from civicdesk.contacts.selectors import contacts_emergency_first
from civicdesk.contacts.services import contact_flag_emergency, contact_record


@pytest.mark.django_db
def test_a_contact_recorded_with_a_category_is_an_emergency():
    contact = contact_record(channel=Channel.SMS, emergency_category=EmergencyCategory.GAS)
    plain = contact_record(channel=Channel.SMS)

    contact.refresh_from_db()
    assert contact.emergency and contact.emergency_category == "gas"
    assert contact.get_emergency_category_display() == "Gas leak or gas smell"
    assert not plain.emergency and plain.emergency_category == ""


@pytest.mark.django_db
def test_a_category_without_the_flag_is_refused():
    contact = Contact(channel=Channel.WEB, emergency=False, emergency_category="fire")

    with pytest.raises(ValidationError, match="Only an emergency"):
        contact.full_clean()


@pytest.mark.django_db
def test_a_chat_that_turns_urgent_is_flagged_once_with_its_first_category():
    contact = contact_record(channel=Channel.CHAT)

    contact_flag_emergency(contact=contact, category=EmergencyCategory.FIRE)
    contact_flag_emergency(contact=contact, category=EmergencyCategory.INJURY)

    contact.refresh_from_db()
    assert contact.emergency and contact.emergency_category == "fire"


@pytest.mark.django_db
def test_the_staff_queue_shows_emergencies_first_then_newest(django_assert_num_queries):
    now = timezone.now()
    old_emergency = contact_record(
        channel=Channel.WEB,
        emergency_category=EmergencyCategory.LIVE_WIRES,
        started_at=now - timedelta(days=2),
    )
    newest = contact_record(channel=Channel.WEB, started_at=now)
    older = contact_record(channel=Channel.SMS, started_at=now - timedelta(hours=1))
    new_emergency = contact_record(
        channel=Channel.SMS,
        emergency_category=EmergencyCategory.FIRE,
        started_at=now - timedelta(minutes=5),
    )

    with django_assert_num_queries(1):
        queue = [contact.pk for contact in contacts_emergency_first()]
    assert queue == [new_emergency.pk, old_emergency.pk, newest.pk, older.pk]
    assert [c.pk for c in contacts_emergency_first(emergency_only=True)] == [
        new_emergency.pk,
        old_emergency.pk,
    ]
    assert [c.pk for c in contacts_emergency_first(channel=Channel.SMS)] == [
        new_emergency.pk,
        older.pk,
    ]


@pytest.mark.django_db
def test_the_admin_lists_flagged_contacts_first_and_filters_them(client):
    staff = User.objects.create_superuser("lead", "lead@example.org", "pw")
    client.force_login(staff)
    now = timezone.now()
    calm = contact_record(channel=Channel.WEB, summary="calm", started_at=now)
    urgent = contact_record(
        channel=Channel.WEB,
        summary="urgent",
        emergency_category=EmergencyCategory.GAS,
        started_at=now - timedelta(days=1),
    )
    url = reverse("admin:contacts_contact_changelist")

    page = client.get(url)
    filtered = client.get(url, {"emergency__exact": "1"})
    by_kind = client.get(url, {"emergency_category": "gas"})

    assert page.status_code == 200
    assert [c.pk for c in page.context["cl"].result_list] == [urgent.pk, calm.pk]
    assert "Gas leak or gas smell" in page.content.decode()
    assert [c.pk for c in filtered.context["cl"].result_list] == [urgent.pk]
    assert [c.pk for c in by_kind.context["cl"].result_list] == [urgent.pk]


def test_the_flag_and_the_channels_read_in_spanish():
    from django.utils import translation

    with translation.override("es"):
        assert str(Contact._meta.get_field("emergency").verbose_name) == "emergencia"
        assert str(Contact._meta.get_field("emergency_category").verbose_name) == (
            "tipo de emergencia"
        )
        assert [str(label) for label in Channel.labels][:3] == [
            "Portal web",
            "API Open311",
            "Correo electrónico",
        ]
