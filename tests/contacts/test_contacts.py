from datetime import timedelta

import pytest
from django.utils import timezone

from civicdesk.catalog.models import ContactReason
from civicdesk.contacts.choices import Channel
from civicdesk.contacts.selectors import contact_list, contact_reason_counts
from civicdesk.contacts.services import contact_record


@pytest.mark.django_db
def test_reason_counts_rank_why_people_got_in_touch_within_the_window():
    schedule = ContactReason.objects.create(code="trash-schedule", name="Trash schedule question")
    permit = ContactReason.objects.create(code="permit", name="Permit question")
    now = timezone.now()
    for _ in range(3):
        contact_record(channel=Channel.VOICE, reason=schedule, started_at=now)
    contact_record(channel=Channel.CHAT, reason=permit, started_at=now)
    contact_record(channel=Channel.CHAT, reason=permit, started_at=now - timedelta(days=40))

    counts = contact_reason_counts(since=now - timedelta(days=7), until=now + timedelta(seconds=1))

    assert [(row["reason__code"], row["contacts"]) for row in counts] == [
        ("trash-schedule", 3),
        ("permit", 1),
    ]


@pytest.mark.django_db
def test_contact_list_costs_one_query_however_long(django_assert_num_queries):
    reason = ContactReason.objects.create(code="info", name="Information request")
    for channel in [Channel.WEB, Channel.SMS, Channel.EMAIL] * 5:
        contact_record(channel=channel, reason=reason)

    with django_assert_num_queries(1):
        rows = [(c.channel, c.reason.name if c.reason else "") for c in contact_list()]
    assert len(rows) == 15
    assert [c.channel for c in contact_list(channel=Channel.SMS)] == [Channel.SMS] * 5
