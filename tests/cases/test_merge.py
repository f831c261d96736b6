"""Merging a duplicate into the original: what changes, and every merge that is refused."""

from functools import partial

import pytest
from django.utils import timezone

from civicdesk.cases.choices import CaseStatus, CloseReason, EventKind
from civicdesk.cases.models import Case, CaseEvent
from civicdesk.cases.public import case_public_record
from civicdesk.cases.services.merging import MergeRefused, case_merge
from civicdesk.cases.services.workflow import case_transition
from civicdesk.cases.status import TransitionError
from civicdesk.contacts.choices import CaseLinkRole, Channel
from civicdesk.contacts.models import ContactCase
from civicdesk.contacts.services import contact_link_case, contact_record
from civicdesk.people.choices import ContactPointKind, UpdateChannel
from civicdesk.people.models import CaseFollow, ContactPoint, Resident
from civicdesk.people.services.follows import case_follow_end, case_follow_start
from tests.races import at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(make_case):
    original = make_case(description="Pothole by the bus stop")
    duplicate = make_case(description="Big hole in the road at the bus stop")
    return duplicate, original


def follows(case):
    return set(
        CaseFollow.objects.filter(case=case, ended_at__isnull=True).values_list(
            "resident_id", flat=True
        )
    )


def test_the_duplicate_closes_into_the_original(pair, agent):
    duplicate, original = pair

    result = case_merge(duplicate=duplicate, original=original, actor=agent, note="Same hole")

    duplicate.refresh_from_db()
    assert duplicate.status == CaseStatus.CLOSED
    assert duplicate.close_reason == CloseReason.DUPLICATE
    assert duplicate.merged_into == original and duplicate.closed_at is not None
    merged = CaseEvent.objects.get(case=duplicate, kind=EventKind.MERGED)
    assert merged.is_public and merged.actor == agent
    assert merged.public_text == f"Merged into {original.reference}."
    assert merged.to_status == CaseStatus.CLOSED and merged.from_status == CaseStatus.NEW
    assert merged.data["note"] == "Same hole"
    noted = CaseEvent.objects.get(case=original, kind=EventKind.DUPLICATE_MERGED)
    assert not noted.is_public and noted.data["duplicate"] == duplicate.reference
    original.refresh_from_db()
    assert original.status == CaseStatus.NEW and original.merged_into is None
    assert result.original == original
    # The instances passed in are current too.
    assert pair[0].status == CaseStatus.CLOSED


def test_a_merged_duplicate_cannot_be_reopened(pair):
    duplicate, original = pair
    case_merge(duplicate=duplicate, original=original, actor=None)

    with pytest.raises(TransitionError, match=f"merged into {original.reference}"):
        case_transition(case=duplicate, to_status=CaseStatus.OPEN)

    duplicate.refresh_from_db()
    assert duplicate.status == CaseStatus.CLOSED
    assert not CaseEvent.objects.filter(case=duplicate, kind=EventKind.REOPENED).exists()


def test_the_public_record_says_where_it_went(pair):
    duplicate, original = pair
    original_before = case_public_record(Case.objects.get(pk=original.pk), extensions=True)
    case_merge(duplicate=duplicate, original=original, actor=None)

    record = case_public_record(Case.objects.get(pk=duplicate.pk))

    assert record["status"] == "closed"
    assert record["status_notes"] == f"Merged into {original.reference}."
    original_after = case_public_record(Case.objects.get(pk=original.pk), extensions=True)
    assert original_after["notes"] == original_before["notes"]
    assert original_after["status"] == "open"
    assert original_after["status_notes"] == original_before["status_notes"]


def test_followers_move_to_the_original_once(pair):
    duplicate, original = pair
    both = Resident.objects.create(first_name="Both")
    only_duplicate = Resident.objects.create(first_name="Dup", preferred_channel="sms")
    stopped = Resident.objects.create(first_name="Stopped")
    case_follow_start(resident=both, case=duplicate)
    case_follow_start(resident=both, case=original)
    case_follow_start(resident=only_duplicate, case=duplicate, channel=UpdateChannel.SMS)
    case_follow_start(resident=stopped, case=duplicate)
    ended, _started = case_follow_start(resident=stopped, case=original)
    case_follow_end(follow=ended)

    result = case_merge(duplicate=duplicate, original=original, actor=None)

    assert follows(original) == {both.pk, only_duplicate.pk}
    assert CaseFollow.objects.filter(case=original, resident=both).count() == 1
    moved = CaseFollow.objects.get(case=original, resident=only_duplicate)
    assert moved.channel == UpdateChannel.SMS
    # The duplicate's own followers still hear that it was merged.
    assert follows(duplicate) == {both.pk, only_duplicate.pk, stopped.pk}
    assert result.followers_added == 1


def test_the_reporting_resident_follows_when_they_asked_for_updates(make_case, pair):
    _duplicate, original = pair
    resident = Resident.objects.create(first_name="Ana")
    ContactPoint.objects.create(
        resident=resident, kind=ContactPointKind.EMAIL, value="ana@example.org"
    )
    quiet = Resident.objects.create(first_name="Quiet")
    ContactPoint.objects.create(
        resident=quiet, kind=ContactPointKind.EMAIL, value="q@example.org", consent_updates=False
    )
    reported = make_case(resident=resident)
    reported_quietly = make_case(resident=quiet)

    case_merge(duplicate=reported, original=original, actor=None)
    case_merge(duplicate=reported_quietly, original=original, actor=None)

    assert follows(original) == {resident.pk}


