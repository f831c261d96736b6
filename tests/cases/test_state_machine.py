"""The real services, driven in random order against the database, keep the case consistent."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from civicdesk.cases.choices import CaseStatus, CloseReason, NoteVisibility
from civicdesk.cases.models import Case, CaseEvent, CaseNote
from civicdesk.cases.services.opening import Location, case_open
from civicdesk.cases.services.workflow import case_assign, case_note_add, case_transition
from civicdesk.cases.status import TRANSITIONS, TransitionError
from civicdesk.catalog.models import Department, ServiceType
from civicdesk.contacts.choices import Channel

reasons = st.one_of(st.none(), st.sampled_from(CloseReason))


class CaseLifecycle(RuleBasedStateMachine):
    service_type: ServiceType
    departments: list[Department]
    people: list[User | None]

    def __init__(self) -> None:
        super().__init__()
        self.case = case_open(
            service_type=self.service_type,
            location=Location(address="10 Main St"),
            description="Streetlight out",
            channel=Channel.SMS,
        )
        self.expected_events = 1
        self.expected_notes = 0

    def _snapshot(self) -> tuple[object, int, int]:
        return (
            Case.objects.values().get(pk=self.case.pk),
            CaseEvent.objects.filter(case=self.case).count(),
            CaseNote.objects.filter(case=self.case).count(),
        )

    def _expect_nothing_written(self, error: type[Exception], call) -> None:
        before = self._snapshot()
        with pytest.raises(error):
            call()
        assert self._snapshot() == before

    def _move(self, to_status: CaseStatus, reason: CloseReason | None, note: str) -> None:
        current = CaseStatus(Case.objects.get(pk=self.case.pk).status)
        allowed = (
            to_status in TRANSITIONS[current]
            and (reason is not None) == (to_status == CaseStatus.CLOSED)
            and "\x00" not in note
        )

        def call() -> Case:
            return case_transition(
                case=self.case, to_status=to_status, close_reason=reason, public_note=note
            )

        if allowed:
            call()
            self.expected_events += 1
        elif "\x00" in note:
            # The note is checked before the move, so a bad note fails first either way.
            self._expect_nothing_written(ValidationError, call)
        else:
            self._expect_nothing_written(TransitionError, call)

    @rule(
        to_status=st.sampled_from(CaseStatus),
        reason=reasons,
        note=st.one_of(st.text(max_size=30), st.just("bad\x00note")),
    )
    def transition(self, to_status: CaseStatus, reason: CloseReason | None, note: str) -> None:
        self._move(to_status, reason, note)

    @rule(reason=st.sampled_from(CloseReason))
    def close(self, reason: CloseReason) -> None:
        self._move(CaseStatus.CLOSED, reason, "Done.")

    @rule()
    def reopen(self) -> None:
        self._move(CaseStatus.OPEN, None, "Reopened after a new report.")

    @rule(department_index=st.integers(0, 2), person_index=st.integers(0, 2))
    def assign(self, department_index: int, person_index: int) -> None:
        department = self.departments[department_index]
        person = self.people[person_index]
        row = Case.objects.get(pk=self.case.pk)

        def call() -> Case:
            return case_assign(case=self.case, department=department, assignee=person)

        if not department.is_active:
            self._expect_nothing_written(ValidationError, call)
            return
        unchanged = row.department_id == department.pk and row.assignee_id == (
            person.pk if person else None
        )
        call()
        if not unchanged:
            self.expected_events += 1

    @rule(body=st.text(max_size=20), visibility=st.sampled_from(NoteVisibility))
    def note(self, body: str, visibility: NoteVisibility) -> None:
        def call() -> CaseNote:
            return case_note_add(case=self.case, body=body, visibility=visibility)

        if not body.strip() or "\x00" in body:
            self._expect_nothing_written(ValidationError, call)
            return
        call()
        self.expected_events += 1
        self.expected_notes += 1

    @invariant()
    def case_is_consistent(self) -> None:
        row = Case.objects.get(pk=self.case.pk)
        closed = row.status == CaseStatus.CLOSED
        assert row.status in CaseStatus.values
        assert (row.close_reason != "") == closed
        assert (row.closed_at is not None) == closed
        assert row.close_reason == "" or row.close_reason in CloseReason.values

    @invariant()
    def every_change_wrote_one_event_in_time_order(self) -> None:
        events = list(CaseEvent.objects.filter(case=self.case).order_by("id"))
        assert len(events) == self.expected_events
        times = [event.created_at for event in events]
        assert times == sorted(times)
        row = Case.objects.get(pk=self.case.pk)
        assert row.updated_at == times[-1]
        assert CaseNote.objects.filter(case=self.case).count() == self.expected_notes

    @invariant()
    def last_status_event_matches_status(self) -> None:
        status_events = [
            event
            for event in CaseEvent.objects.filter(case=self.case).order_by("id")
            if event.to_status
        ]
        assert status_events[-1].to_status == Case.objects.get(pk=self.case.pk).status


@pytest.mark.django_db
def test_case_lifecycle(service_type, department, other_department, inactive_department, agent):
    CaseLifecycle.service_type = service_type
    CaseLifecycle.departments = [department, other_department, inactive_department]
    CaseLifecycle.people = [None, agent, User.objects.create_user(username="crew.lead")]
    run_state_machine_as_test(
        CaseLifecycle,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
