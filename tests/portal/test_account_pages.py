"""The signed-in resident's pages: my requests, saved addresses, preferences."""

import pytest

from civicdesk.geo.choices import AreaKind
from civicdesk.geo.services import address_import_openaddresses, area_import_geojson
from civicdesk.people.choices import ContactPointKind, UpdateChannel
from civicdesk.people.models import ContactPoint, Resident, SavedAddress
from civicdesk.people.selectors import saved_addresses_for
from civicdesk.people.services import resident_from_contact_details
from civicdesk.people.services.addresses import SAVED_ADDRESS_LIMIT
from civicdesk.people.services.follows import case_follow_start
from tests.geo.conftest import oa_row, oa_write

from .accounts import boston_districts, field_error, input_tag, sign_in
from .pages import html_lang, page_text

pytestmark = pytest.mark.django_db

EMAIL = "ana.resident@example.org"


@pytest.fixture
def resident(client):
    sign_in(client, EMAIL)
    return Resident.objects.get(contact_points__value=EMAIL)


def my_references(response):
    import re

    return re.findall(r'<tr data-reference="([^"]+)">', page_text(response))


def test_my_requests_lists_my_own_and_followed_and_nobody_elses(client, resident, make_case):
    mine = make_case(resident=resident)
    other_person = resident_from_contact_details(email="someone.else@example.org")
    followed = make_case(resident=other_person)
    not_mine = make_case(resident=other_person)
    stopped = make_case()
    case_follow_start(resident=resident, case=followed)
    follow, _ = case_follow_start(resident=resident, case=stopped)
    from civicdesk.people.services.follows import case_follow_end

    case_follow_end(follow=follow)

    response = client.get("/account/")

    assert response.status_code == 200
    assert my_references(response) == [followed.reference, mine.reference]
    text = page_text(response)
    assert not_mine.reference not in text
    assert f'href="/track/?reference={mine.reference}"' in text
    assert "You reported it" in text
    assert "You follow it" in text
    assert 'portal-status--new">Received</span>' in text
    assert "Expected by" in text
    assert response["Cache-Control"] == "private, no-store"


def test_my_requests_when_there_are_none(client, resident):
    text = page_text(client.get("/account/"))

    assert "You have no requests yet." in text
    assert 'aria-current="page">My requests</a>' in text


def test_my_requests_costs_few_queries(client, resident, make_case, django_assert_max_num_queries):
    for _ in range(30):
        make_case(resident=resident)
    # Session, resident, count, page, site alerts.
    with django_assert_max_num_queries(5):
        response = client.get("/account/")
    assert len(my_references(response)) == 25


@pytest.fixture
def gazetteer(tmp_path):
    area_import_geojson(
        data=boston_districts(), kind=AreaKind.DISTRICT, code_property="CODE", name_property="NAME"
    )
    rows = [
        oa_row("1", "City Hall Sq", city="Boston", postcode="02201", lat=42.3603, long=-71.0580),
        oa_row("3", "City Hall Sq", city="Boston", postcode="02201", lat=42.3604, long=-71.0581),
        oa_row("10", "Broadway", city="South Boston", lat=42.3400, long=-71.0500),
    ]
    address_import_openaddresses(path=oa_write(tmp_path / "a.csv", rows), source="test")


def test_add_a_saved_address_by_searching_and_choosing(client, resident, gazetteer):
    found = client.get("/account/addresses/", {"q": "1 City Hall"})

    assert found.status_code == 200
    text = page_text(found)
    assert 'value="1 City Hall Sq, Boston 02201"' in text
    assert "North End" in text

    saved = client.post(
        "/account/addresses/",
        {"q": "1 City Hall", "choice": "1 City Hall Sq, Boston 02201", "label": "Home"},
    )

    assert saved.status_code == 303
    place = saved_addresses_for(resident).get()
    assert (place.label, place.address) == ("Home", "1 City Hall Sq, Boston 02201")
    assert (place.lat, place.long) == (42.3603, -71.058)
    assert place.district.code == "north"
    page = page_text(client.get("/account/addresses/"))
    assert "Saved Home." in page
    assert "1 City Hall Sq, Boston 02201" in page


def test_a_saved_address_can_be_removed(client, resident, gazetteer):
    client.post(
        "/account/addresses/",
        {"q": "10 Broadway", "choice": "10 Broadway, South Boston", "label": "Work"},
    )
    place = SavedAddress.objects.get()

    removed = client.post(f"/account/addresses/{place.pk}/remove/")

    assert removed.status_code == 303
    assert not SavedAddress.objects.exists()
    assert "Address removed." in page_text(client.get("/account/addresses/"))


def test_nobody_can_remove_someone_elses_saved_address(client, resident, gazetteer):
    other = resident_from_contact_details(email="someone.else@example.org")
    theirs = SavedAddress.objects.create(
        resident=other, label="Home", address="3 City Hall Sq", lat=42.36, long=-71.05
    )

    assert client.post(f"/account/addresses/{theirs.pk}/remove/").status_code == 404
    assert SavedAddress.objects.filter(pk=theirs.pk).exists()


