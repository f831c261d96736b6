from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from civicdesk.cases.choices import CaseStatus, CloseReason, EventKind, NoteVisibility
from civicdesk.cases.models import CaseNote
from civicdesk.cases.services.workflow import case_note_add, case_transition

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:cases_case_changelist")


def change_url(case) -> str:
    return reverse("admin:cases_case_change", args=[case.pk])


def test_changelist_search_and_filters(admin_client, make_case):
    first = make_case(description="Broken hydrant")
    make_case(description="Graffiti")
    response = admin_client.get(CHANGELIST, {"q": "hydrant"})
    assert response.status_code == 200
    assert first.reference in response.content.decode()
    assert "Graffiti" not in response.content.decode()
    for params in (
        {"status__exact": "new"},
        {"channel__exact": "web"},
        {"service_type__group": "Streets"},
    ):
        assert admin_client.get(CHANGELIST, params).status_code == 200


def test_change_page_shows_timeline_read_only(admin_client, case):
    case_note_add(case=case, body="Internal detail", visibility=NoteVisibility.INTERNAL)
    response = admin_client.get(change_url(case))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Request received." in body
    assert "Internal detail" in body
    assert 'name="events-0-public_text"' not in body  # shown, not editable
    assert 'name="notes-0-body"' not in body


def test_no_add_or_delete(admin_client, case):
    assert admin_client.get(reverse("admin:cases_case_add")).status_code == 403
    assert admin_client.get(reverse("admin:cases_case_delete", args=[case.pk])).status_code == 403


def test_actions_go_through_services_and_report_errors(admin_client, make_case):
    open_case = make_case()
    closed_case = make_case()
    case_transition(
        case=closed_case, to_status=CaseStatus.CLOSED, close_reason=CloseReason.RESOLVED
    )
    response = admin_client.post(
        CHANGELIST,
        {"action": "mark_in_progress", "_selected_action": [open_case.pk, closed_case.pk]},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(closed_case.reference in m and "cannot become in progress" in m for m in messages)
    open_case.refresh_from_db()
    closed_case.refresh_from_db()
    assert open_case.status == CaseStatus.IN_PROGRESS
    assert open_case.events.last().kind == EventKind.STATUS_CHANGED
    assert closed_case.status == CaseStatus.CLOSED


def test_close_as_resolved_action(admin_client, case):
    admin_client.post(CHANGELIST, {"action": "close_as_resolved", "_selected_action": [case.pk]})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.close_reason == CloseReason.RESOLVED
    assert case.events.last().kind == EventKind.CLOSED


def management_form(prefix: str, total: int = 0, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def post_change(admin_client, case, *, department, new_note=None, assignee="") -> Any:
    data = {"department": department.pk, "assignee": assignee}
    notes = list(case.notes.all())
    data |= management_form("new_notes", total=1 if new_note else 0)
    data |= management_form("notes", total=len(notes), initial=len(notes))
    for index, note in enumerate(notes):
        data[f"notes-{index}-id"] = str(note.pk)
        data[f"notes-{index}-case"] = str(case.pk)
    data |= management_form("attachments")
    events = list(case.events.all())
    data |= management_form("events", total=len(events), initial=len(events))
    for index, event in enumerate(events):
        data[f"events-{index}-id"] = str(event.pk)
        data[f"events-{index}-case"] = str(case.pk)
    if new_note:
        data["new_notes-0-visibility"] = new_note[0]
        data["new_notes-0-body"] = new_note[1]
    return admin_client.post(change_url(case), data)


def test_reassign_and_add_note_via_change_form(admin_client, case, other_department, admin_user):
    response = post_change(
        admin_client, case, department=other_department, new_note=("public", "Crew on the way")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.department == other_department
    kinds = [e.kind for e in case.events.all()]
    assert kinds == [EventKind.OPENED, EventKind.ASSIGNED, EventKind.NOTE_ADDED]
    note = CaseNote.objects.get()
    assert note.body == "Crew on the way"
    assert note.author == admin_user


def test_inactive_department_is_a_form_error(admin_client, case, inactive_department):
    response = post_change(admin_client, case, department=inactive_department)
    assert response.status_code == 200
    assert "not active" in response.content.decode()
    case.refresh_from_db()
    assert case.department != inactive_department
