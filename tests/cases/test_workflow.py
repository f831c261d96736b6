import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civicdesk.cases.choices import CaseStatus, CloseReason, EventKind, NoteVisibility
from civicdesk.cases.models import AppendOnlyError, Case, CaseEvent, CaseNote
from civicdesk.cases.services.workflow import case_assign, case_note_add, case_transition
from civicdesk.cases.status import TransitionError

pytestmark = pytest.mark.django_db


def test_opened_case_has_reference_and_opened_event(case):
    assert re.fullmatch(r"\d{2}-\d{6}", case.reference)
    assert case.reference.startswith(f"{case.requested_at:%y}-")
    assert [e.kind for e in case.events.all()] == [EventKind.OPENED]


def test_references_are_unique_and_sequential(make_case):
    references = [make_case().reference for _ in range(5)]
    assert len(set(references)) == 5
    numbers = [int(ref.split("-")[1]) for ref in references]
    assert numbers == sorted(numbers)
    assert all(re.fullmatch(r"\d{2}-\d{6}", ref) for ref in references)


def test_references_restart_per_year(make_case):
    old = make_case(requested_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    new = make_case(requested_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
    assert old.reference == "24-000001"
    assert new.reference == "25-000001"


def test_close_sets_reason_and_time_and_writes_public_event(case, agent):
    closed = case_transition(
        case=case,
        to_status=CaseStatus.CLOSED,
        close_reason=CloseReason.RESOLVED,
        public_note="Filled the pothole.",
        actor=agent,
    )
    assert closed.status == CaseStatus.CLOSED
    assert closed.close_reason == CloseReason.RESOLVED
    assert closed.closed_at is not None
    # The caller's own instance follows the change.
    assert case.status == CaseStatus.CLOSED
    event = case.events.last()
    assert event.kind == EventKind.CLOSED
    assert (event.from_status, event.to_status) == (CaseStatus.NEW, CaseStatus.CLOSED)
    assert event.is_public and event.public_text == "Filled the pothole."
    assert event.actor == agent
    assert event.data == {"close_reason": "resolved"}
    case.refresh_from_db()
    assert case.updated_at == event.created_at


def test_reopen_clears_close_fields(case):
    case_transition(case=case, to_status=CaseStatus.CLOSED, close_reason=CloseReason.DUPLICATE)
    case_transition(case=case, to_status=CaseStatus.OPEN, public_note="Still there.")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert case.close_reason == ""
    assert case.closed_at is None
    assert case.events.last().kind == EventKind.REOPENED


def test_plain_status_change_event(case):
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS)
    event = case.events.last()
    assert event.kind == EventKind.STATUS_CHANGED
    assert (event.from_status, event.to_status) == (CaseStatus.NEW, CaseStatus.IN_PROGRESS)


@pytest.mark.parametrize(
    ("to_status", "close_reason"),
    [
        (CaseStatus.NEW, None),  # already new
        (CaseStatus.CLOSED, None),  # no reason
        (CaseStatus.OPEN, CloseReason.RESOLVED),  # reason without closing
    ],
)
def test_forbidden_transition_writes_nothing(case, to_status, close_reason):
    before = Case.objects.values().get(pk=case.pk)
    events = CaseEvent.objects.count()
    with pytest.raises(TransitionError):
        case_transition(case=case, to_status=to_status, close_reason=close_reason)
    assert Case.objects.values().get(pk=case.pk) == before
    assert CaseEvent.objects.count() == events


def test_closed_case_cannot_go_in_progress(case):
    case_transition(case=case, to_status=CaseStatus.CLOSED, close_reason=CloseReason.RESOLVED)
    with pytest.raises(TransitionError, match="cannot become in progress"):
        case_transition(case=case, to_status=CaseStatus.IN_PROGRESS)


def test_transition_cannot_be_backdated_before_last_event(case):
    with pytest.raises(ValidationError) as error:
        case_transition(
            case=case,
            to_status=CaseStatus.OPEN,
            at=case.requested_at - dt.timedelta(hours=1),
        )
    assert "at" in error.value.message_dict
    assert case.events.count() == 1


def test_transition_with_explicit_time(case):
    at = timezone.now() + dt.timedelta(minutes=5)
    case_transition(
        case=case, to_status=CaseStatus.CLOSED, close_reason=CloseReason("resolved"), at=at
    )
    case.refresh_from_db()
    assert case.closed_at == at
    assert case.updated_at == at


def test_public_note_too_long_is_rejected(case):
    with pytest.raises(ValidationError) as error:
        case_transition(case=case, to_status=CaseStatus.OPEN, public_note="x" * 10_001)
    assert "public_note" in error.value.message_dict


def test_assign_writes_internal_event_with_old_and_new(case, other_department, agent):
    case_assign(case=case, department=other_department, assignee=agent, actor=agent)
    case.refresh_from_db()
    assert case.department == other_department
    assert case.assignee == agent
    event = case.events.last()
    assert event.kind == EventKind.ASSIGNED
    assert not event.is_public
    assert event.data["from"]["department"] == "Public Works"
    assert event.data["from"]["assignee_id"] is None
    assert event.data["to"]["department_id"] == other_department.pk
    assert event.data["to"]["assignee_id"] == agent.pk


def test_assign_without_change_writes_no_event(case):
    count = case.events.count()
    case_assign(case=case, department=case.department)
    case_assign(case=case)
    assert case.events.count() == count


def test_assign_to_inactive_department_rejected(case, inactive_department):
    with pytest.raises(ValidationError) as error:
        case_assign(case=case, department=inactive_department)
    assert "department" in error.value.message_dict
    case.refresh_from_db()
    assert case.department != inactive_department
    assert case.events.count() == 1


def test_assign_inactive_person_rejected(case, agent):
    agent.is_active = False
    agent.save()
    with pytest.raises(ValidationError) as error:
        case_assign(case=case, assignee=agent)
    assert "assignee" in error.value.message_dict


def test_public_note_makes_public_event(case, agent):
    note = case_note_add(
        case=case, body="  Crew scheduled.  ", visibility=NoteVisibility.PUBLIC, author=agent
    )
    assert note.body == "Crew scheduled."
    event = case.events.last()
    assert event.kind == EventKind.NOTE_ADDED
    assert event.is_public and event.public_text == "Crew scheduled."
    assert event.data == {"note_id": note.pk, "visibility": "public"}


def test_internal_note_event_is_not_public_and_hides_text(case):
    case_note_add(case=case, body="Resident is rude.", visibility=NoteVisibility.INTERNAL)
    event = case.events.last()
    assert not event.is_public
    assert event.public_text == ""


@pytest.mark.parametrize("body", ["", "   \n", "x" * 10_001, "nul\x00byte"])
def test_bad_note_rejected_naming_body(case, body):
    with pytest.raises(ValidationError) as error:
        case_note_add(case=case, body=body, visibility=NoteVisibility.PUBLIC)
    assert "body" in error.value.message_dict
    assert CaseNote.objects.count() == 0
    assert case.events.count() == 1


def test_note_of_exactly_the_limit_is_accepted(case):
    case_note_add(case=case, body="x" * 10_000, visibility=NoteVisibility.INTERNAL)
    assert CaseNote.objects.count() == 1


class TestAppendOnly:
    def test_save_existing_event_raises(self, case):
        event = case.events.get()
        event.public_text = "rewritten"
        with pytest.raises(AppendOnlyError):
            event.save()

    def test_delete_instance_raises(self, case):
        with pytest.raises(AppendOnlyError):
            case.events.get().delete()

    def test_queryset_update_raises(self, case):
        with pytest.raises(AppendOnlyError):
            CaseEvent.objects.filter(case=case).update(public_text="x")

    def test_queryset_delete_raises(self, case):
        with pytest.raises(AppendOnlyError):
            CaseEvent.objects.all().delete()
        assert CaseEvent.objects.count() == 1

    def test_case_with_events_cannot_be_deleted(self, case):
        from django.db.models import ProtectedError

        with pytest.raises(ProtectedError):
            case.delete()
