"""The agent queue: contacts handed to a person, emergencies first, then the longest waiting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicdesk.contacts.choices import Channel, MessageSender
from civicdesk.contacts.selectors import contacts_waiting_for_agent
from civicdesk.contacts.services import (
    contact_classify,
    contact_message_add,
    contact_queue_for_agent,
    contact_record,
)

pytestmark = pytest.mark.django_db


def test_emergencies_come_first_then_the_longest_waiting():
    early, late, urgent, not_queued = (contact_record(channel=Channel.CHAT) for _ in range(4))
    for contact, minutes_ago in ((early, 30), (late, 5), (urgent, 1)):
        contact_queue_for_agent(contact=contact)
        contact.waiting_since = timezone.now() - timedelta(minutes=minutes_ago)
        contact.save(update_fields=["waiting_since"])
    contact_classify(contact=urgent, emergency_category="gas")

    assert list(contacts_waiting_for_agent()) == [urgent, early, late]
    assert not_queued not in contacts_waiting_for_agent()


def test_queueing_twice_keeps_the_first_time():
    contact = contact_record(channel=Channel.CHAT)
    first = contact_queue_for_agent(contact=contact).waiting_since
    contact_queue_for_agent(contact=contact)
    contact.refresh_from_db()
    assert contact.waiting_since == first


def test_the_transcript_is_in_order_and_moves_the_last_activity():
    contact = contact_record(channel=Channel.CHAT)
    contact_message_add(contact=contact, sender=MessageSender.RESIDENT, text="hello")
    last = contact_message_add(
        contact=contact, sender=MessageSender.ASSISTANT, text="Hi!", kind="greeting"
    )
    contact.refresh_from_db()
    assert [m.text for m in contact.messages.all()] == ["hello", "Hi!"]
    assert contact.ended_at == last.created_at