def test_contacts_are_linked_to_the_original_as_repeat_reports(pair):
    duplicate, original = pair
    call = contact_record(channel=Channel.VOICE, summary="Caller reported a hole")
    contact_link_case(contact=call, case=duplicate, role=CaseLinkRole.OPENED)
    already = contact_record(channel=Channel.EMAIL)
    contact_link_case(contact=already, case=duplicate, role=CaseLinkRole.FOLLOW_UP)
    contact_link_case(contact=already, case=original, role=CaseLinkRole.FOLLOW_UP)

    result = case_merge(duplicate=duplicate, original=original, actor=None)

    links = dict(ContactCase.objects.filter(case=original).values_list("contact_id", "role"))
    assert links == {call.pk: CaseLinkRole.DUPLICATE_REPORT, already.pk: CaseLinkRole.FOLLOW_UP}
    assert ContactCase.objects.filter(case=duplicate).count() == 2
    assert result.contacts_linked == 1


def refusal(duplicate, original) -> MergeRefused:
    events_before = CaseEvent.objects.count()
    with pytest.raises(MergeRefused) as caught:
        case_merge(duplicate=duplicate, original=original, actor=None)
    assert CaseEvent.objects.count() == events_before
    return caught.value


def test_a_request_cannot_be_merged_into_itself(pair):
    duplicate, _original = pair
    error = refusal(duplicate, duplicate)
    assert error.code == "same" and "itself" in error.messages[0]
    assert Case.objects.get(pk=duplicate.pk).status == CaseStatus.NEW


def test_not_into_a_closed_request(pair):
    duplicate, original = pair
    case_transition(case=original, to_status=CaseStatus.CLOSED, close_reason=CloseReason.RESOLVED)
    error = refusal(duplicate, original)
    assert error.code == "original_closed" and original.reference in error.messages[0]


def test_not_a_request_already_closed(pair):
    duplicate, original = pair
    case_transition(case=duplicate, to_status=CaseStatus.CLOSED, close_reason=CloseReason.RESOLVED)
    assert refusal(duplicate, original).code == "duplicate_closed"


def test_not_twice(make_case, pair):
    duplicate, original = pair
    case_merge(duplicate=duplicate, original=original, actor=None)
    another = make_case()
    assert refusal(duplicate, another).code == "duplicate_merged"


def test_not_into_a_request_that_was_itself_merged_no_chain_or_cycle(make_case, pair):
    duplicate, original = pair
    case_merge(duplicate=duplicate, original=original, actor=None)
    third = make_case()
    # third → duplicate would chain; original → duplicate would loop back.
    assert refusal(third, duplicate).code == "original_merged"
    assert refusal(original, duplicate).code == "original_merged"
    # original (which has duplicates) → third would make duplicate → original → third.
    error = refusal(original, third)
    assert error.code == "chain" and third.reference in error.messages[0]


def test_not_across_jurisdictions(make_case, pair):
    duplicate, _original = pair
    elsewhere = make_case(jurisdiction="brookline.ma.us")
    assert refusal(duplicate, elsewhere).code == "jurisdiction"


def test_a_note_too_long_is_refused(pair):
    duplicate, original = pair
    with pytest.raises(Exception, match="characters or fewer"):
        case_merge(duplicate=duplicate, original=original, actor=None, note="x" * 10_001)
    assert Case.objects.get(pk=duplicate.pk).merged_into is None


def test_a_stale_copy_is_checked_against_the_database(pair, make_case):
    duplicate, original = pair
    stale = Case.objects.get(pk=duplicate.pk)
    case_merge(duplicate=duplicate, original=original, actor=None)

    assert refusal(stale, make_case()).code == "duplicate_merged"


@pytest.mark.django_db(transaction=True)
def test_crossed_merges_at_once_leave_one_merge(make_case):
    first = make_case()
    second = make_case()
    workers = 4
    rivals = [(first, second) if index % 2 else (second, first) for index in range(workers)]
    # Each rival holds its own stale copies, read before any of them merged.
    merges = [
        partial(
            case_merge,
            duplicate=Case.objects.get(pk=duplicate.pk),
            original=Case.objects.get(pk=original.pk),
            actor=None,
        )
        for duplicate, original in rivals
    ]
    outcomes = [
        "refused" if isinstance(outcome, MergeRefused) else "merged"
        for outcome in at_once(merges, expected=(MergeRefused,))
    ]

    assert sorted(outcomes) == ["merged"] + ["refused"] * (workers - 1)
    assert CaseEvent.objects.filter(kind=EventKind.MERGED).count() == 1
    merged = Case.objects.filter(merged_into__isnull=False).get()
    assert Case.objects.get(pk=merged.merged_into_id).merged_into is None
    assert merged.closed_at is not None and merged.closed_at <= timezone.now()