def test_saving_needs_a_choice_a_name_and_a_real_address(client, resident, gazetteer):
    response = client.post("/account/addresses/", {"q": "1 City Hall", "label": ""})

    assert response.status_code == 400
    assert field_error(response, "choice") == "Choose one of the addresses."
    assert field_error(response, "id_label") == "Give this address a name, like Home or Work."
    assert "<title>Error: Saved addresses |" in page_text(response)

    # A made-up address (not what the search finds) is refused; the typed name is kept.
    forged = client.post(
        "/account/addresses/",
        {"q": "1 City Hall", "choice": "1 Fake St", "label": "Cabin"},
    )
    assert field_error(forged, "choice") == "Choose one of the addresses."
    assert 'value="Cabin"' in input_tag(forged, "id_label")
    assert not SavedAddress.objects.exists()


def test_an_address_is_saved_once_and_up_to_the_limit(client, resident, gazetteer):
    data = {"q": "1 City Hall", "choice": "1 City Hall Sq, Boston 02201", "label": "Home"}
    client.post("/account/addresses/", data)

    again = client.post("/account/addresses/", {**data, "label": "Also home"})

    assert again.status_code == 400
    assert field_error(again, "choice") == "You already saved this address."

    for number in range(SAVED_ADDRESS_LIMIT - 1):
        SavedAddress.objects.create(
            resident=resident, label=f"P{number}", address=f"{number} Elm St", lat=42.3, long=-71
        )
    full = client.post(
        "/account/addresses/",
        {"q": "3 City Hall", "choice": "3 City Hall Sq, Boston 02201", "label": "Work"},
    )
    assert full.status_code == 400
    assert field_error(full, "limit").startswith("You can save up to 10 addresses.")
    assert SavedAddress.objects.count() == SAVED_ADDRESS_LIMIT


def test_an_address_not_found_is_said_beside_the_search_field(client, resident, gazetteer):
    response = client.get("/account/addresses/", {"q": "99 Nowhere Lane"})

    assert field_error(response, "id_q").startswith("We could not find that address.")
    assert 'value="99 Nowhere Lane"' in input_tag(response, "id_q")


def test_preferences_are_saved_and_the_language_is_applied(client, resident):
    form = page_text(client.get("/account/preferences/"))
    assert 'id="language-en" type="radio" name="language" value="en" checked' in form
    assert 'id="channel-email" type="radio" name="channel" value="email" checked' in form

    response = client.post(
        "/account/preferences/",
        {"language": "es", "channel": "email", "surveys": "on"},
    )

    assert response.status_code == 303
    assert response.cookies["django_language"].value == "es"
    resident.refresh_from_db()
    assert resident.preferred_language == "es"
    assert resident.preferred_channel == UpdateChannel.EMAIL
    point = ContactPoint.objects.get(resident=resident, kind=ContactPointKind.EMAIL)
    assert (point.consent_updates, point.consent_surveys, point.consent_alerts) == (
        True,
        True,
        False,
    )
    after = client.get("/account/preferences/")
    assert html_lang(after) == "es"
    assert "Sus preferencias se guardaron." in page_text(after)


def test_text_messages_need_a_phone_number(client, resident):
    response = client.post("/account/preferences/", {"language": "en", "channel": "sms"})

    assert response.status_code == 400
    assert field_error(response, "id_phone") == "Enter a mobile number to get text messages."
    assert 'id="channel-sms" type="radio" name="channel" value="sms" checked' in page_text(response)

    bad = client.post("/account/preferences/", {"language": "en", "channel": "sms", "phone": "12"})
    assert field_error(bad, "id_phone") == "Enter a phone number like 617-555-0123."
    assert 'value="12"' in input_tag(bad, "id_phone")

    ok = client.post(
        "/account/preferences/", {"language": "en", "channel": "sms", "phone": "617-635-4500"}
    )
    assert ok.status_code == 303
    resident.refresh_from_db()
    assert resident.preferred_channel == UpdateChannel.SMS
    phone = ContactPoint.objects.get(resident=resident, kind=ContactPointKind.PHONE)
    email = ContactPoint.objects.get(resident=resident, kind=ContactPointKind.EMAIL)
    assert (phone.value, phone.consent_updates, email.consent_updates) == (
        "+16176354500",
        True,
        False,
    )


def test_someone_elses_phone_is_refused(client, resident):
    resident_from_contact_details(phone="617-635-4500", first_name="Bea")

    response = client.post(
        "/account/preferences/", {"language": "en", "channel": "sms", "phone": "6176354500"}
    )

    assert field_error(response, "id_phone").startswith("This number is on file for someone else.")
    assert ContactPoint.objects.get(kind=ContactPointKind.PHONE).resident.first_name == "Bea"


def test_no_updates_withdraws_consent_everywhere(client, resident):
    client.post("/account/preferences/", {"language": "en", "channel": "none", "alerts": "on"})

    point = ContactPoint.objects.get(resident=resident)
    assert (point.consent_updates, point.consent_alerts) == (False, True)


def test_preference_errors_in_spanish(client, resident):
    # Signing in set the page language to the account's (English); the switch changes it.
    client.post("/i18n/setlang/", {"language": "es"})
    response = client.post(
        "/account/preferences/",
        {"language": "es", "channel": ""},
        headers={"accept-language": "es"},
    )

    assert field_error(response, "channel") == "Elija cómo quiere recibir las novedades."


def test_account_pages_in_spanish(client, resident):
    client.post("/i18n/setlang/", {"language": "es"})
    spanish = {"headers": {"accept-language": "es"}}
    assert "Mis solicitudes" in page_text(client.get("/account/", **spanish))
    assert "Direcciones guardadas" in page_text(client.get("/account/addresses/", **spanish))
    assert "Preferencias" in page_text(client.get("/account/preferences/", **spanish))
