"""People services behind resident accounts: one-time links, follows, addresses, preferences."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from civicdesk.cases.services.opening import Location, case_open
from civicdesk.catalog.models import Department, ServiceType
from civicdesk.contacts.choices import Channel
from civicdesk.people.choices import ContactPointKind, EmailLinkPurpose, UpdateChannel
from civicdesk.people.models import CaseFollow, EmailLink, ResidentAccount
from civicdesk.people.selectors import (
    resident_email_get,
    resident_request_list,
    resident_signed_in_get,
    saved_addresses_for,
)
from civicdesk.people.services import resident_from_contact_details
from civicdesk.people.services.accounts import AccountClosedError, resident_sign_in
from civicdesk.people.services.addresses import saved_address_add, saved_address_remove
from civicdesk.people.services.follows import (
    case_follow_confirm,
    case_follow_end,
    case_follow_request,
    case_follow_start,
)
from civicdesk.people.services.links import (
    EmailLinkError,
    email_link_check,
    email_link_issue,
    email_link_use,
)
from civicdesk.people.services.preferences import resident_preferences_set

pytestmark = pytest.mark.django_db

EMAIL = "ana@example.org"


@pytest.fixture
def case():
    department = Department.objects.create(code="pw", name="Public Works")
    service = ServiceType.objects.create(
        code="pothole", name="Pothole", default_department=department
    )
    return case_open(
        service_type=service,
        location=Location(lat=42.36, long=-71.06),
        description="",
        channel=Channel.WEB,
    )


def issue(purpose=EmailLinkPurpose.SIGN_IN, **extra):
    return email_link_issue(purpose=purpose, email=EMAIL, language="en", **extra)


def test_a_link_is_stored_as_a_keyed_hash_and_works_once():
    issued = issue()

    assert issued.token not in issued.link.token_hash
    assert len(issued.link.token_hash) == 64
    assert email_link_check(token=issued.token, purpose=EmailLinkPurpose.SIGN_IN).pk == (
        issued.link.pk
    )
    email_link_use(token=issued.token, purpose=EmailLinkPurpose.SIGN_IN)
    with pytest.raises(EmailLinkError) as caught:
        email_link_use(token=issued.token, purpose=EmailLinkPurpose.SIGN_IN)
    assert caught.value.reason == "used"


def test_a_link_is_only_good_for_its_purpose_and_its_secret_key():
    issued = issue()

    with pytest.raises(EmailLinkError) as caught:
        email_link_use(token=issued.token, purpose=EmailLinkPurpose.FOLLOW)
    assert caught.value.reason == "invalid"
    with (
        override_settings(SECRET_KEY="another-secret-key-entirely-0123456789"),
        pytest.raises(EmailLinkError),
    ):
        email_link_check(token=issued.token, purpose=EmailLinkPurpose.SIGN_IN)


def test_an_expired_link_is_refused_and_old_ones_are_cleared():
    now = timezone.now()
    old = issue(now=now - timedelta(days=3))
    issued = issue(now=now - timedelta(minutes=16))

    with pytest.raises(EmailLinkError) as caught:
        email_link_use(token=issued.token, purpose=EmailLinkPurpose.SIGN_IN)
    assert caught.value.reason == "expired"
    # Issuing deleted the link that expired days ago.
    assert not EmailLink.objects.filter(pk=old.link.pk).exists()


def test_a_bad_address_gets_no_link():
    with pytest.raises(ValidationError):
        email_link_issue(purpose=EmailLinkPurpose.SIGN_IN, email="nope", language="en")
    assert not EmailLink.objects.exists()


def test_sign_in_makes_an_account_once_and_verifies_the_address():
    first = resident_sign_in(token=issue().token)
    second = resident_sign_in(token=issue().token)

    assert first.created and not second.created
    assert first.resident.pk == second.resident.pk
    assert ResidentAccount.objects.count() == 1
    point = first.resident.contact_points.get(kind=ContactPointKind.EMAIL)
    assert point.verified_at is not None
    assert resident_signed_in_get(first.resident.pk) == first.resident
    assert resident_signed_in_get(str(first.resident.pk)) is None
    assert resident_email_get(first.resident) == EMAIL


def test_a_closed_account_leaves_the_link_unused():
    signed = resident_sign_in(token=issue().token)
    ResidentAccount.objects.update(is_active=False)
    issued = issue()

    with pytest.raises(AccountClosedError):
        resident_sign_in(token=issued.token)
    assert EmailLink.objects.get(pk=issued.link.pk).used_at is None
    assert resident_signed_in_get(signed.resident.pk) is None


def test_follow_confirmation_creates_the_follow_once(case):
    issued = case_follow_request(email=EMAIL, case=case, language="es")

    follow = case_follow_confirm(token=issued.token)

    assert follow.case == case
    assert follow.channel == UpdateChannel.EMAIL
    assert follow.resident.preferred_language == "es"
    assert len(follow.unsubscribe_token) >= 40
    with pytest.raises(EmailLinkError):
        case_follow_confirm(token=issued.token)


def test_following_again_is_harmless_and_restarts_an_ended_follow(case):
    resident = resident_from_contact_details(email=EMAIL)
    follow, started = case_follow_start(resident=resident, case=case)
    again, started_again = case_follow_start(resident=resident, case=case)

    assert started and not started_again
    assert again.pk == follow.pk
    assert case_follow_end(follow=follow)
    assert not case_follow_end(follow=follow)
    restarted, started = case_follow_start(resident=resident, case=case)
    assert started and restarted.pk == follow.pk and restarted.ended_at is None
    assert CaseFollow.objects.count() == 1


def test_my_requests_is_one_query(case, django_assert_num_queries):
    resident = resident_from_contact_details(email=EMAIL)
    case_follow_start(resident=resident, case=case)

    with django_assert_num_queries(1):
        rows = list(resident_request_list(resident))
        names = [row.service_type.display_name for row in rows]

    assert names == ["Pothole"]
    assert rows[0].followed


def test_saved_addresses(case):
    resident = resident_from_contact_details(email=EMAIL)
    saved = saved_address_add(
        resident=resident, label=" Home ", address="1 City Hall Sq", lat=42.36, long=-71.06
    )

    assert [place.label for place in saved_addresses_for(resident)] == ["Home"]
    with pytest.raises(ValidationError) as caught:
        saved_address_add(
            resident=resident, label="Again", address="1 City Hall Sq", lat=42.36, long=-71.06
        )
    assert caught.value.error_dict["address"][0].code == "duplicate"
    with pytest.raises(ValidationError):
        saved_address_add(resident=resident, label="Off", address="Nowhere", lat=91, long=0)
    assert saved_address_remove(resident=resident, saved_address_id=saved.pk)
    assert not saved_address_remove(resident=resident, saved_address_id=saved.pk)


def test_preferences_validate_before_writing():
    resident = resident_from_contact_details(email=EMAIL)

    with pytest.raises(ValidationError) as caught:
        resident_preferences_set(
            resident=resident,
            language="fr",
            channel="pigeon",
            phone="12",
            surveys=False,
            alerts=False,
        )

    assert set(caught.value.error_dict) == {"language", "channel", "phone"}
    resident.refresh_from_db()
    assert (resident.preferred_language, resident.preferred_channel) == ("en", "email")
