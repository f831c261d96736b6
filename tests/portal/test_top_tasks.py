from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from civicdesk.cases.choices import CaseStatus
from civicdesk.cases.services.opening import HistoricalRecord, Location, case_import
from civicdesk.portal.models import TopTask
from civicdesk.portal.selectors import top_task_list

from .pages import attribute_values

pytestmark = pytest.mark.django_db


def codes(entries):
    return [entry.service_type.code if entry.service_type else entry.url for entry in entries]


@pytest.fixture
def services(make_service):
    return {
        code: make_service(code, name, description=f"About {name.lower()}.")
        for code, name in [
            ("pothole", "Pothole"),
            ("trash", "Missed trash pickup"),
            ("light", "Street light out"),
            ("graffiti", "Graffiti"),
            ("noise", "Loud noise"),
            ("tree", "Fallen tree"),
            ("rats", "Rats"),
            ("meter", "Broken parking meter"),
        ]
    }


def imported(service_type, count, *, days_ago):
    at = timezone.now() - timedelta(days=days_ago)
    for index in range(count):
        case_import(
            record=HistoricalRecord(
                source="test",
                external_id=f"{service_type.code}-{days_ago}-{index}",
                service_type=service_type,
                location=Location(),
                description="",
                requested_at=at,
                status=CaseStatus.OPEN,
            )
        )


def test_most_contacted_services_come_first(services, record_contacts):
    record_contacts(services["trash"], 5)
    record_contacts(services["light"], 3)
    record_contacts(services["pothole"], 4)
    imported(services["light"], 2, days_ago=10)  # 3 + 2 = 5: ties with trash, lower id wins

    entries = top_task_list(limit=3)

    assert codes(entries) == ["trash", "light", "pothole"]
    assert [entry.requests for entry in entries] == [5, 5, 4]
    assert entries[0].title == "Missed trash pickup"
    assert entries[0].description == "About missed trash pickup."


def test_only_the_recent_window_ranks_first(services, record_contacts):
    record_contacts(services["graffiti"], 50, days_ago=200)
    record_contacts(services["rats"], 2, days_ago=5)

    assert codes(top_task_list(limit=1, days=90)) == ["rats"]
    assert codes(top_task_list(limit=1, days=365)) == ["graffiti"]


def test_thin_recent_data_is_filled_from_all_requests(services, record_contacts):
    # A new deployment with old history: nothing in the window, years of imported requests.
    imported(services["tree"], 3, days_ago=800)
    imported(services["meter"], 1, days_ago=900)
    record_contacts(services["noise"], 1, days_ago=2)

    assert codes(top_task_list(limit=3)) == ["noise", "tree", "meter"]


def test_pinned_tasks_lead_in_position_order_then_the_data(services, record_contacts):
    record_contacts(services["trash"], 9)
    record_contacts(services["pothole"], 8)
    record_contacts(services["light"], 7)
    TopTask.objects.create(
        url="/requests/", title_en="See requests near you", title_es="Ver solicitudes", position=2
    )
    TopTask.objects.create(service_type=services["meter"], position=1)
    # Pinned and frequent: shown once, where it is pinned.
    TopTask.objects.create(service_type=services["pothole"], position=3, title_en="Fix a pothole")

    entries = top_task_list(limit=5)

    assert codes(entries) == ["meter", "/requests/", "pothole", "trash", "light"]
    assert [entry.pinned for entry in entries] == [True, True, True, False, False]
    assert entries[1].title == "See requests near you"
    assert entries[2].title == "Fix a pothole"
    with override("es"):
        assert top_task_list(limit=5)[1].title == "Ver solicitudes"


def test_hidden_services_are_never_suggested(services, record_contacts):
    record_contacts(services["rats"], 10)
    record_contacts(services["trash"], 5)
    TopTask.objects.create(service_type=services["rats"], pinned=False, hidden=True)

    assert codes(top_task_list(limit=2)) == ["trash"]


def test_unpinned_rows_retitle_a_frequent_service(services, record_contacts):
    record_contacts(services["trash"], 5)
    TopTask.objects.create(
        service_type=services["trash"],
        pinned=False,
        title_en="Report a missed pickup",
        title_es="Reportar basura no recogida",
        description_en="Trash, recycling or yard waste.",
    )

    [entry] = top_task_list(limit=1)
    assert (entry.title, entry.description, entry.pinned) == (
        "Report a missed pickup",
        "Trash, recycling or yard waste.",
        False,
    )
    with override("es"):
        # No Spanish description: the English one is shown rather than nothing.
        [entry] = top_task_list(limit=1)
        assert entry.title == "Reportar basura no recogida"
        assert entry.description == "Trash, recycling or yard waste."


def test_inactive_and_private_services_never_show(services, record_contacts, make_service):
    private = make_service("internal", "Internal work order", is_public=False)
    record_contacts(private, 20)
    record_contacts(services["trash"], 2)
    retired = services["meter"]
    record_contacts(retired, 10)
    retired.is_active = False
    retired.save()
    TopTask.objects.create(service_type=private, position=0)

    assert codes(top_task_list(limit=3)) == ["trash"]


def test_service_titles_follow_the_language(services, record_contacts):
    services["pothole"].name_es = "Bache"
    services["pothole"].save()
    record_contacts(services["pothole"], 1)

    with override("es"):
        assert top_task_list(limit=1)[0].title == "Bache"


def test_home_shows_the_top_tasks_in_order_with_links(client, services, record_contacts):
    record_contacts(services["trash"], 3)
    TopTask.objects.create(url="https://www.example.gov/permits", title_en="Permits", position=0)

    response = client.get("/")

    assert attribute_values(response, "data-top-task")[:2] == [
        "https://www.example.gov/permits",
        "trash",
    ]
    text = response.content.decode()
    assert 'href="https://www.example.gov/permits">Permits</a>' in text
    assert 'href="/report/trash/">Missed trash pickup</a>' in text


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"url": "/x/", "title_en": "X", "pinned": False}, "pinned"),
        ({"url": "/x/"}, "title_en"),
        ({"pinned": True, "hidden": True, "with_service": True}, "hidden"),
        ({}, "__all__"),
    ],
)
def test_top_task_rules_are_checked_in_the_admin_form(services, fields, field):
    fields = dict(fields)
    service = services["trash"] if fields.pop("with_service", False) else None
    task = TopTask(service_type=service, **fields)

    with pytest.raises(ValidationError) as error:
        task.full_clean()

    assert field in error.value.message_dict
